// Two-phase commit in the viewer: the coordinator's badge shows its epoch and open votes, a
// participant's how many transactions it holds prepared (uncertain: it voted yes and waits for
// the outcome); decisions and recoveries are marked; charts show blocked participants (prepared,
// not yet decided) and decisions over time, from the notes (txNotes.ts documents them).
// Leaves out: lock tables (visible in the state panel's JSON).
import type { CollectedNote } from '../trace/traceIndexer.ts';
import { asRecord, seconds, stepSeries, text, type ChartContext, type ChartSpec, type ProtocolView } from './protocolView.ts';

export const twoPhaseCommitView: ProtocolView = {
  notes: ['begin', 'prepared', 'decided', 'recover', 'unknown-commit'],
  summarize(state) {
    const s = asRecord(state);
    if (s.role === 'coordinator') {
      const voting = Object.keys(asRecord(s.voting)).length;
      const commits = Object.keys(asRecord(s.commits)).length;
      return { badge: `coordinator · epoch ${text(s.epoch)}`, tone: s.ready ? 'leader' : 'candidate', fields: [['voting', String(voting)], ['committing', String(commits)], ['next tx', text(s.nextSeq)], ['ready', text(s.ready)]] };
    }
    const txs = Object.values(asRecord(s.txs)).map(asRecord);
    const prepared = txs.filter((t) => t.status === 'prepared').length;
    return {
      badge: prepared > 0 ? `participant · ${prepared} uncertain` : 'participant',
      tone: prepared > 0 ? 'warn' : 'follower',
      fields: [['prepared', String(prepared)], ['committed', String(txs.filter((t) => t.status === 'committed').length)], ['aborted', String(txs.filter((t) => t.status === 'aborted').length)], ['keys', String(Object.keys(asRecord(s.data)).length)]],
    };
  },
  marker(note) {
    const d = asRecord(note.data);
    // Coordinator decisions, and participants that decided without the coordinator (from a peer, or by termination).
    if (note.name === 'decided' && (d.via === undefined || d.via === 'peer' || d.via === 'termination')) return { label: `${text(d.tx)} ${text(d.outcome)}${d.via ? ` (${text(d.via)})` : ''}`, tone: d.outcome === 'commit' ? 'ok' : 'bad' };
    if (note.name === 'recover') return { label: 'recover', tone: 'info' };
    if (note.name === 'unknown-commit') return { label: `${text(d.tx)} unknown commit`, tone: 'bad' };
    return undefined;
  },
  charts: (notes, ctx) => [blockedChart(notes, ctx), decisionsChart(notes, ctx)],
};

/** A participant is blocked when it stays prepared (voted yes, outcome unknown) this long: far beyond a round trip. */
const BLOCKED_AFTER_US = 100_000;

/** Participants holding a prepared transaction without an outcome for longer than BLOCKED_AFTER_US. */
function blockedChart(notes: readonly CollectedNote[], ctx: ChartContext): ChartSpec {
  const since = new Map<string, number>();
  const changes: [number, number, number][] = []; // time, node, +1 or -1
  const close = (key: string, node: number, t: number): void => {
    const from = since.get(key);
    since.delete(key);
    if (from !== undefined && t - from > BLOCKED_AFTER_US) changes.push([from + BLOCKED_AFTER_US, node, 1], [t, node, -1]);
  };
  for (const n of notes) {
    const key = `${n.node}:${text(asRecord(n.data).tx)}`;
    if (n.name === 'prepared' && !since.has(key)) since.set(key, n.t);
    else if (n.name === 'decided') close(key, n.node, n.t);
  }
  for (const key of [...since.keys()]) close(key, Number(key.split(':')[0]), ctx.endT);
  changes.sort((a, b) => a[0] - b[0] || a[2] - b[2]);
  const perNode = new Map<number, number>();
  let pairs = 0;
  const nodeSteps: [number, number | null][] = [[0, 0]];
  const pairSteps: [number, number | null][] = [[0, 0]];
  for (const [t, node, d] of changes) {
    pairs += d;
    const left = (perNode.get(node) ?? 0) + d;
    if (left === 0) perNode.delete(node);
    else perNode.set(node, left);
    nodeSteps.push([t, perNode.size]);
    pairSteps.push([t, pairs]);
  }
  return {
    id: '2pc-blocked', title: 'Blocked participants (2PC): prepared, no outcome for over 100 ms', yTitle: 'blocked', integer: true,
    series: [stepSeries('participants blocked', nodeSteps, ctx.endT, { tone: 'bad' }), stepSeries('blocked transactions (per participant)', pairSteps, ctx.endT, { tone: 'warn', dashed: true })],
  };
}

function decisionsChart(notes: readonly CollectedNote[], ctx: ChartContext): ChartSpec {
  const commit = new Array<number>(ctx.bins).fill(0);
  const abort = new Array<number>(ctx.bins).fill(0);
  let coordinator = -1;
  for (const n of notes) if (n.name === 'begin') { coordinator = n.node; break; }
  for (const n of notes) {
    if (n.name !== 'decided' || n.node !== coordinator) continue;
    const bin = Math.min(ctx.bins - 1, Math.floor(n.t / ctx.binUs));
    const into = asRecord(n.data).outcome === 'commit' ? commit : abort;
    into[bin] = (into[bin] as number) + 1;
  }
  const perSecond = 1_000_000 / ctx.binUs;
  const points = (counts: number[]): [number, number | null][] => counts.map((c, i) => [seconds((i + 0.5) * ctx.binUs), c * perSecond]);
  return { id: '2pc-decisions', title: 'Coordinator decisions (2PC)', yTitle: 'per second', series: [{ label: 'commit', points: points(commit), tone: 'ok' }, { label: 'abort', points: points(abort), tone: 'bad' }] };
}
