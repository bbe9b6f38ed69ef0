// The viewer's colours: tones (roles and statuses) for state panels, markers and charts; a stable
// colour per message type (by its order of first appearance); fault types for shaded spans.
// Chosen to stay readable on a projector: saturated hues, no meaning carried by colour alone
// (every coloured thing also has a label).
// Leaves out: a dark theme.
import type { Tone } from '../protocols/protocolView.ts';

export const TONE: Readonly<Record<Tone, string>> = {
  leader: '#1f7a3a',
  candidate: '#c27c0e',
  follower: '#3a5a99',
  ok: '#2e8b57',
  warn: '#d08a00',
  bad: '#c62828',
  info: '#6a4fb3',
  neutral: '#5b6472',
  down: '#8a8f98',
};

const MESSAGE_COLOURS = ['#2b6cb0', '#2f855a', '#b7791f', '#805ad5', '#c05621', '#0987a0', '#b83280', '#4a5568', '#38a169', '#9c4221', '#5a67d8', '#d53f8c'];

export function messageColour(typeIndex: number): string {
  return MESSAGE_COLOURS[typeIndex % MESSAGE_COLOURS.length] as string;
}

export const FAULT_COLOUR: Readonly<Record<string, string>> = {
  crash: 'rgba(60, 64, 72, 0.28)',
  pause: 'rgba(214, 158, 46, 0.25)',
  slow: 'rgba(214, 158, 46, 0.18)',
  partition: 'rgba(197, 48, 48, 0.10)',
  'partition-one-way': 'rgba(197, 48, 48, 0.10)',
  clog: 'rgba(197, 48, 48, 0.10)',
  byzantine: 'rgba(128, 90, 213, 0.20)',
  'clock-drift': 'rgba(49, 130, 206, 0.16)',
  'clock-stop': 'rgba(49, 130, 206, 0.26)',
  'clock-skew': 'rgba(49, 130, 206, 0.6)',
  'disk-full': 'rgba(156, 66, 33, 0.20)',
  'disk-slow': 'rgba(156, 66, 33, 0.13)',
  'disk-corrupt': 'rgba(156, 66, 33, 0.7)',
  restart: 'rgba(46, 139, 87, 0.7)',
};

export function faultColour(type: string): string {
  return FAULT_COLOUR[type] ?? 'rgba(90, 100, 114, 0.15)';
}

/** Same colour, different opacity (for chart shading). */
export function faultSolid(type: string): string {
  return faultColour(type).replace(/[\d.]+\)$/, '0.9)');
}
