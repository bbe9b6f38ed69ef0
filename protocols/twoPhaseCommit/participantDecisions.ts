// A participant's second phase, its recovery and the termination protocol. A decision from the
// coordinator (GlobalCommit / GlobalAbort) or from a peer (DecisionReply) ends an uncertain
// transaction: commit applies the staged writes, abort drops them, and both release the locks.
// A commit is acknowledged only once it is on disk (an Ack lets the coordinator forget it). An
// uncertain participant asks the coordinator (DecisionRequest) askAfter after voting and again
// with backoff; with `termination` on it asks the other participants too. A peer answers what it
// knows: the outcome it learned, its own no vote (once on disk), or, if it has not voted at all,
// it aborts on the spot (writes that first) and answers abort. A prepared peer cannot help: when
// every participant voted yes and the coordinator is down, they all block (2PC's weakness).
// On restart a participant reads its log: prepared transactions are uncertain again and it asks
// at once. Deliberate bug ignore-early-abort: an abort for a transaction it has no record of is
// noted but not kept (the mistake: "no Prepare yet, nothing to roll back"), so a Prepare that the
// GlobalAbort overtook is voted on when it arrives. Leaves out: a participant that takes over as
// coordinator (3PC, Paxos commit).
import type { NodeContext, NodeId } from '../../sim/types.ts';
import { freezeNew, withKey, withoutKey, type Working } from '../shared/copyOnWrite.ts';
import type { TpcConfig } from './config.ts';
import { belowHorizon, type PT } from './participant.ts';
import { backoff, cancelTimer, isDurable, note, runTurn, send, setTimer, stageWrite, type TpcEffect } from './turn.ts';
import { parseTx, type Outcome, type ParticipantDurable, type ParticipantState, type ParticipantTx, type TpcBug, type Via } from './types.ts';

export function participantDurable(s: Working<ParticipantState>): ParticipantDurable {
  return { role: 'participant', version: s.version, data: s.data, txs: s.txs, horizon: s.horizon };
}

export function initParticipant(ctx: NodeContext, cfg: TpcConfig, bug: TpcBug, durable: ParticipantDurable | undefined): { state: ParticipantState; effects: TpcEffect[] } {
  const version = durable?.version ?? 0;
  let txs = durable?.txs ?? {};
  // The bug: prepared records are not read back, so a restarted participant forgets it voted yes.
  if (bug === 'forget-prepared') txs = Object.fromEntries(Object.entries(txs).filter(([, r]) => r.status !== 'prepared'));
  const base: ParticipantState = { role: 'participant', version, durableV: version, rewrites: 0, data: durable?.data ?? {}, txs, horizon: durable?.horizon ?? { epoch: 0, low: 0 }, asks: {} };
  freezeNew(base);
  return runTurn(base, ctx, cfg, bug, participantDurable, (t) => {
    const uncertain = Object.keys(txs).filter((tx) => txs[tx]?.status === 'prepared');
    if (uncertain.length > 0) note(t, 'recover', { prepared: uncertain });
    for (const tx of uncertain) {
      // Its yes vote is on disk (a crash may have come before the write was reported, and so
      // before the vote was sent and noted): it is uncertain again, and may send that vote now.
      note(t, 'prepared', { tx, recovered: true });
      onAskTimer(t, tx);
    }
  });
}

/** Writes up to `to` are on disk: votes, self-aborts and commit Acks that waited for them leave. */
export function participantDurableUpTo(t: PT, from: number, to: number): void {
  for (const tx in t.s.txs) {
    const rec = t.s.txs[tx] as ParticipantTx;
    if (rec.needV <= from || rec.needV > to) continue;
    if (rec.status === 'prepared') {
      send(t, t.cfg.coordinator, { type: 'VoteCommit', tx });
      note(t, 'prepared', { tx });
      setTimer(t, `ask:${tx}`, t.cfg.askAfter);
    } else if (rec.status === 'committed') {
      if (t.bug !== 'ack-before-durable') send(t, t.cfg.coordinator, { type: 'Ack', tx });
    } else if (rec.via === 'vote') {
      send(t, t.cfg.coordinator, { type: 'VoteAbort', tx });
      note(t, 'decided', { tx, outcome: 'abort', via: 'vote', reason: rec.reason });
    } else if (rec.via === 'termination') {
      for (const p of rec.askers ?? []) send(t, p, { type: 'DecisionReply', tx, outcome: 'abort' });
      note(t, 'decided', { tx, outcome: 'abort', via: 'termination', reason: rec.reason });
      t.s.txs = withKey(t.s.txs, tx, { ...rec, askers: [] });
    }
  }
}

/** GlobalCommit / GlobalAbort from the coordinator, or a DecisionReply from a peer. */
export function onDecision(t: PT, from: NodeId, tx: string, outcome: Outcome): void {
  const via: Via = from === t.cfg.coordinator ? 'coordinator' : 'peer';
  const rec = t.s.txs[tx];
  if (!rec) return unknownDecision(t, tx, outcome, via);
  if (rec.status === 'prepared') return learn(t, tx, rec, outcome, via);
  // Already decided: acknowledge a repeated commit once it is on disk; ignore anything else (a
  // late presumed-abort answer for a transaction this node committed and the coordinator forgot).
  if (rec.status === 'committed' && outcome === 'commit' && via === 'coordinator' && isDurable(t.s, rec.needV)) send(t, from, { type: 'Ack', tx });
}

function learn(t: PT, tx: string, rec: ParticipantTx, outcome: Outcome, via: Via): void {
  // The ack-before-durable bug writes a commit lazily (with the next write) and acknowledges it
  // at once; the engine holds a step's sends until its write is done, so it must not write here.
  const lazy = outcome === 'commit' && t.bug === 'ack-before-durable';
  const needV = lazy ? t.s.version : stageWrite(t);
  if (outcome === 'commit') {
    const data: Record<string, string> = Object.assign({}, t.s.data);
    for (const w of rec.writes) data[w.key] = w.value;
    t.s.data = data;
  }
  t.s.txs = withKey(t.s.txs, tx, { status: outcome === 'commit' ? 'committed' : 'aborted', via, writes: [], participants: rec.participants, needV });
  t.s.asks = withoutKey(t.s.asks, tx);
  cancelTimer(t, `ask:${tx}`);
  note(t, 'decided', { tx, outcome, via });
  if (lazy) send(t, t.cfg.coordinator, { type: 'Ack', tx });
}

/**
 * A decision about a transaction this node has no record of. A commit is acknowledged again (it
 * finished here and was dropped below the horizon: a resent GlobalCommit whose Ack was lost) and
 * reported as unknown-commit, so a checker can tell that from a yes vote lost with its log. An
 * abort above the horizon is kept, so that a late Prepare is answered no.
 */
function unknownDecision(t: PT, tx: string, outcome: Outcome, via: Via): void {
  const id = parseTx(tx);
  if (!id) return;
  if (outcome === 'commit') {
    if (via !== 'coordinator') return;
    note(t, 'unknown-commit', { tx });
    send(t, t.cfg.coordinator, { type: 'Ack', tx });
    return;
  }
  if (belowHorizon(t.s.horizon, id)) return;
  if (t.bug === 'ignore-early-abort') return note(t, 'decided', { tx, outcome, via });
  const needV = stageWrite(t);
  t.s.txs = withKey(t.s.txs, tx, { status: 'aborted', via, writes: [], participants: [], needV });
  note(t, 'decided', { tx, outcome, via });
}

/** A peer asks (termination protocol): answer what this node knows, or abort if it has not voted. */
export function onPeerAsk(t: PT, from: NodeId, tx: string): void {
  if (!t.cfg.termination) return;
  const rec = t.s.txs[tx];
  if (rec) {
    if (rec.status === 'prepared') return;
    const learned = rec.via === 'coordinator' || rec.via === 'peer';
    if (learned || isDurable(t.s, rec.needV)) return send(t, from, { type: 'DecisionReply', tx, outcome: rec.status === 'committed' ? 'commit' : 'abort' });
    if (rec.via === 'termination') t.s.txs = withKey(t.s.txs, tx, { ...rec, askers: [...(rec.askers ?? []), from] });
    return;
  }
  const id = parseTx(tx);
  if (!id || belowHorizon(t.s.horizon, id)) return; // finished and dropped here: nothing to tell
  const needV = stageWrite(t);
  t.s.txs = withKey(t.s.txs, tx, { status: 'aborted', via: 'termination', writes: [], participants: [], reason: `n${from} asked before this node voted`, needV, askers: [from] });
}

/** Ask for the outcome of an uncertain transaction (the coordinator, and with termination the peers). */
export function onAskTimer(t: PT, tx: string): void {
  const rec = t.s.txs[tx];
  if (!rec || rec.status !== 'prepared' || t.bug === 'never-ask') return;
  const n = t.s.asks[tx] ?? 0;
  send(t, t.cfg.coordinator, { type: 'DecisionRequest', tx });
  if (t.cfg.termination) for (const p of rec.participants) if (p !== t.ctx.id) send(t, p, { type: 'DecisionRequest', tx });
  t.s.asks = withKey(t.s.asks, tx, n + 1);
  setTimer(t, `ask:${tx}`, backoff(t, t.cfg.askAfter, n));
}
