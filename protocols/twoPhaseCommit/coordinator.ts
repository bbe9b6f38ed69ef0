// The coordinator's first phase: client requests (deduplicated by client and request id), starting
// a transaction (Prepare to every participant it touches, a prepare deadline, resends to those
// that have not voted), counting votes, and deciding. Abort (a no vote, or a vote missing at the
// prepare deadline) is sent at once and not written (presumed abort: a coordinator with no record
// of a transaction answers abort). Commit is written first and sent only once it is on disk
// (coordinatorCommit.ts). Leaves out: read-only participants and the one-phase optimisation.
import type { NodeId } from '../../sim/types.ts';
import { withKey, withoutKey } from '../shared/copyOnWrite.ts';
import { participantsOf, shard } from './placement.ts';
import { backoff, cancelTimer, note, send, setTimer, stageWrite, type Turn } from './turn.ts';
import { peerKey, txId, type CoordinatorState, type Outcome, type TxResult, type VotingTx, type Write } from './types.ts';

export type CT = Turn<CoordinatorState>;

export const committedResult = (tx: string): TxResult => ({ ok: true, outcome: 'committed', tx });
export const abortedResult = (tx: string, reason: string): TxResult => ({ ok: false, outcome: 'aborted', tx, reason });

/** The smallest sequence number still collecting votes: Prepare is never sent again below it. */
export function lowWater(s: CoordinatorState | CT['s']): number {
  let low = s.nextSeq;
  for (const tx in s.voting) low = Math.min(low, (s.voting[tx] as VotingTx).seq);
  return low;
}

const reply = (t: CT, requestId: number, result: TxResult): void => void t.effects.push({ kind: 'reply', requestId, result });

export function onClientRequest(t: CT, requestId: number, client: number, op: unknown): void {
  const s = t.s;
  if (!s.ready) return reply(t, requestId, { ok: false, error: 'unavailable' });
  const session = s.sessions[`c${client}`];
  if (session && session.req === requestId) return reply(t, requestId, session.outcome === 'commit' ? committedResult(session.tx) : abortedResult(session.tx, 'aborted'));
  if (session && session.req > requestId) return reply(t, requestId, { ok: false, error: 'stale' });
  const active = activeTx(s, client, requestId);
  if (active !== undefined) {
    const commit = s.commits[active];
    if (commit && commit.needV <= s.durableV) return reply(t, requestId, committedResult(active));
    s.waiting = withKey(s.waiting, active, requestId);
    return;
  }
  const shards = shard(op, participantsOf(t.ctx.peers.length + 1, t.ctx.id));
  if (!shards) return reply(t, requestId, { ok: false, error: 'bad-op' });
  begin(t, client, requestId, shards);
}

/** The transaction already running for this request (a client retry), if any. */
function activeTx(s: CT['s'], client: number, req: number): string | undefined {
  for (const tx in s.voting) if ((s.voting[tx] as VotingTx).client === client && (s.voting[tx] as VotingTx).req === req) return tx;
  for (const tx in s.commits) if (s.commits[tx]?.client === client && s.commits[tx]?.req === req) return tx;
  return undefined;
}

function begin(t: CT, client: number, req: number, shards: Map<NodeId, Write[]>): void {
  const s = t.s;
  const seq = s.nextSeq;
  const tx = txId(s.epoch, seq);
  const participants = [...shards.keys()];
  const writes: Record<string, Write[]> = {};
  for (const [p, w] of shards) writes[peerKey(p)] = w;
  s.nextSeq = seq + 1;
  s.voting = withKey(s.voting, tx, { seq, client, req, participants, writes, yes: [] });
  s.waiting = withKey(s.waiting, tx, req);
  note(t, 'begin', { tx, client, req, participants });
  for (const p of participants) sendPrepare(t, tx, p);
  setTimer(t, `prepare:${tx}`, t.cfg.prepareTimeout);
  setTimer(t, `resend:${tx}`, backoff(t, t.cfg.resend, 0));
}

export function sendPrepare(t: CT, tx: string, to: NodeId): void {
  const v = t.s.voting[tx] as VotingTx;
  send(t, to, { type: 'Prepare', tx, writes: v.writes[peerKey(to)] ?? [], participants: v.participants, low: lowWater(t.s) });
}

export function onVote(t: CT, from: NodeId, tx: string, yes: boolean): void {
  const v = t.s.voting[tx];
  if (!v) {
    // Not collecting votes for it: aborted and forgotten, from an earlier life, or committed. A
    // voter that is prepared learns abort now instead of asking later (presumed abort).
    if (yes && !t.s.commits[tx]) send(t, from, { type: 'GlobalAbort', tx });
    return;
  }
  if (!v.participants.includes(from)) return;
  if (!yes) return decideAbort(t, tx, `n${from} voted no`);
  if (v.yes.includes(from)) return;
  const voted = [...v.yes, from];
  if (voted.length === v.participants.length) return decideCommit(t, tx);
  t.s.voting = withKey(t.s.voting, tx, { ...v, yes: voted });
}

/** The prepare deadline: a vote is missing, so abort (the commit-on-timeout bug commits). */
export function onPrepareTimeout(t: CT, tx: string): void {
  const v = t.s.voting[tx];
  if (!v) return;
  if (t.bug === 'commit-on-timeout') return decideCommit(t, tx);
  const missing = v.participants.filter((p) => !v.yes.includes(p)).map((p) => `n${p}`);
  decideAbort(t, tx, `prepare timeout: no vote from ${missing.join(', ')}`);
}

function endVoting(t: CT, tx: string): VotingTx {
  const v = t.s.voting[tx] as VotingTx;
  t.s.voting = withoutKey(t.s.voting, tx);
  t.s.resends = withoutKey(t.s.resends, tx);
  cancelTimer(t, `prepare:${tx}`);
  cancelTimer(t, `resend:${tx}`);
  return v;
}

/** Abort: not written (presumed abort); sent to every participant and answered at once. */
export function decideAbort(t: CT, tx: string, reason: string): void {
  const v = endVoting(t, tx);
  for (const p of v.participants) send(t, p, { type: 'GlobalAbort', tx });
  note(t, 'decided', { tx, outcome: 'abort', reason });
  const requestId = t.s.waiting[tx];
  if (requestId !== undefined) reply(t, requestId, abortedResult(tx, reason));
  t.s.waiting = withoutKey(t.s.waiting, tx);
  rememberOutcome(t, v.client, v.req, tx, 'abort');
}

/** Commit: the decision is written first; it is announced once on disk (coordinatorCommit.ts). */
export function decideCommit(t: CT, tx: string): void {
  const v = endVoting(t, tx);
  const needV = stageWrite(t);
  t.s.commits = withKey(t.s.commits, tx, { client: v.client, req: v.req, participants: v.participants, needV });
  t.s.acked = withKey(t.s.acked, tx, []);
}

/** The client's latest finished request (an older one never replaces a newer one). */
export function rememberOutcome(t: CT, client: number, req: number, tx: string, outcome: Outcome): void {
  const key = `c${client}`;
  const current = t.s.sessions[key];
  if (current && current.req >= req) return;
  t.s.sessions = withKey(t.s.sessions, key, { req, tx, outcome });
}

/** Resend Prepare to participants that have not voted, with backoff. */
export function resendPrepares(t: CT, tx: string): void {
  const v = t.s.voting[tx] as VotingTx;
  const n = t.s.resends[tx] ?? 0;
  for (const p of v.participants) if (!v.yes.includes(p)) sendPrepare(t, tx, p);
  t.s.resends = withKey(t.s.resends, tx, n + 1);
  setTimer(t, `resend:${tx}`, backoff(t, t.cfg.resend, n + 1));
}
