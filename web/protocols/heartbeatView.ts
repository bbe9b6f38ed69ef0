// The heartbeat detector in the viewer: a node's badge counts the peers it suspects or has
// declared failed; every status change is marked; suspicion and detection charts come from
// detectorCharts.ts.
// Leaves out: nothing else is in its state.
import { detectionChart, suspicionChart, type DetectorWords } from './detectorCharts.ts';
import { asRecord, text, type ProtocolView, type Tone } from './protocolView.ts';

const WORDS: DetectorWords = { suspect: 'Suspect', down: 'Failed', name: 'heartbeat' };
const STATUS_TONE: Record<string, Tone> = { Healthy: 'ok', Suspect: 'warn', Failed: 'bad' };

export const heartbeatView: ProtocolView = {
  notes: ['status'],
  summarize(state) {
    const peers = Object.entries(asRecord(asRecord(state).peers));
    const suspect = peers.filter(([, v]) => v === 'Suspect').length;
    const failed = peers.filter(([, v]) => v === 'Failed').length;
    const tone: Tone = failed > 0 ? 'bad' : suspect > 0 ? 'warn' : 'ok';
    const badge = failed + suspect === 0 ? 'all healthy' : [suspect ? `${suspect} suspect` : '', failed ? `${failed} failed` : ''].filter(Boolean).join(', ');
    return { badge, tone, fields: peers.map(([id, v]) => [id, text(v)] as [string, string]) };
  },
  marker(note) {
    const d = asRecord(note.data);
    if (note.name !== 'status') return undefined;
    return { label: `n${text(d.peer)} ${text(d.to)}`, tone: STATUS_TONE[String(d.to)] ?? 'neutral' };
  },
  charts: (notes, ctx) => [suspicionChart(notes, ctx, WORDS), detectionChart(notes, ctx, WORDS)],
};
