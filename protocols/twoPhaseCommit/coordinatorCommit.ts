// The coordinator's second phase and its recovery. A commit decision is announced only once it is
// on disk: then GlobalCommit goes to every participant and is resent (with backoff) to those that
// have not acknowledged; when all have, the record is dropped (the end record is written lazily,
// nothing waits for it) and the outcome stays in the client's session. A DecisionRequest is
// answered from the records: commit if a commit is on disk, nothing while votes are still being
// collected, abort otherwise (presumed abort). On restart the coordinator takes a new epoch (so
// transaction ids are never reused), starts no transaction before that epoch is on disk, and
// resends every commit record it finds. Leaves out: a coordinator that hands its log to a backup.
import type { NodeContext, NodeId } from '../../sim/types.ts';
import { freezeNew, withKey, withoutKey, type Working } from '../shared/copyOnWrite.ts';
import type { TpcConfig } from './config.ts';
import { committedResult, rememberOutcome, resendPrepares, type CT } from './coordinator.ts';
import { backoff, cancelTimer, note, runTurn, send, setTimer, stageWrite, type TpcEffect } from './turn.ts';
import type { CommitRecord, CoordinatorDurable, CoordinatorState, TpcBug } from './types.ts';

export function coordinatorDurable(s: Working<CoordinatorState>): CoordinatorDurable {
  return { role: 'coordinator', version: s.version, epoch: s.epoch, commits: s.commits, sessions: s.sessions };
}

export function initCoordinator(ctx: NodeContext, cfg: TpcConfig, bug: TpcBug, durable: CoordinatorDurable | undefined): { state: CoordinatorState; effects: TpcEffect[] } {
  const version = durable?.version ?? 0;
  const commits = durable?.commits ?? {};
  const acked: Record<string, NodeId[]> = {};
  for (const tx in commits) acked[tx] = [];
  const base: CoordinatorState = {
    role: 'coordinator', version, durableV: version, rewrites: 0, epoch: (durable?.epoch ?? 0) + 1, ready: false, nextSeq: 1,
    voting: {}, commits, acked, waiting: {}, sessions: durable?.sessions ?? {}, resends: {},
  };
  freezeNew(base);
  return runTurn(base, ctx, cfg, bug, coordinatorDurable, (t) => {
    stageWrite(t); // the new epoch
    const recovered = Object.keys(commits);
    if (recovered.length > 0) note(t, 'recover', { epoch: t.s.epoch, commits: recovered });
    for (const tx of recovered) announceCommit(t, tx);
  });
}

/** Writes up to `to` are on disk: the epoch (now ready) and commit decisions waiting for it. */
export function coordinatorDurableUpTo(t: CT, from: number, to: number): void {
  t.s.ready = true;
  for (const tx in t.s.commits) {
    const c = t.s.commits[tx] as CommitRecord;
    if (c.needV > from && c.needV <= to) {
      note(t, 'decided', { tx, outcome: 'commit' });
      const requestId = t.s.waiting[tx];
      if (requestId !== undefined) t.effects.push({ kind: 'reply', requestId, result: committedResult(tx) });
      t.s.waiting = withoutKey(t.s.waiting, tx);
      announceCommit(t, tx);
      if (t.bug === 'forget-before-acks') forget(t, tx, c);
    }
  }
}

function announceCommit(t: CT, tx: string): void {
  const c = t.s.commits[tx] as CommitRecord;
  const acked = t.s.acked[tx] ?? [];
  for (const p of c.participants) if (!acked.includes(p)) send(t, p, { type: 'GlobalCommit', tx });
  const n = t.s.resends[tx] ?? 0;
  setTimer(t, `resend:${tx}`, backoff(t, t.cfg.resend, n));
}

export function onResend(t: CT, tx: string): void {
  if (t.s.voting[tx]) return resendPrepares(t, tx);
  const c = t.s.commits[tx];
  if (!c || c.needV > t.s.durableV) return;
  t.s.resends = withKey(t.s.resends, tx, (t.s.resends[tx] ?? 0) + 1);
  announceCommit(t, tx);
}

export function onAck(t: CT, from: NodeId, tx: string): void {
  const c = t.s.commits[tx];
  const acked = t.s.acked[tx];
  if (!c || !acked || c.needV > t.s.durableV || !c.participants.includes(from) || acked.includes(from)) return;
  const now = [...acked, from];
  if (now.length < c.participants.length) {
    t.s.acked = withKey(t.s.acked, tx, now);
    return;
  }
  forget(t, tx, c);
}

/** Every participant has the commit on disk: forget it (the end record; nothing waits for it). */
function forget(t: CT, tx: string, c: CommitRecord): void {
  t.s.commits = withoutKey(t.s.commits, tx);
  t.s.acked = withoutKey(t.s.acked, tx);
  t.s.resends = withoutKey(t.s.resends, tx);
  t.s.waiting = withoutKey(t.s.waiting, tx);
  cancelTimer(t, `resend:${tx}`);
  rememberOutcome(t, c.client, c.req, tx, 'commit');
  stageWrite(t);
}

/** A participant asks for the outcome: commit once on disk, silence while voting, else presumed abort. */
export function onDecisionRequest(t: CT, from: NodeId, tx: string): void {
  if (t.s.voting[tx]) return;
  const c = t.s.commits[tx];
  if (c) {
    if (c.needV <= t.s.durableV) send(t, from, { type: 'GlobalCommit', tx });
    return;
  }
  send(t, from, { type: 'GlobalAbort', tx });
}
