// A participant's first phase: it receives Prepare with its share of the writes, and votes. It
// votes no on a lock conflict (a key held by another prepared transaction: no-wait locking, so no
// deadlocks), on a malformed share, or for a seeded business reason (`refuse`); otherwise it stages
// the writes, locks their keys and votes yes. Either vote is written before it is sent (turn.ts):
// a yes vote makes the participant uncertain (prepared) until it learns the outcome, holding its
// locks. Duplicated Prepares get the recorded vote again. Each Prepare carries the coordinator's
// horizon (its boot epoch and lowest sequence number still collecting votes); a Prepare below the
// horizon is stale and ignored, and finished records below it are dropped, which keeps the log
// short. Leaves out: reads, lock waiting, and timeouts before voting.
import { chance } from '../../sim/rng.ts';
import type { NodeId } from '../../sim/types.ts';
import { withKey } from '../shared/copyOnWrite.ts';
import { ownerOf, participantsOf } from './placement.ts';
import { isDurable, stageWrite, type Turn } from './turn.ts';
import { parseTx, type Horizon, type ParticipantState, type ParticipantTx, type TpcMessage, type Write } from './types.ts';

export type PT = Turn<ParticipantState>;

/** Whether a transaction is below the horizon: the coordinator never prepares it again. */
export function belowHorizon(h: Horizon, id: { epoch: number; seq: number }): boolean {
  return id.epoch < h.epoch || (id.epoch === h.epoch && id.seq < h.low);
}

export function onPrepare(t: PT, from: NodeId, msg: Extract<TpcMessage, { type: 'Prepare' }>): void {
  const id = parseTx(msg.tx);
  if (!id || from !== t.cfg.coordinator) return;
  if (Number.isSafeInteger(msg.low) && msg.low >= 0) advanceHorizon(t, { epoch: id.epoch, low: Math.min(msg.low, id.seq) });
  if (belowHorizon(t.s.horizon, id)) return;
  const rec = t.s.txs[msg.tx];
  if (rec) {
    if (isDurable(t.s, rec.needV)) resendVote(t, msg.tx, rec);
    return;
  }
  vote(t, msg.tx, msg.writes, msg.participants);
}

/** The vote a record stands for, sent again (a duplicated or resent Prepare). */
function resendVote(t: PT, tx: string, rec: ParticipantTx): void {
  if (rec.via === 'vote' || rec.via === 'termination') t.effects.push({ kind: 'send', to: t.cfg.coordinator, msg: { type: rec.status === 'prepared' ? 'VoteCommit' : 'VoteAbort', tx } });
}

function vote(t: PT, tx: string, writes: unknown, participants: unknown): void {
  const mine = participantsOf(t.ctx.peers.length + 1, t.cfg.coordinator);
  const valid = validShare(writes, mine, t.ctx.id) && Array.isArray(participants) && participants.includes(t.ctx.id) && participants.every((p) => mine.includes(p as NodeId));
  const reason = !valid ? 'malformed Prepare' : conflict(t.s, writes as Write[]) ?? (chance(t.ctx.rng, t.cfg.refuse) ? 'refused (business rule)' : undefined);
  const needV = stageWrite(t);
  const others = valid ? (participants as NodeId[]) : [];
  const rec: ParticipantTx = reason === undefined
    ? { status: 'prepared', via: 'vote', writes: writes as Write[], participants: others, needV }
    : { status: 'aborted', via: 'vote', writes: [], participants: others, reason, needV };
  t.s.txs = withKey(t.s.txs, tx, rec);
}

function validShare(writes: unknown, participants: readonly NodeId[], me: NodeId): boolean {
  if (!Array.isArray(writes) || writes.length === 0) return false;
  return writes.every((w) => typeof w?.key === 'string' && typeof w?.value === 'string' && ownerOf(w.key, participants) === me);
}

/** "lock conflict on k3 (held by 2.7)" when another prepared transaction holds one of the keys. */
function conflict(s: PT['s'], writes: readonly Write[]): string | undefined {
  for (const tx in s.txs) {
    const rec = s.txs[tx] as ParticipantTx;
    if (rec.status !== 'prepared') continue;
    const held = writes.find((w) => rec.writes.some((x) => x.key === w.key));
    if (held) return `lock conflict on ${held.key} (held by ${tx})`;
  }
  return undefined;
}

/** A newer horizon: finished records below it (already on disk) are dropped. */
function advanceHorizon(t: PT, h: Horizon): void {
  const cur = t.s.horizon;
  if (h.epoch < cur.epoch || (h.epoch === cur.epoch && h.low <= cur.low)) return;
  t.s.horizon = h;
  const kept: Record<string, ParticipantTx> = {};
  let dropped = false;
  for (const tx in t.s.txs) {
    const rec = t.s.txs[tx] as ParticipantTx;
    const id = parseTx(tx);
    if (rec.status !== 'prepared' && isDurable(t.s, rec.needV) && id !== undefined && belowHorizon(h, id)) dropped = true;
    else kept[tx] = rec;
  }
  if (dropped) t.s.txs = kept;
}
