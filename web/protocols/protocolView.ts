// What the viewer knows about one protocol, as a small table entry: how to summarize a node's
// state for its panel (badge, colour tone, a few fields), which notes to keep with their data,
// which of them to mark on the diagram, and which charts to build from them. A new protocol is one
// file plus one line in views.ts; a protocol without an entry gets the generic view.
// Leaves out: drawing (the page turns tones into colours and chart specs into Chart.js charts).
import type { CollectedNote } from '../trace/traceIndexer.ts';

/** Colour families; the page maps each to a palette entry. */
export type Tone = 'leader' | 'candidate' | 'follower' | 'ok' | 'warn' | 'bad' | 'info' | 'neutral' | 'down';

export interface NodeSummary {
  badge: string;
  tone: Tone;
  fields: [string, string][];
}

export interface Marker {
  index: number;
  t: number;
  node: number;
  label: string;
  tone: Tone;
}

/** One line of a chart: points as [x seconds, y] pairs, y null for a gap. */
export interface Series {
  label: string;
  points: [number, number | null][];
  tone?: Tone;
  color?: string;
  stepped?: boolean;
  dashed?: boolean;
  scatter?: boolean;
  axis?: 'y' | 'y2';
}

export interface ChartSpec {
  id: string;
  title: string;
  yTitle: string;
  y2Title?: string;
  series: Series[];
  /** Whole numbers on the y axis (node ids, terms, counts). */
  integer?: boolean;
  /** Shown instead of an empty chart. */
  empty?: string;
}

/** What chart builders may use besides the notes. */
export interface ChartContext {
  nodes: number;
  endT: number;
  binUs: number;
  bins: number;
  /** Crash starts and ends per node, in time order: [t, node, up] (up false: crashed). */
  lifeChanges: [number, number, boolean][];
  config: Record<string, unknown>;
}

export interface ProtocolView {
  readonly notes: readonly string[];
  summarize(state: unknown, node: number, config: Record<string, unknown>): NodeSummary;
  marker?(note: CollectedNote): { label: string; tone: Tone } | undefined;
  charts?(notes: readonly CollectedNote[], ctx: ChartContext): ChartSpec[];
}

export const asRecord = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
export const text = (v: unknown): string => (v === null || v === undefined ? '-' : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));
export const seconds = (us: number): number => us / 1_000_000;

/** Folds time-ordered change points into a stepped series: one point per change plus the end. */
export function stepSeries(label: string, changes: [number, number | null][], endT: number, extra: Partial<Series> = {}): Series {
  const points: [number, number | null][] = [];
  for (const [t, y] of changes) {
    const last = points[points.length - 1];
    if (last && last[0] === seconds(t)) last[1] = y;
    else points.push([seconds(t), y]);
  }
  const last = points[points.length - 1];
  if (last && last[0] < seconds(endT)) points.push([seconds(endT), last[1]]);
  return { label, points, stepped: true, ...extra };
}

/** The generic view: no badge beyond "up", the state's first few scalar fields. */
export const GENERIC_VIEW: ProtocolView = {
  notes: [],
  summarize(state) {
    const fields = Object.entries(asRecord(state)).filter(([, v]) => typeof v !== 'object' || v === null).slice(0, 4).map(([k, v]) => [k, text(v)] as [string, string]);
    return { badge: 'up', tone: 'neutral', fields };
  },
};
