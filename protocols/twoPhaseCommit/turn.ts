// One 2PC step in progress: the working copy of the state (copy on write), the node's context, the
// fixed parameters and the effects so far; plus the write bookkeeping both roles share. A step that
// changes what must survive a crash stages a write: the version goes up once per step, records the
// step creates remember that version (needV), and the step's persist effect (first, per DESIGN.md)
// carries the whole durable state. Writes complete in order, so when version v is on disk every
// record with needV <= v is. Anything that must not leave before its record is durable (a vote, a
// commit decision, an Ack) is sent from the `persisted` step that reports it, never before (the
// engine also holds every send of a step that writes until that write is done, and drops them if
// it fails, so such steps send nothing that must not wait); a failed write (full disk) is written
// again after a backoff. Leaves out: partial (torn) writes.
import type { Effect, NodeContext, NodeId } from '../../sim/types.ts';
import { finish, type Working } from '../shared/copyOnWrite.ts';
import { backoffUs, exponentialUs, parseRetryPolicy, type RetryPolicy } from '../patterns/retry.ts';
import { BACKOFF_CAP, REWRITE_BASE_US, REWRITE_MAX_US, type TpcConfig } from './config.ts';
import type { CoordinatorState, ParticipantState, TpcBug, TpcMessage, TpcState, TpcTimer, WriteState } from './types.ts';

export type TpcEffect = Effect<TpcMessage, TpcTimer>;

export interface Turn<S extends TpcState> {
  readonly s: Working<S>;
  readonly ctx: NodeContext;
  readonly cfg: TpcConfig;
  readonly bug: TpcBug;
  readonly effects: TpcEffect[];
  readonly base: S;
}

/** Runs one step: `body` works on a copy; a staged write becomes the first effect. */
export function runTurn<S extends TpcState>(state: S, ctx: NodeContext, cfg: TpcConfig, bug: TpcBug, durable: (s: Working<S>) => unknown, body: (t: Turn<S>) => void): { state: S; effects: TpcEffect[] } {
  const t: Turn<S> = { s: workingCopy(state) as Working<S>, ctx, cfg, bug, effects: [], base: state };
  body(t);
  if (t.s.version !== state.version) t.effects.unshift({ kind: 'persist', token: t.s.version, data: durable(t.s) });
  return { state: finish(state, t.s), effects: t.effects };
}

/**
 * A shallow copy of the state to work on, spelled out field by field: V8 spreads a frozen object
 * about ten times slower than it copies one this way (see raft.ts), and the literal keeps one
 * hidden class per role. The types make the compiler catch a missing field.
 */
function workingCopy(s: TpcState): Working<TpcState> {
  if (s.role === 'coordinator') {
    const c: Working<CoordinatorState> = {
      role: s.role, version: s.version, durableV: s.durableV, rewrites: s.rewrites, epoch: s.epoch, ready: s.ready, nextSeq: s.nextSeq,
      voting: s.voting, commits: s.commits, acked: s.acked, waiting: s.waiting, sessions: s.sessions, resends: s.resends,
    };
    return c;
  }
  const p: Working<ParticipantState> = {
    role: s.role, version: s.version, durableV: s.durableV, rewrites: s.rewrites, data: s.data, txs: s.txs, horizon: s.horizon, asks: s.asks,
  };
  return p;
}

/** This step changes durable state: the version it will be written at (one write per step). */
export function stageWrite(t: Turn<TpcState>): number {
  if (t.s.version === t.base.version) t.s.version = t.base.version + 1;
  return t.s.version;
}

export const isDurable = (s: WriteState, needV: number): boolean => needV <= s.durableV;

const REWRITE = parseRetryPolicy({ baseUs: REWRITE_BASE_US, maxUs: REWRITE_MAX_US, jitter: 'none', maxAttempts: 'unlimited', attemptTimeoutUs: REWRITE_MAX_US }, '2pc rewrite');

/**
 * A write finished. Done: everything up to its version is on disk; `onDurable(from, to)` sends
 * what waited for versions in (from, to]. Failed (full disk): write the state again after a backoff.
 */
export function onPersisted<S extends TpcState>(t: Turn<S>, token: number, ok: boolean, onDurable: (t: Turn<S>, from: number, to: number) => void): void {
  if (token <= t.s.durableV) return;
  if (!ok) {
    t.effects.push({ kind: 'setTimer', timer: 'rewrite', afterUs: exponentialUs(REWRITE, t.s.rewrites) });
    t.s.rewrites = t.s.rewrites + 1;
    return;
  }
  const from = t.s.durableV;
  t.s.durableV = token;
  t.s.rewrites = 0;
  onDurable(t, from, token);
}

/** The rewrite timer: if anything is still not on disk, write the state again. */
export function onRewrite(t: Turn<TpcState>): void {
  if (t.s.durableV < t.s.version) stageWrite(t);
}

export function send(t: Turn<TpcState>, to: NodeId, msg: TpcMessage): void {
  t.effects.push({ kind: 'send', to, msg });
}

export function note(t: Turn<TpcState>, name: string, data: unknown): void {
  t.effects.push({ kind: 'note', name, data });
}

export function setTimer(t: Turn<TpcState>, timer: TpcTimer, afterUs: number): void {
  t.effects.push({ kind: 'setTimer', timer, afterUs: Math.max(0, Math.floor(afterUs)) });
}

export function cancelTimer(t: Turn<TpcState>, timer: TpcTimer): void {
  t.effects.push({ kind: 'cancelTimer', timer });
}


/**
 * Delay before retry number n (0 for the first) of something first tried after `baseUs`: doubling
 * up to BACKOFF_CAP times the base, with equal jitter (half fixed, half drawn from the node's rng).
 */
export function backoff(t: Turn<TpcState>, baseUs: number, n: number): number {
  const policy: RetryPolicy = { baseUs, maxUs: baseUs * BACKOFF_CAP, multiplier: 2, jitter: 'equal', maxAttempts: Infinity, attemptTimeoutUs: baseUs };
  return backoffUs(policy, Math.min(n, 16), t.ctx.rng);
}
