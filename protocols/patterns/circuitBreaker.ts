// A three-state circuit breaker (closed / open / half-open) as plain data and pure functions: the
// design notes' breakers, done right. Closed admits every call and trips to open on either rule of
// circuitBreakerConfig.ts. Open rejects every call until its open period (sleep window) is over;
// the next allow() then moves it to half-open, which admits up to halfOpenMaxCalls trial calls.
// halfOpenSuccesses successful trials close it (counts reset); a failed trial reopens it with a
// fresh open period. Rejected calls never enter the failure-rate window. Every change is recorded
// in lastChange and bumps generation, so a caller can emit a note whenever generation moves.
// Callers must report the outcome of every admitted call (a timed-out call is a failure) and
// should pass the generation the call was admitted in: an outcome from an earlier generation is
// stale (say, a call admitted while closed that ends after the breaker tripped) and is ignored.
// Time is the caller's local virtual clock. Leaves out: time-based windows, slow-call rules,
// forcing the breaker open or closed by hand.
import { parseBreakerConfig, type BreakerConfig } from './circuitBreakerConfig.ts';

export type BreakerMode = 'closed' | 'open' | 'half-open';

export type BreakerChangeReason = 'consecutive-failures' | 'failure-rate' | 'open-period-over' | 'trial-failed' | 'trials-succeeded';

export interface BreakerChange {
  readonly from: BreakerMode;
  readonly to: BreakerMode;
  readonly atUs: number;
  readonly reason: BreakerChangeReason;
}

/** Plain JSON: fits in protocol state and traces. */
export interface BreakerState {
  readonly config: BreakerConfig;
  readonly mode: BreakerMode;
  /** Number of changes so far; outcomes are matched against it. */
  readonly generation: number;
  /** Closed only: failures since the last success. */
  readonly consecutiveFailures: number;
  /** Closed only: outcomes of the last windowSize calls, oldest first; true means it failed. */
  readonly window: readonly boolean[];
  /** Open only: when the open period ends. */
  readonly openUntilUs: number | null;
  /** Half-open only: trial calls admitted and trials that succeeded. */
  readonly trialsAdmitted: number;
  readonly trialSuccesses: number;
  readonly lastChange: BreakerChange | null;
}

export type AllowResult =
  | { readonly state: BreakerState; readonly allowed: true; readonly generation: number; readonly reason?: never }
  | { readonly state: BreakerState; readonly allowed: false; readonly reason: 'open' | 'half-open-full' };

/** A closed breaker. The config is validated (an InputError names a bad field); defaults fill gaps. */
export function createBreaker(config: unknown = {}): BreakerState {
  return enter(parseBreakerConfig(config), 'closed', 0, null);
}

function enter(config: BreakerConfig, mode: BreakerMode, generation: number, lastChange: BreakerChange | null, openUntilUs: number | null = null): BreakerState {
  return { config, mode, generation, consecutiveFailures: 0, window: [], openUntilUs, trialsAdmitted: 0, trialSuccesses: 0, lastChange };
}

function change(state: BreakerState, to: BreakerMode, nowUs: number, reason: BreakerChangeReason): BreakerState {
  const lastChange: BreakerChange = { from: state.mode, to, atUs: nowUs, reason };
  const openUntilUs = to === 'open' ? nowUs + state.config.openForUs : null;
  return enter(state.config, to, state.generation + 1, lastChange, openUntilUs);
}

/** May a call go out now? Moves open to half-open once the open period is over. */
export function allow(state: BreakerState, nowUs: number): AllowResult {
  if (state.mode === 'open') {
    if (nowUs < (state.openUntilUs ?? 0)) return { state, allowed: false, reason: 'open' };
    const halfOpen = change(state, 'half-open', nowUs, 'open-period-over');
    return { state: { ...halfOpen, trialsAdmitted: 1 }, allowed: true, generation: halfOpen.generation };
  }
  if (state.mode === 'half-open') {
    if (state.trialsAdmitted >= state.config.halfOpenMaxCalls) return { state, allowed: false, reason: 'half-open-full' };
    return { state: { ...state, trialsAdmitted: state.trialsAdmitted + 1 }, allowed: true, generation: state.generation };
  }
  return { state, allowed: true, generation: state.generation };
}

/** A stale outcome, or one with no call to account for it, changes nothing. */
function ignored(state: BreakerState, generation: number | undefined): boolean {
  if (generation !== undefined && generation !== state.generation) return true;
  if (state.mode === 'open') return true;
  return state.mode === 'half-open' && state.trialsAdmitted <= state.trialSuccesses;
}

/** An admitted call succeeded. */
export function onSuccess(state: BreakerState, nowUs: number, generation?: number): BreakerState {
  if (ignored(state, generation)) return state;
  if (state.mode === 'half-open') {
    const trialSuccesses = state.trialSuccesses + 1;
    if (trialSuccesses >= state.config.halfOpenSuccesses) return change(state, 'closed', nowUs, 'trials-succeeded');
    return { ...state, trialSuccesses };
  }
  return record(state, false, nowUs);
}

/** An admitted call failed or timed out. */
export function onFailure(state: BreakerState, nowUs: number, generation?: number): BreakerState {
  if (ignored(state, generation)) return state;
  if (state.mode === 'half-open') return change(state, 'open', nowUs, 'trial-failed');
  return record(state, true, nowUs);
}

/** Closed: adds an outcome to the counts, then trips if either rule says so. */
function record(state: BreakerState, failed: boolean, nowUs: number): BreakerState {
  const { config } = state;
  const consecutiveFailures = failed ? state.consecutiveFailures + 1 : 0;
  const window = [...state.window, failed].slice(-config.windowSize);
  if (config.consecutiveFailures !== null && consecutiveFailures >= config.consecutiveFailures) {
    return change(state, 'open', nowUs, 'consecutive-failures');
  }
  if (config.failureRate !== null && window.length >= config.minimumRequests && failureRate(window) >= config.failureRate) {
    return change(state, 'open', nowUs, 'failure-rate');
  }
  return { ...state, consecutiveFailures, window };
}

/** Failures / calls in a window (0 for an empty one). */
export function failureRate(window: readonly boolean[]): number {
  let failures = 0;
  for (const failed of window) if (failed) failures++;
  return window.length === 0 ? 0 : failures / window.length;
}
