// The orchestrator's call to a service for one saga's current step or compensation, with the
// patterns around it: the service's bulkhead first (a free slot, else a place in its queue, else
// rejected), then its circuit breaker (closed or a half-open trial: go; open: rejected, the slot is
// given back), a per-attempt timeout, and on failure a retry after exponential backoff with
// seeded full jitter. A forward step has a budget of stepAttempts attempts (rejections count:
// failing fast is the point of a breaker); when it is used up the saga compensates (Env.onGiveUp).
// A compensation retries forever. A reply from any attempt of the current call ends it (the
// service answers idempotently); the attempt in flight is then reported to the breaker as a
// success, a timed-out one as a failure, and its bulkhead slot goes to the oldest queued call.
// Leaves out: cancelling a request already sent (a timed-out step may still take effect; the
// compensation that follows a given-up step covers that).
import { release, tryAcquire, type BulkheadState } from '../patterns/bulkhead.ts';
import { allow, onFailure, onSuccess, type BreakerState } from '../patterns/circuitBreaker.ts';
import { onAttemptFailed, startRetry } from '../patterns/retry.ts';
import { findSaga, withSaga } from './records.ts';
import { serviceNode, stepName } from './steps.ts';
import { cancelTimer, emitWhenDurable, note, setTimer, type Turn } from './turn.ts';
import type { Call, OrchestratorState, StepIndex } from './types.ts';

type T = Turn<OrchestratorState>;

export const callTimer = (saga: number): string => `c${saga}`;

const callOf = (t: T, saga: number): Call | undefined => findSaga(t.s.calls, saga);

function setCall(t: T, saga: number, call: Call | undefined): void {
  t.s.calls = withSaga(t.s.calls, saga, call);
}

function setBulkhead(t: T, service: string, state: BulkheadState): void {
  if (state !== t.s.bulkheads[service]) t.s.bulkheads = { ...t.s.bulkheads, [service]: state };
}

/** Stores a breaker's new state and notes every change of mode. */
function setBreaker(t: T, service: string, state: BreakerState): void {
  const before = t.s.breakers[service];
  if (state === before) return;
  t.s.breakers = { ...t.s.breakers, [service]: state };
  if (before && state.generation !== before.generation && state.lastChange) {
    const { from, to, reason } = state.lastChange;
    note(t, 'breaker', { service, from, to, reason });
  }
}

/** Starts the call for a saga's step (do) or compensation (undo), replacing any call it had. */
export function startCall(t: T, saga: number, action: Call['action'], step: StepIndex): void {
  setCall(t, saga, { saga, action, step, phase: 'backoff', retry: startRetry(), gen: null });
  attempt(t, saga);
}

function attempt(t: T, saga: number): void {
  const call = callOf(t, saga) as Call;
  const service = stepName(call.step);
  const r = tryAcquire(t.s.bulkheads[service] as BulkheadState, saga);
  setBulkhead(t, service, r.state);
  if (r.admitted) return admit(t, saga);
  if (r.queued) {
    setCall(t, saga, { ...call, phase: 'queued' });
    return setTimer(t, callTimer(saga), t.cfg.attemptTimeout);
  }
  reject(t, saga, 'bulkhead');
}

/** The call holds a bulkhead slot: ask the breaker, then send. */
function admit(t: T, saga: number): void {
  const call = callOf(t, saga) as Call;
  const service = stepName(call.step);
  const a = allow(t.s.breakers[service] as BreakerState, t.ctx.nowUs);
  setBreaker(t, service, a.state);
  if (!a.allowed) {
    releaseSlot(t, service, saga);
    return reject(t, saga, 'breaker');
  }
  setCall(t, saga, { ...call, phase: 'waiting', gen: a.generation });
  const to = serviceNode('orchestration', call.step);
  const msg = call.action === 'do' ? { type: 'StepRequest' as const, saga, step: call.step } : { type: 'CompensationRequest' as const, saga, step: call.step };
  emitWhenDurable(t, { kind: 'send', to, msg }, t.s.journal.seq); // persist before acting: the log entry this call stands for must be on disk
  setTimer(t, callTimer(saga), t.cfg.attemptTimeout);
}

function releaseSlot(t: T, service: string, saga: number): void {
  const r = release(t.s.bulkheads[service] as BulkheadState, saga);
  setBulkhead(t, service, r.state);
  if (r.admitted !== undefined && callOf(t, Number(r.admitted))?.phase === 'queued') admit(t, Number(r.admitted));
}

function reject(t: T, saga: number, by: 'bulkhead' | 'breaker'): void {
  const call = callOf(t, saga) as Call;
  note(t, 'rejected', { saga, service: stepName(call.step), by });
  failed(t, saga, `rejected by the ${by}`);
}

/** The attempt failed: schedule the next one, or give the step up (forward steps only). */
function failed(t: T, saga: number, reason: string): void {
  const call = callOf(t, saga) as Call;
  const policy = call.action === 'do' ? t.pol.forward : t.pol.compensation;
  const d = onAttemptFailed(policy, call.retry, t.ctx.nowUs, t.ctx.rng);
  if (d.giveUp) {
    setCall(t, saga, undefined);
    cancelTimer(t, callTimer(saga));
    note(t, 'give-up', { saga, step: stepName(call.step), attempts: call.retry.attempt, reason });
    return t.onGiveUp?.(t, saga);
  }
  setCall(t, saga, { ...call, phase: 'backoff', retry: d.state, gen: null });
  setTimer(t, callTimer(saga), d.retryAtUs - t.ctx.nowUs);
  note(t, 'retry', { saga, step: stepName(call.step), action: call.action, attempt: d.state.attempt, reason });
}

/** The call's timer: a reply overdue, a queued call that waited too long, or a retry due. */
export function onCallTimer(t: T, saga: number): void {
  const call = callOf(t, saga);
  if (!call) return;
  const service = stepName(call.step);
  if (call.phase === 'backoff') return attempt(t, saga);
  if (call.phase === 'queued') {
    setBulkhead(t, service, release(t.s.bulkheads[service] as BulkheadState, saga).state);
    return reject(t, saga, 'bulkhead');
  }
  setBreaker(t, service, onFailure(t.s.breakers[service] as BreakerState, t.ctx.nowUs, call.gen ?? undefined));
  setCall(t, saga, { ...call, phase: 'backoff' }); // no longer holds a slot: a slot freed now goes to someone else
  releaseSlot(t, service, saga);
  failed(t, saga, 'timed out');
}

/**
 * A service answered `action` on `step` for `saga`. Returns true when it ends the current call
 * (the caller then moves the saga on); a reply to anything else is stale.
 */
export function onCallReply(t: T, saga: number, action: Call['action'], step: StepIndex): boolean {
  const call = callOf(t, saga);
  if (!call || call.action !== action || call.step !== step) return false;
  const service = stepName(step);
  setCall(t, saga, undefined);
  cancelTimer(t, callTimer(saga));
  if (call.phase === 'waiting') {
    setBreaker(t, service, onSuccess(t.s.breakers[service] as BreakerState, t.ctx.nowUs, call.gen ?? undefined));
    releaseSlot(t, service, saga);
  } else if (call.phase === 'queued') setBulkhead(t, service, release(t.s.bulkheads[service] as BulkheadState, saga).state);
  return true;
}
