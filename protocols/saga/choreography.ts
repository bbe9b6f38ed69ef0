// A choreographed service (n1 order, n2 payment, n3 inventory, n4 shipping): no coordinator; each
// service reacts to its neighbours' events and emits its own. Forward: the order service takes a
// client's order and emits OrderCreated -> payment charges and emits PaymentCharged -> inventory
// reserves and emits InventoryReserved -> shipping schedules and tells the order service
// ShipmentScheduled, which completes the saga. A refusal (PaymentDeclined, OutOfStock,
// ShipmentRefused) goes back to the previous service, and compensations travel back one service
// at a time (InventoryReleased -> PaymentRefunded -> the order service cancels the order and ends
// the saga compensated). Each reaction is idempotent by saga id (ledger.ts) and is written to
// disk together with the event it owes (a transactional outbox); the event is re-sent with
// backoff until the receiver acknowledges it, and the receiver acknowledges only once its own
// reaction is on disk. Under forward-order-compensation the refusal goes to the order service and
// compensations travel forward, the last one telling the order service the saga is over.
// Leaves out: timeouts (a saga waits for a down service as long as it takes) and a shared bus.
import type { Input, NodeContext, NodeId } from '../../sim/types.ts';
import { onAttemptFailed, startRetry, type RetryState } from '../patterns/retry.ts';
import { entriesOf, getIn, putIn } from './buckets.ts';
import { REFUSAL_REASON } from './config.ts';
import { findSaga, withSaga } from './records.ts';
import { isDurable } from './journal.ts';
import { bootService, compensateOwnStep, onServiceWrite, runOwnStep, serviceDurableOf } from './service.ts';
import { COMPENSATED_EVENT, DONE_EVENT, FAILED_EVENT, LAST_STEP, compensationOrder, eventInfo, serviceNode, stepsBefore, validSaga, validStep } from './steps.ts';
import { cancelTimer, durableNote, emitWhenDurable, flush, note, runTurn, send, setTimer, type Env, type SagaStep, type Turn } from './turn.ts';
import type { OutEvent, Outcome, SagaEventType, SagaMessage, SagaResult, SagaTimer, ServiceState, StepIndex, StepRecord } from './types.ts';

type T = Turn<ServiceState>;

const nodeOf = (step: StepIndex): NodeId => serviceNode('choreography', step);
const resendTimer = (saga: number): string => `e${saga}`;

/** Boots from the disk, announces the notes its last write held, and re-sends every event still owed. */
export function initChoreographed(ctx: NodeContext, env: Env, step: StepIndex, durable: unknown): SagaStep {
  const { state, announce } = bootService(step, durable);
  return runTurn(state, ctx, env, (t) => {
    t.effects.push(...announce);
    for (const [saga, record] of entriesOf(t.s.records)) if (record.out) emit(t, saga, record.out, startRetry(), t.cfg.attemptTimeout);
  }, serviceDurableOf);
}

export function stepChoreographed(state: ServiceState, input: Input<SagaMessage, SagaTimer>, ctx: NodeContext, env: Env): SagaStep {
  return runTurn(state, ctx, env, (t) => {
    switch (input.kind) {
      case 'request': return onOrder(t, input.requestId);
      case 'message': return onMessage(t, input.from, input.msg);
      case 'timer': return input.timer === 'flush' ? flush(t) : onResend(t, Number(input.timer.slice(1)));
      case 'persisted': return onServiceWrite(t, input.token, input.ok);
    }
  }, serviceDurableOf);
}

const recordOf = (t: T, saga: number): StepRecord | undefined => getIn(t.s.records, saga);

function onOrder(t: T, saga: number): void {
  const record = recordOf(t, saga);
  if (record?.end) return reply(t, saga, record.end, record.why, record.v);
  if (record) return; // running: the answer goes out when it ends
  durableNote(t, 'saga-start', { saga });
  runOwnStep(t, saga);
  owe(t, saga, { type: DONE_EVENT[0] as SagaEventType, to: nodeOf(1) });
}

function onMessage(t: T, from: NodeId, msg: SagaMessage): void {
  if (!('saga' in msg) || !validSaga(msg.saga)) return;
  if (msg.type === 'EventAck') return onAck(t, msg.saga, msg.event);
  const info = eventInfo(msg.type);
  if (!info) return;
  const { step } = t.s;
  const failedAt = info.kind === 'failed' ? info.step : 'failedAt' in msg ? msg.failedAt : undefined;
  if (info.kind === 'done' && info.step === step - 1) onForward(t, msg.saga);
  else if (info.kind === 'done' && info.step === LAST_STEP && step === 0) onShipped(t, msg.saga);
  else if (info.kind !== 'done' && validStep(failedAt) && failedAt >= info.step && failedAt > 0) onCompensationEvent(t, msg.saga, failedAt, info.step);
  else if (info.kind !== 'done') return; // a compensation event that names no failed step at or after its sender: not from a correct sender
  // Acknowledged once the reaction is on disk (behind this step's write, if it made one).
  emitWhenDurable(t, { kind: 'send', to: from, msg: { type: 'EventAck', saga: msg.saga, event: msg.type as SagaEventType } }, recordOf(t, msg.saga)?.v ?? 0);
}

/** The previous step is done: run this one, and tell the next service (or the previous one, on a refusal). */
function onForward(t: T, saga: number): void {
  const before = recordOf(t, saga);
  const change = runOwnStep(t, saga);
  if (before !== undefined || !change.record) return;
  const step = t.s.step;
  if (change.record.s === 'applied') return owe(t, saga, { type: DONE_EVENT[step] as SagaEventType, to: nodeOf(step < LAST_STEP ? step + 1 : 0) });
  const first = compensationOrder(stepsBefore(step), t.bug)[0] as StepIndex;
  owe(t, saga, { type: FAILED_EVENT[step] as SagaEventType, to: nodeOf(first), failedAt: step });
}

function onShipped(t: T, saga: number): void {
  const record = recordOf(t, saga);
  if (record?.s === 'applied' && !record.end) end(t, saga, 'completed');
}

/** A refusal or a compensation upstream (or downstream, under the bug): compensate, pass it on. */
function onCompensationEvent(t: T, saga: number, failedAt: StepIndex, sender: StepIndex): void {
  const step = t.s.step;
  const chain = compensationOrder(stepsBefore(failedAt), t.bug);
  const before = recordOf(t, saga);
  compensateOwnStep(t, saga);
  const why = REFUSAL_REASON[failedAt] ?? 'refused';
  if (before === undefined && step === 0) return; // the order service never took this order: nothing to end
  if (before === undefined || before.s === 'applied') {
    const next = chain[chain.indexOf(step) + 1];
    if (next !== undefined) return owe(t, saga, { type: COMPENSATED_EVENT[step] as SagaEventType, to: nodeOf(next), failedAt });
    if (step === 0) return end(t, saga, 'compensated', why);
    return owe(t, saga, { type: COMPENSATED_EVENT[step] as SagaEventType, to: nodeOf(0), failedAt }); // the chain ends away from the order service
  }
  if (step === 0 && before.s === 'compensated' && !before.end && sender === chain[chain.length - 1] && sender !== 0) end(t, saga, 'compensated', why);
}

function end(t: T, saga: number, outcome: Outcome, why?: string): void {
  const record = recordOf(t, saga) as StepRecord;
  const { out: _done, ...rest } = record;
  t.s.records = putIn(t.s.records, saga, { ...rest, end: outcome, v: t.v, ...(why ? { why } : {}) });
  cancelTimer(t, resendTimer(saga));
  durableNote(t, 'saga-end', { saga, outcome, ...(why ? { why } : {}) });
  reply(t, saga, outcome, why, t.v);
}

function reply(t: T, saga: number, outcome: Outcome, why: string | undefined, v: number): void {
  const result: SagaResult = { ok: true, saga, outcome, ...(why ? { why } : {}) };
  emitWhenDurable(t, { kind: 'reply', requestId: saga, result }, v);
}

/** Records the event this saga's record owes (written with it) and sends it. */
function owe(t: T, saga: number, out: OutEvent): void {
  const record = recordOf(t, saga) as StepRecord;
  t.s.records = putIn(t.s.records, saga, { ...record, out, v: t.v });
  t.write = true;
  emit(t, saga, out, startRetry(), t.cfg.attemptTimeout);
}

/** Sends an owed event and arms the wait for its acknowledgement. */
function emit(t: T, saga: number, out: OutEvent, retry: RetryState, waitUs: number): void {
  t.s.resend = withSaga(t.s.resend, saga, { saga, retry });
  send(t, out.to, { type: out.type, saga, ...(out.failedAt !== undefined ? { failedAt: out.failedAt } : {}) });
  setTimer(t, resendTimer(saga), waitUs);
}

/**
 * The event's timer: no acknowledgement in time, so wait a growing, jittered backoff (the retry
 * state then carries nextAtUs); or the backoff is over, so send it again.
 */
function onResend(t: T, saga: number): void {
  const record = recordOf(t, saga);
  if (!record?.out) return;
  const retry = findSaga(t.s.resend, saga)?.retry ?? startRetry();
  if (!isDurable(t.s.journal, record.v)) return setTimer(t, resendTimer(saga), t.cfg.attemptTimeout); // its write is still on the way
  if (retry.nextAtUs === undefined) {
    const d = onAttemptFailed(t.pol.compensation, retry, t.ctx.nowUs, t.ctx.rng);
    if (d.giveUp) return; // the compensation policy never gives up
    t.s.resend = withSaga(t.s.resend, saga, { saga, retry: d.state });
    return setTimer(t, resendTimer(saga), d.retryAtUs - t.ctx.nowUs);
  }
  note(t, 'retry', { saga, event: record.out.type, attempt: retry.attempt });
  const { nextAtUs: _due, ...sent } = retry;
  emit(t, saga, record.out, sent, t.cfg.attemptTimeout);
}

function onAck(t: T, saga: number, event: SagaEventType): void {
  const record = recordOf(t, saga);
  if (record?.out?.type !== event) return;
  const { out: _acked, ...rest } = record;
  t.s.records = putIn(t.s.records, saga, rest); // in memory only: if the disk still owes it, a restart re-sends it (harmless)
  t.s.resend = withSaga(t.s.resend, saga, undefined);
  cancelTimer(t, resendTimer(saga));
}
