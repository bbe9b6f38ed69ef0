// Raft (Ongaro and Ousterhout, extended paper) as a pure state machine: roles follower,
// (pre)candidate and leader; randomized election timeouts redrawn each time; heartbeats; the
// up-to-date vote check; AppendEntries with the prevIndex/prevTerm check, conflict-only
// truncation and fast backtracking; commit of current-term entries by majority; in-order apply to
// a key-value store with client sessions; optional pre-vote and check-quorum; read-index reads.
// currentTerm, votedFor and the log are persisted in the same step that changes them, and the
// engine holds that step's messages until the write is durable, so nothing is answered before
// it is on disk. Election is in election.ts, replication in replication.ts, applying in apply.ts,
// client requests in requests.ts. Leaves out: snapshots and log compaction, membership changes.
import type { Input, NodeContext, NodeId, Protocol, Step } from '../../sim/types.ts';
import { appended, freezeNew, kept, type Working } from '../shared/copyOnWrite.ts';
import { freeze } from '../../sim/freezing.ts';
import type { RaftConfig } from './config.ts';
import { onElectionTimeout, onRequestVote, onRequestVoteReply, onVoteRetry } from './election.ts';
import { advanceCommit, onAppendEntries, onAppendEntriesReply, onHeartbeat, onQuorumCheck } from './replication.ts';
import { onClientRequest } from './requests.ts';
import { armElection, type RaftEffect, type Turn } from './turn.ts';
import { EMPTY_LOG, isRaftLog } from './log.ts';
import { EMPTY_KV, EMPTY_SESSIONS } from './kv.ts';
import type { KvOp, RaftBug, RaftDurable, RaftMessage, RaftState, RaftTimer } from './types.ts';

type RaftStep = Step<RaftState, RaftMessage, RaftTimer>;

export function createRaft(cfg: RaftConfig, bug: RaftBug): Protocol<RaftState, RaftMessage, RaftTimer, RaftDurable> {
  return {
    name: 'raft',
    init(ctx, durable) {
      const s = initialState(readDurable(durable));
      // Heartbeat rounds start at a random point, so an acknowledgement of a round from this
      // node's previous life cannot confirm a read in this one.
      s.round = Math.floor(ctx.rng.next() * 2 ** 30);
      const effects: RaftEffect[] = [];
      armElection({ s, ctx, cfg, bug, effects, base: s as RaftState, rewrite: false });
      freezeNew(s);
      return { state: s, effects };
    },
    step(state, input: Input<RaftMessage, RaftTimer>, ctx): RaftStep {
      if (input.kind !== 'message' && input.kind !== 'timer' && input.kind !== 'request' && input.kind !== 'persisted') return { state, effects: [] };
      const s = workingCopy(state);
      const effects: RaftEffect[] = [];
      const t: Turn = { s, ctx, cfg, bug, effects, base: state, rewrite: false };
      onInput(t, input);
      if (t.rewrite || writes(state, s)) effects.unshift(persistOf(s, bug));
      return { state: finishState(state, s), effects };
    },
  };
}

/** One input, handled on the working copy (no closure per step: this runs for every input). */
function onInput(t: Turn, input: Input<RaftMessage, RaftTimer>): void {
  switch (input.kind) {
    case 'message': return onMessage(t, input.from, input.msg);
    case 'timer': return onTimer(t, input.timer);
    case 'request': return onClientRequest(t, input.requestId, input.client, input.op as KvOp);
    case 'persisted': return onPersisted(t, input.token, input.ok);
    default: return;
  }
}

/**
 * A shallow copy of the state to work on. Spelled out field by field: V8 spreads a frozen object
 * about ten times slower than a plain one (433 ns against 40 ns for this state), and the literal
 * keeps one hidden class for every state. The type makes the compiler catch a missing field.
 */
function workingCopy(s: RaftState): Working<RaftState> {
  return {
    role: s.role, term: s.term, votedFor: s.votedFor, log: s.log, commit: s.commit, applied: s.applied, leader: s.leader,
    votes: s.votes, next: s.next, match: s.match, round: s.round, acked: s.acked, termStart: s.termStart, heard: s.heard,
    leaderSeenUs: s.leaderSeenUs, kv: s.kv, sessions: s.sessions, pending: s.pending, reads: s.reads,
    durable: s.durable, writes: s.writes, writeSeq: s.writeSeq,
  };
}

/**
 * The state a step ends with (copyOnWrite.ts's finish, spelled out for Raft's fields): the
 * original when no field was replaced, else the working copy, frozen with what the step created.
 * The generic finish walks the fields with for-in and reads the old state by a computed key,
 * about 450 ns a step against 90 ns here, a fifth of a raft-5 run. raftFinish.test.ts checks that
 * a change to any one field is seen.
 */
export function finishState(b: RaftState, s: Working<RaftState>): RaftState {
  if (s.role === b.role && s.term === b.term && s.votedFor === b.votedFor && s.log === b.log && s.commit === b.commit
    && s.applied === b.applied && s.leader === b.leader && s.votes === b.votes && s.next === b.next && s.match === b.match
    && s.round === b.round && s.acked === b.acked && s.termStart === b.termStart && s.heard === b.heard
    && s.leaderSeenUs === b.leaderSeenUs && s.kv === b.kv && s.sessions === b.sessions && s.pending === b.pending
    && s.reads === b.reads && s.durable === b.durable && s.writes === b.writes && s.writeSeq === b.writeSeq) return b;
  if (s.log !== b.log) freezeNew(s.log);
  if (s.votes !== b.votes) freezeNew(s.votes);
  if (s.next !== b.next) freezeNew(s.next);
  if (s.match !== b.match) freezeNew(s.match);
  if (s.acked !== b.acked) freezeNew(s.acked);
  if (s.heard !== b.heard) freezeNew(s.heard);
  if (s.kv !== b.kv) freezeNew(s.kv);
  if (s.sessions !== b.sessions) freezeNew(s.sessions);
  if (s.pending !== b.pending) freezeNew(s.pending);
  if (s.reads !== b.reads) freezeNew(s.reads);
  if (s.writes !== b.writes) freezeNew(s.writes);
  return freeze(s);
}

/** Whether a step changed what must be on disk (currentTerm, votedFor, the log). */
const writes = (before: RaftState, after: Working<RaftState>): boolean => after.term !== before.term || after.votedFor !== before.votedFor || after.log !== before.log;

/** A write of the durable state; its token remembers how much of the log it holds. */
function persistOf(s: Working<RaftState>, bug: RaftBug): RaftEffect {
  s.writeSeq += 1;
  s.writes = appended(s.writes, { token: s.writeSeq, held: s.log.length });
  // Frozen here (the log is already), so the disk's deep freeze stops at once.
  const data: RaftDurable = freeze({ term: s.term, votedFor: bug === 'forget-vote' ? null : s.votedFor, log: s.log });
  return { kind: 'persist', token: s.writeSeq, data };
}

/**
 * A write finished. Done: that much of the log is on disk, so the leader may count itself and a
 * follower may acknowledge it (replication.ts). Failed (a full disk): write the state again.
 */
function onPersisted(t: Turn, token: number, ok: boolean): void {
  const write = t.s.writes.find((w) => w.token === token);
  if (write === undefined) return;
  t.s.writes = kept(t.s.writes, (w) => w !== write);
  const { held } = write;
  if (!ok) return void t.effects.push(persistOf(t.s, t.bug));
  if (held > t.s.durable) {
    t.s.durable = held;
    if (t.s.role === 'leader') advanceCommit(t);
  }
}

function initialState(durable: RaftDurable | undefined): Working<RaftState> {
  return {
    role: 'follower', term: durable?.term ?? 0, votedFor: durable?.votedFor ?? null, log: durable?.log ?? EMPTY_LOG,
    commit: 0, applied: 0, leader: null, votes: [], next: {}, match: {}, round: 0, acked: {}, termStart: 0, heard: [],
    leaderSeenUs: 0, kv: EMPTY_KV, sessions: EMPTY_SESSIONS, pending: [], reads: [],
    durable: durable?.log.length ?? 0, writes: [], writeSeq: 0,
  };
}

function readDurable(durable: unknown): RaftDurable | undefined {
  if (typeof durable !== 'object' || durable === null) return undefined;
  const { term, votedFor, log } = durable as Record<string, unknown>;
  if (!Number.isSafeInteger(term) || !(votedFor === null || Number.isSafeInteger(votedFor)) || !isRaftLog(log)) return undefined;
  return { term: term as number, votedFor: votedFor as NodeId | null, log };
}

function onMessage(t: Turn, from: NodeId, msg: RaftMessage): void {
  switch (msg.type) {
    case 'RequestVote': return onRequestVote(t, from, msg);
    case 'RequestVoteReply': return onRequestVoteReply(t, from, msg);
    case 'AppendEntries': return onAppendEntries(t, from, msg);
    case 'AppendEntriesReply': return onAppendEntriesReply(t, from, msg);
    default: return;
  }
}

function onTimer(t: Turn, timer: RaftTimer): void {
  if (timer === 'election') return onElectionTimeout(t);
  if (timer === 'heartbeat') return onHeartbeat(t);
  if (timer === 'quorum') return onQuorumCheck(t);
  if (timer === 'vote') return onVoteRetry(t);
}
