// Applying committed entries to the key-value state machine in order, answering the clients whose
// requests this node appended (only if the entry at that index is still theirs), and answering
// reads that waited for their read index (requests.ts) once it is confirmed and applied.
import { applyCommand } from './kv.ts';
import { majority, note, type Turn } from './turn.ts';
import { peerKey, type Entry, type PendingRead } from './types.ts';

export function applyCommitted(t: Turn): void {
  const s = t.s;
  while (s.applied < s.commit) {
    const index = s.applied + 1;
    const entry = s.log[index - 1] as Entry;
    s.applied = index;
    note(t, 'apply', { index, term: entry.term, h: entry.h });
    const waiting = s.pending[String(index)];
    const out = entry.cmd ? applyCommand(s.kv, s.sessions, entry.cmd) : undefined;
    if (out) {
      s.kv = out.kv;
      s.sessions = out.sessions;
    }
    if (waiting === undefined) continue;
    const { [String(index)]: _done, ...rest } = s.pending;
    s.pending = rest;
    // The entry there may since have been replaced (by another request or a new leader's no-op).
    const mine = out !== undefined && entry.cmd?.req === waiting;
    t.effects.push({ kind: 'reply', requestId: waiting, result: mine ? out.result : { ok: false, error: 'not-leader', leader: s.leader } });
  }
  checkReads(t);
}

/** Answers every read whose round a quorum acknowledged and whose index is applied. */
export function checkReads(t: Turn): void {
  const s = t.s;
  if (s.role !== 'leader' || s.reads.length === 0) return;
  const need = majority(t);
  const ready = (r: PendingRead): boolean => {
    if (s.applied < r.index) return false;
    let acks = 1;
    for (const p of t.ctx.peers) if ((s.acked[peerKey(p)] ?? 0) >= r.round) acks++;
    return acks >= need;
  };
  const done = s.reads.filter(ready);
  if (done.length === 0) return;
  for (const r of done) t.effects.push({ kind: 'reply', requestId: r.requestId, result: { ok: true, value: s.kv[r.key] ?? '' } });
  s.reads = s.reads.filter((r) => !ready(r));
}
