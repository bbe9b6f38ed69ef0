// Raft in the viewer: nodes coloured by role with term, commit and log length; leader elections,
// candidacies and log truncations marked on the diagram; a chart of the leader and the term over
// time (from the role and leader notes, with crashed nodes losing their role).
// Leaves out: per-entry notes (entry, commit, apply), which are too many to mark.
import type { CollectedNote } from '../trace/traceIndexer.ts';
import { asRecord, stepSeries, text, type ChartContext, type ChartSpec, type ProtocolView, type Tone } from './protocolView.ts';

const ROLE_TONE: Record<string, Tone> = { leader: 'leader', candidate: 'candidate', follower: 'follower' };

export const raftView: ProtocolView = {
  notes: ['leader', 'role', 'truncate'],
  summarize(state) {
    const s = asRecord(state);
    const role = typeof s.role === 'string' ? s.role : '?';
    const log = asRecord(s.log);
    return {
      badge: `${role} · term ${text(s.term)}`,
      tone: ROLE_TONE[role] ?? 'neutral',
      fields: [
        ['voted for', s.votedFor === null ? '-' : `n${text(s.votedFor)}`],
        ['leader', s.leader === null || s.leader === undefined ? '-' : `n${text(s.leader)}`],
        ['log', text(log.length)],
        ['commit', text(s.commit)],
        ['applied', text(s.applied)],
        ['keys', String(Object.keys(asRecord(s.kv)).length)],
      ],
    };
  },
  marker(note) {
    const d = asRecord(note.data);
    if (note.name === 'leader') return { label: `leader t${text(d.term)}`, tone: 'leader' };
    if (note.name === 'role' && d.role === 'candidate') return { label: `candidate t${text(d.term)}`, tone: 'candidate' };
    if (note.name === 'truncate') return { label: `truncate ${text(d.from)}+`, tone: 'bad' };
    return undefined;
  },
  charts: (notes, ctx) => [leaderChart(notes, ctx)],
};

function leaderChart(notes: readonly CollectedNote[], ctx: ChartContext): ChartSpec {
  const role = new Map<number, { role: string; term: number }>();
  const leaderChanges: [number, number | null][] = [[0, 0]];
  const termChanges: [number, number | null][] = [[0, 0]];
  let maxTerm = 0;
  const current = (): number => {
    let best = 0;
    let bestTerm = -1;
    for (const [node, r] of role) if (r.role === 'leader' && r.term > bestTerm) [best, bestTerm] = [node, r.term];
    return best;
  };
  const events = mergeByTime(notes, ctx.lifeChanges);
  for (const e of events) {
    if ('name' in e) {
      const d = asRecord(e.data);
      const term = typeof d.term === 'number' ? d.term : 0;
      if (e.name === 'leader') role.set(e.node, { role: 'leader', term });
      else if (e.name === 'role' && typeof d.role === 'string') role.set(e.node, { role: d.role, term });
      maxTerm = Math.max(maxTerm, term);
      termChanges.push([e.t, maxTerm]);
    } else if (!e[2]) role.delete(e[1]);
    leaderChanges.push(['name' in e ? e.t : e[0], current()]);
  }
  return {
    id: 'raft-leader', title: 'Leader and term (Raft)', yTitle: 'leader node (0: none)', y2Title: 'term', integer: true,
    series: [
      stepSeries('leader (node)', leaderChanges, ctx.endT, { tone: 'leader' }),
      stepSeries('highest term', termChanges, ctx.endT, { tone: 'candidate', axis: 'y2', dashed: true }),
    ],
  };
}

/** Notes and crash/restart changes in one time order (a change before a note at the same time). */
export function mergeByTime(notes: readonly CollectedNote[], life: readonly [number, number, boolean][]): (CollectedNote | [number, number, boolean])[] {
  const out: (CollectedNote | [number, number, boolean])[] = [];
  let j = 0;
  for (const n of notes) {
    while (j < life.length && (life[j] as [number, number, boolean])[0] <= n.t) out.push(life[j++] as [number, number, boolean]);
    out.push(n);
  }
  while (j < life.length) out.push(life[j++] as [number, number, boolean]);
  return out;
}
