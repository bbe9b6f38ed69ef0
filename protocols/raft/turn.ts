// One Raft step in progress: the working copy of the state (copy on write), the node's context,
// the fixed parameters, and the effects so far; plus small helpers every part of Raft uses
// (sending, notes, the election timer, stepping down to follower in a newer term).
import type { Effect, NodeContext, NodeId } from '../../sim/types.ts';
import type { Working } from '../shared/copyOnWrite.ts';
import type { RaftConfig } from './config.ts';
import type { PendingRead, RaftBug, RaftMessage, RaftState, RaftTimer, Role } from './types.ts';

export type RaftEffect = Effect<RaftMessage, RaftTimer>;

export interface Turn {
  readonly s: Working<RaftState>;
  readonly ctx: NodeContext;
  readonly cfg: RaftConfig;
  readonly bug: RaftBug;
  readonly effects: RaftEffect[];
  /** The state before this step (to tell whether the step writes to disk). */
  readonly base: RaftState;
  /**
   * Write the durable state even if this step leaves it unchanged: a vote granted again (the
   * candidate asked again, or a request was duplicated) may not be on disk yet, its first write
   * still in flight or failed, and the answer must wait for a write that holds it.
   */
  rewrite: boolean;
}

/** Whether this step writes currentTerm, votedFor or the log: its messages then wait for the write. */
export const writesThisStep = (t: Turn): boolean => t.s.term !== t.base.term || t.s.votedFor !== t.base.votedFor || t.s.log !== t.base.log;

export const majority = (t: Turn): number => Math.floor((t.ctx.peers.length + 1) / 2) + 1;

export function send(t: Turn, to: NodeId, msg: RaftMessage): void {
  t.effects.push({ kind: 'send', to, msg });
}

export function note(t: Turn, name: string, data: unknown): void {
  t.effects.push({ kind: 'note', name, data });
}

/** A fresh randomized election timeout (redrawn every time, as the design notes ask). */
export function armElection(t: Turn): void {
  const { electionMin, electionMax } = t.cfg;
  t.effects.push({ kind: 'setTimer', timer: 'election', afterUs: electionMin + Math.floor(t.ctx.rng.next() * (electionMax - electionMin + 1)) });
}

export function setRole(t: Turn, role: Role): void {
  if (t.s.role === role) return;
  t.s.role = role;
  note(t, 'role', { role, term: t.s.term });
}

/** A newer term, or a leader of this term: become its follower (votes reset only in a new term). */
export function becomeFollower(t: Turn, term: number, leader: NodeId | null): void {
  const wasLeader = t.s.role === 'leader';
  if (term > t.s.term) {
    t.s.term = term;
    t.s.votedFor = null;
  }
  t.s.leader = leader;
  t.s.votes = [];
  setRole(t, 'follower');
  if (wasLeader) stepDownCleanup(t);
  armElection(t);
}

/** A deposed leader fails its waiting reads (the client retries elsewhere) and stops its timers. */
function stepDownCleanup(t: Turn): void {
  for (const read of t.s.reads as PendingRead[]) t.effects.push({ kind: 'reply', requestId: read.requestId, result: { ok: false, error: 'not-leader', leader: t.s.leader } });
  t.s.reads = [];
  t.s.next = {};
  t.s.match = {};
  t.s.acked = {};
  t.s.heard = [];
  t.effects.push({ kind: 'cancelTimer', timer: 'heartbeat' }, { kind: 'cancelTimer', timer: 'quorum' });
}
