// Client requests at a node. A follower answers "not leader" with its leader hint, so the client
// retries there. The leader answers a request already applied from its session (a retry), puts
// writes (and, with reads=log, reads) in the log, and serves reads through a read index: the
// commit index when the read arrived, at least its own term's no-op, answered (apply.ts) once a
// quorum acknowledged a heartbeat round sent after the read arrived and the index is applied.
import { appended } from '../shared/copyOnWrite.ts';
import { checkReads } from './apply.ts';
import { sessionKey } from './kv.ts';
import { lastIndex, newEntry } from './log.ts';
import { appendLocal, onHeartbeat, replicateNow } from './replication.ts';
import type { Turn } from './turn.ts';
import type { Command, KvOp, PendingRead } from './types.ts';

export function onClientRequest(t: Turn, requestId: number, client: number, op: KvOp): void {
  const s = t.s;
  if (s.role !== 'leader') return void t.effects.push({ kind: 'reply', requestId, result: { ok: false, error: 'not-leader', leader: s.leader } });
  const session = s.sessions[sessionKey(client)];
  if (session && session.req === requestId) return void t.effects.push({ kind: 'reply', requestId, result: session.result });
  if (op.f === 'get' && t.cfg.reads === 'read-index') return startRead(t, requestId, client, op.key);
  appendRequest(t, requestId, { client, req: requestId, op });
}

function appendRequest(t: Turn, requestId: number, cmd: Command): void {
  const index = lastIndex(t.s.log) + 1;
  appendLocal(t, [newEntry(t.s.log, t.s.term, cmd)]);
  t.s.pending = appended(t.s.pending, { index, requestId });
  replicateNow(t);
}

function startRead(t: Turn, requestId: number, client: number, key: string): void {
  const s = t.s;
  if (t.bug === 'stale-read') return void t.effects.push({ kind: 'reply', requestId, result: { ok: true, value: s.kv[key] ?? '' } });
  const read: PendingRead = { requestId, client, key, index: Math.max(s.commit, s.termStart), round: s.round + 1 };
  s.reads = appended(s.reads, read);
  t.effects.push({ kind: 'cancelTimer', timer: 'heartbeat' });
  onHeartbeat(t); // a round now, so the read waits one round trip, not a heartbeat interval
  checkReads(t);
}
