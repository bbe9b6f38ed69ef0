// SWIM in the viewer: a node's badge counts the members it suspects or believes dead, and shows its
// incarnation; status changes and refutations are marked on the diagram; suspicion and detection
// charts come from detectorCharts.ts.
// Leaves out: gossip queue internals (visible in the state panel's JSON).
import { detectionChart, suspicionChart, type DetectorWords } from './detectorCharts.ts';
import { asRecord, text, type ProtocolView, type Tone } from './protocolView.ts';

const WORDS: DetectorWords = { suspect: 'Suspect', down: 'Dead', name: 'SWIM' };
const STATUS_TONE: Record<string, Tone> = { Alive: 'ok', Suspect: 'warn', Dead: 'bad' };

export const swimView: ProtocolView = {
  notes: ['status', 'incarnation'],
  summarize(state) {
    const s = asRecord(state);
    const members = Object.entries(asRecord(s.members));
    const count = (status: string): number => members.filter(([, m]) => asRecord(m).status === status).length;
    const suspect = count('Suspect');
    const dead = count('Dead');
    const tone: Tone = dead > 0 ? 'bad' : suspect > 0 ? 'warn' : s.joined ? 'ok' : 'neutral';
    const badge = !s.joined ? 'joining' : dead + suspect === 0 ? 'all alive' : [suspect ? `${suspect} suspect` : '', dead ? `${dead} dead` : ''].filter(Boolean).join(', ');
    const view = members.map(([id, m]) => `${id}:${text(asRecord(m).status).slice(0, 1)}${text(asRecord(m).inc)}`).join(' ');
    return { badge, tone, fields: [['incarnation', text(s.inc)], ['members', String(members.length)], ['view', view || '-'], ['probing', s.probe ? `n${text(asRecord(s.probe).target)}` : '-']] };
  },
  marker(note) {
    const d = asRecord(note.data);
    if (note.name === 'status' && d.to !== 'Alive') return { label: `n${text(d.peer)} ${d.to === null ? 'forgotten' : text(d.to)}`, tone: STATUS_TONE[String(d.to)] ?? 'neutral' };
    if (note.name === 'status' && d.from !== null) return { label: `n${text(d.peer)} Alive`, tone: 'ok' };
    if (note.name === 'incarnation') return { label: `inc ${text(d.inc)}: ${text(d.reason)}`, tone: 'info' };
    return undefined;
  },
  charts: (notes, ctx) => [suspicionChart(notes, ctx, WORDS), detectionChart(notes, ctx, WORDS)],
};
