// Shared fixtures for the Raft tests: the default config, hand-made frozen states, logs and inputs
// for step() unit tests, effect filters, and whole runs (pinned scenarios, swarm draws) with the
// outcome of each check. Not a test file.
import { freeze } from 'immer';
import { raftConfigSchema, type RaftConfig } from '../../../protocols/raft/config.ts';
import { EMPTY_LOG, firstIndexOfTerm, logEntries, logFromEntries, newEntry } from '../../../protocols/raft/log.ts';
import { createRaft } from '../../../protocols/raft/raft.ts';
import { raftSpec } from '../../../protocols/raft/spec.ts';
import type { Command, Entry, KvOp, RaftBug, RaftLog, RaftMessage, RaftState, RaftTimer } from '../../../protocols/raft/types.ts';
import type { CheckOutcome } from '../../../sim/checker.ts';
import type { RunResult } from '../../../sim/engine.ts';
import type { AnySpec } from '../../../sim/protocolSpec.ts';
import type { RunRequest } from '../../../sim/resolveRun.ts';
import type { Rng } from '../../../sim/rng.ts';
import type { Effect, Input, NodeContext, Step } from '../../../sim/types.ts';
import { constRng, makeContext, simulate, type TracedRun } from '../../helpers.ts';
import { swarmRunOf, type SwarmRun } from '../../swarmBlock.ts';

export const config: RaftConfig = raftConfigSchema.parse({});
export const configWith = (values: Record<string, unknown>): RaftConfig => raftConfigSchema.parse(values);
export const raft = createRaft(config, null);
export const buggy = (bug: RaftBug, cfg: RaftConfig = config) => createRaft(cfg, bug);

export type RaftInput = Input<RaftMessage, RaftTimer>;
export type RaftStep = Step<RaftState, RaftMessage, RaftTimer>;
export type RaftEffect = Effect<RaftMessage, RaftTimer>;

/** Node `id` of an n-node cluster (peers 1..n without id). */
export function ctxOf(id: number, n: number, nowUs = 0, rng: Rng = constRng(0), cfg: RaftConfig = config): NodeContext {
  const peers = Array.from({ length: n }, (_, i) => i + 1).filter((p) => p !== id);
  return makeContext(id, peers, nowUs, cfg, rng);
}

export const cmd = (client: number, req: number, op: KvOp): Command => ({ client, req, op });

/** A log with the given entry terms; `cmds[i]` (if given) is entry i+1's command, else a no-op. */
export function logOf(terms: readonly number[], cmds: readonly (Command | null)[] = []): Entry[] {
  const log: Entry[] = [];
  terms.forEach((term, i) => log.push(newEntry(log, term, cmds[i] ?? null)));
  return log;
}

/** A follower's state with the given fields, frozen like the protocol's; its whole log is on disk unless `durable` says otherwise. */
export function stateWith(extra: StateFields = {}): RaftState {
  const log = asLog(extra.log ?? EMPTY_LOG);
  const base: RaftState = {
    role: 'follower', term: 0, votedFor: null, log, commit: 0, applied: 0, leader: null, votes: [], next: {}, match: {},
    round: 0, acked: {}, termStart: 0, heard: [], leaderSeenUs: 0, kv: {}, sessions: {}, pending: [], reads: [],
    durable: log.length, writes: [], writeSeq: 0,
  };
  return freeze({ ...base, ...extra, log }, true);
}

/** State fields for the fixtures; a log may be given as a plain list of entries. */
export type StateFields = Omit<Partial<RaftState>, 'log'> & { log?: readonly Entry[] | RaftLog };

export const asLog = (log: readonly Entry[] | RaftLog): RaftLog => (Array.isArray(log) ? logFromEntries(log) : (log as RaftLog));

/** A state's log as a plain list (entry i at [i - 1]). */
export const entriesOf = (state: RaftState): Entry[] => logEntries(state.log);

/**
 * A leader of `term` over `log` (whose first entry of `term` is its no-op) in an n-node cluster,
 * every peer caught up (next = last + 1, match = 0).
 */
export function leaderState(n: number, term: number, entries: Entry[], extra: StateFields = {}): RaftState {
  const log = logFromEntries(entries);
  const next: Record<string, number> = {};
  const match: Record<string, number> = {};
  for (let p = 2; p <= n; p++) {
    next[`n${p}`] = log.length + 1;
    match[`n${p}`] = 0;
  }
  const termStart = firstIndexOfTerm(log, term, log.length);
  return stateWith({ role: 'leader', term, votedFor: 1, leader: 1, log, next, match, termStart, ...extra });
}

export const msgFrom = (from: number, msg: RaftMessage): RaftInput => ({ kind: 'message', from, msg });
export const timer = (name: RaftTimer): RaftInput => ({ kind: 'timer', timer: name });
export const request = (requestId: number, client: number, op: KvOp): RaftInput => ({ kind: 'request', requestId, client, op });

export const requestVote = (term: number, lastIndex: number, lastTerm: number, pre = false): RaftMessage => ({ type: 'RequestVote', term, lastIndex, lastTerm, pre });
export const voteReply = (term: number, granted: boolean, pre = false): RaftMessage => ({ type: 'RequestVoteReply', term, granted, pre });
export function appendEntries(term: number, prevIndex: number, prevTerm: number, entries: readonly Entry[], commit = 0, round = 0): RaftMessage {
  return { type: 'AppendEntries', term, prevIndex, prevTerm, entries, commit, round };
}
export function appendReply(term: number, success: boolean, match: number, extra: { conflictTerm?: number; conflictIndex?: number; round?: number } = {}): RaftMessage {
  return { type: 'AppendEntriesReply', term, success, match, conflictTerm: extra.conflictTerm ?? 0, conflictIndex: extra.conflictIndex ?? 0, round: extra.round ?? 0 };
}

export type SendEffect = Extract<RaftEffect, { kind: 'send' }>;
export const sends = (step: { effects: readonly RaftEffect[] }): SendEffect[] => step.effects.filter((e): e is SendEffect => e.kind === 'send');
export const effectsOf = <K extends RaftEffect['kind']>(step: { effects: readonly RaftEffect[] }, kind: K) =>
  step.effects.filter((e): e is Extract<RaftEffect, { kind: K }> => e.kind === kind);
export const noteData = (step: { effects: readonly RaftEffect[] }, name: string): unknown[] =>
  effectsOf(step, 'note').filter((e) => e.name === name).map((e) => e.data);
export const replies = (step: { effects: readonly RaftEffect[] }) => effectsOf(step, 'reply');
/** The messages a step sends, by type. */
export const sent = <T extends RaftMessage['type']>(step: { effects: readonly RaftEffect[] }, type: T) =>
  sends(step).filter((e) => e.msg.type === type) as (SendEffect & { msg: Extract<RaftMessage, { type: T }> })[];

/** Feeds inputs one after another from `state` (each to the state the previous left); returns every step. */
export function drive(state: RaftState, inputs: readonly RaftInput[], ctx: NodeContext, protocol = raft): RaftStep[] {
  const steps: RaftStep[] = [];
  for (const input of inputs) steps.push(protocol.step(steps.at(-1)?.state ?? state, input, ctx));
  return steps;
}

// ---- whole runs ----

export const outcome = (result: RunResult, name: string): CheckOutcome | undefined => result.checks.find((c) => c.name === name);
export const verdictOf = (result: RunResult) => result.verdict as { kind: string; checker?: string; message?: string };

/** A traced Raft run (5 nodes, default network, a 5 s fault phase unless given); faults as a user writes them. */
export function raftRun(request: Partial<RunRequest>, faults: unknown[] = [], spec: AnySpec = raftSpec): TracedRun {
  return simulate(spec, { nodes: 5, network: {}, faultPhaseUs: 5_000_000, ...request }, faults);
}

export const SWARM_PHASE_US = 10_000_000;
export const swarmNodes = (seed: number): number => 3 + (seed % 5);

/** One untraced swarm run: nodes 3 + seed % 5, a 10 s fault phase, network and faults drawn from the seed. */
export function swarmRun(seed: number, bug: RaftBug = null): SwarmRun {
  return swarmRunOf(raftSpec, seed, swarmNodes(seed), SWARM_PHASE_US, bug);
}
