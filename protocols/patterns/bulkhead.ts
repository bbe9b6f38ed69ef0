// A bulkhead: at most maxConcurrent calls to one service at a time, plus an optional bounded FIFO
// wait queue of maxQueue calls (the design notes' bulkheads, 002:4199-4301 and 8731-8946, done right:
// the first rejected every call and the second never freed queue slots). Plain data and pure
// functions. tryAcquire admits a call, queues it, or rejects it when both are full; release frees
// the call's slot and admits the head of the queue, whose id it returns so the caller can start it.
// Releasing a queued call withdraws it (a caller that gave up waiting). Acquiring an id that is
// already active or queued, or releasing an unknown one, changes nothing. Leaves out: wait
// timeouts (the caller arms a timer and releases the queued id), priorities, per-caller quotas.
import { z } from 'zod';
import { InputError, zodErrorLine } from '../../sim/schemaHelpers.ts';

export type CallId = string | number;

export const bulkheadConfigSchema = z
  .object({
    /** Calls running at once. */
    maxConcurrent: z.number({ message: 'expected a whole number of calls' }).int('expected a whole number of calls').min(1, 'expected at least 1 call'),
    /** Calls waiting for a slot; 0 means reject at once when full. */
    maxQueue: z.number({ message: 'expected a whole number of calls' }).int('expected a whole number of calls').min(0, 'expected 0 or more calls').default(0),
  })
  .strict();

export type BulkheadConfigInput = z.input<typeof bulkheadConfigSchema>;
export type BulkheadConfig = z.output<typeof bulkheadConfigSchema>;

/** Plain JSON: fits in protocol state and traces. */
export interface BulkheadState {
  readonly config: BulkheadConfig;
  /** Calls holding a slot, in the order they were admitted. */
  readonly active: readonly CallId[];
  /** Calls waiting, oldest first. */
  readonly queue: readonly CallId[];
}

export type AcquireResult =
  | { readonly state: BulkheadState; readonly admitted: true; readonly queued: false }
  | { readonly state: BulkheadState; readonly admitted: false; readonly queued: true }
  | { readonly state: BulkheadState; readonly admitted: false; readonly queued: false; readonly reason: 'full' };

export interface ReleaseResult {
  readonly state: BulkheadState;
  /** The queued call that took the freed slot, if any: the caller should start it now. */
  readonly admitted?: CallId;
}

/** An empty bulkhead. The config is validated (an InputError names a bad field). */
export function createBulkhead(config: unknown, what = 'bulkhead'): BulkheadState {
  const parsed = bulkheadConfigSchema.safeParse(config);
  if (!parsed.success) throw new InputError(zodErrorLine(what, parsed.error));
  return { config: parsed.data, active: [], queue: [] };
}

/** Admit `callId` if a slot is free, else queue it if the queue has room, else reject it. */
export function tryAcquire(state: BulkheadState, callId: CallId): AcquireResult {
  if (state.active.includes(callId)) return { state, admitted: true, queued: false };
  if (state.queue.includes(callId)) return { state, admitted: false, queued: true };
  if (state.active.length < state.config.maxConcurrent) {
    return { state: { ...state, active: [...state.active, callId] }, admitted: true, queued: false };
  }
  if (state.queue.length < state.config.maxQueue) {
    return { state: { ...state, queue: [...state.queue, callId] }, admitted: false, queued: true };
  }
  return { state, admitted: false, queued: false, reason: 'full' };
}

/** The call ended (or gave up waiting). Frees its slot and admits the oldest queued call. */
export function release(state: BulkheadState, callId: CallId): ReleaseResult {
  if (state.queue.includes(callId)) return { state: { ...state, queue: state.queue.filter((id) => id !== callId) } };
  if (!state.active.includes(callId)) return { state };
  const active = state.active.filter((id) => id !== callId);
  const next = state.queue[0];
  if (next === undefined || active.length >= state.config.maxConcurrent) return { state: { ...state, active } };
  return { state: { ...state, active: [...active, next], queue: state.queue.slice(1) }, admitted: next };
}

/** Free slots right now. */
export function available(state: BulkheadState): number {
  return Math.max(0, state.config.maxConcurrent - state.active.length);
}
