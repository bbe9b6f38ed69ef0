// Sagas in the viewer: the orchestrator's badge counts running sagas, a service's shows which step
// it owns; compensations, failed sagas and circuit breaker changes are marked; charts show
// compensations and saga outcomes over time, from the notes (protocols/saga/notes.ts).
// Leaves out: per-call retry timing (the diagram shows the messages).
import { asRecord, seconds, text, type ChartContext, type ChartSpec, type ProtocolView } from './protocolView.ts';
import type { CollectedNote } from '../trace/traceIndexer.ts';

const STEPS = ['order', 'payment', 'inventory', 'shipping'];

export const sagaView: ProtocolView = {
  notes: ['saga-start', 'saga-end', 'compensation-applied', 'step-refused', 'breaker', 'give-up'],
  summarize(state) {
    const s = asRecord(state);
    if (s.role === 'orchestrator') {
      const breakers = Object.entries(asRecord(s.breakers)).filter(([, b]) => asRecord(b).mode !== 'closed').map(([k, b]) => `${k} ${text(asRecord(b).mode)}`);
      return { badge: `orchestrator · ${Array.isArray(s.active) ? s.active.length : 0} running`, tone: breakers.length ? 'warn' : 'leader', fields: [['running', String(Array.isArray(s.active) ? s.active.length : 0)], ['calls', String(Array.isArray(s.calls) ? s.calls.length : 0)], ['breakers', breakers.join(', ') || 'all closed']] };
    }
    const step = typeof s.step === 'number' ? (STEPS[s.step] ?? String(s.step)) : '?';
    return { badge: `${step} service`, tone: 'follower', fields: [['step', step], ['journal', text(asRecord(s.journal).seq)]] };
  },
  marker(note) {
    const d = asRecord(note.data);
    if (note.name === 'compensation-applied') return { label: `undo ${text(d.step)} #${text(d.saga)}`, tone: 'warn' };
    if (note.name === 'saga-end' && d.outcome !== 'completed') return { label: `saga ${text(d.saga)} ${text(d.outcome)}`, tone: 'bad' };
    if (note.name === 'breaker') return { label: `breaker ${text(d.service)} ${text(d.to)}`, tone: d.to === 'closed' ? 'ok' : 'bad' };
    if (note.name === 'give-up') return { label: `give up ${text(d.step)} #${text(d.saga)}`, tone: 'bad' };
    return undefined;
  },
  charts: (notes, ctx) => [compensationChart(notes, ctx)],
};

function compensationChart(notes: readonly CollectedNote[], ctx: ChartContext): ChartSpec {
  const bins = (): number[] => new Array<number>(ctx.bins).fill(0);
  const compensations = bins();
  const completed = bins();
  const compensated = bins();
  for (const n of notes) {
    const bin = Math.min(ctx.bins - 1, Math.floor(n.t / ctx.binUs));
    const into = n.name === 'compensation-applied' ? compensations : n.name !== 'saga-end' ? undefined : asRecord(n.data).outcome === 'completed' ? completed : compensated;
    if (into) into[bin] = (into[bin] as number) + 1;
  }
  const perSecond = 1_000_000 / ctx.binUs;
  const points = (counts: number[]): [number, number | null][] => counts.map((c, i) => [seconds((i + 0.5) * ctx.binUs), c * perSecond]);
  return {
    id: 'saga-compensations', title: 'Compensations and saga outcomes (saga)', yTitle: 'per second',
    series: [{ label: 'compensations applied', points: points(compensations), tone: 'warn' }, { label: 'sagas compensated', points: points(compensated), tone: 'bad' }, { label: 'sagas completed', points: points(completed), tone: 'ok', dashed: true }],
  };
}
