// Applying committed entries to the key-value state machine in order, answering the clients whose
// requests this node appended (only if the entry at that index is still theirs), and answering
// reads that waited for their read index (requests.ts) once it is confirmed and applied.
import { kept } from '../shared/copyOnWrite.ts';
import { applyShared } from './kv.ts';
import { entryAt } from './log.ts';
import { majority, note, type Turn } from './turn.ts';
import { peerKey, type Entry, type PendingRead, type PendingWrite } from './types.ts';

export function applyCommitted(t: Turn): void {
  const s = t.s;
  while (s.applied < s.commit) {
    const index = s.applied + 1;
    const entry = entryAt(s.log, index) as Entry;
    s.applied = index;
    note(t, 'apply', { index, term: entry.term, h: entry.h });
    const waiting = s.pending.length > 0 ? takePending(t, index) : undefined;
    const out = entry.cmd ? applyShared(s.kv, s.sessions, entry.cmd) : undefined;
    if (out) {
      s.kv = out.kv;
      s.sessions = out.sessions;
    }
    if (waiting === undefined) continue;
    // The entry there may since have been replaced (by another request or a new leader's no-op).
    const mine = out !== undefined && entry.cmd?.req === waiting;
    t.effects.push({ kind: 'reply', requestId: waiting, result: mine ? out.result : { ok: false, error: 'not-leader', leader: s.leader } });
  }
  checkReads(t);
}

/** The request waiting on `index`, if any, removed from pending. */
function takePending(t: Turn, index: number): number | undefined {
  const at = t.s.pending.findIndex((p) => p.index === index);
  if (at < 0) return undefined;
  const found = t.s.pending[at] as PendingWrite;
  t.s.pending = kept(t.s.pending, (p) => p !== found);
  return found.requestId;
}

/** Answers every read whose round a quorum acknowledged and whose index is applied. */
export function checkReads(t: Turn): void {
  const s = t.s;
  if (s.role !== 'leader' || s.reads.length === 0) return;
  const waiting: PendingRead[] = [];
  for (const r of s.reads) {
    if (readReady(t, r)) t.effects.push({ kind: 'reply', requestId: r.requestId, result: { ok: true, value: s.kv[r.key] ?? '' } });
    else waiting.push(r);
  }
  if (waiting.length < s.reads.length) s.reads = waiting;
}

function readReady(t: Turn, r: PendingRead): boolean {
  if (t.s.applied < r.index) return false;
  let acks = 1;
  for (const p of t.ctx.peers) if ((t.s.acked[peerKey(p)] ?? 0) >= r.round) acks++;
  return acks >= majority(t);
}
