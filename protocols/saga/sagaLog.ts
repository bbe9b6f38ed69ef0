// The orchestrator's durable saga log and its transitions. A saga is started by a client's order,
// runs its steps forward one at a time, and either completes or, when a step is refused or given
// up, compensates: a refused step took no effect, so the steps before it are undone; a given-up
// step may still have taken effect (its request may be in flight), so it is undone too (the
// service leaves a tombstone if it never saw the step). Compensations run one at a time in
// reverse order (forward order under the forward-order-compensation bug). Every transition is
// written to the log before the call it leads to leaves (turn.ts); a restarted orchestrator reads
// the log and resumes each running saga by re-sending its current step or compensation, which the
// services answer idempotently. The client's answer leaves with the write that ends the saga.
// Leaves out: sagas with parallel steps, and pruning ended sagas from the log.
import { getIn, putIn } from './buckets.ts';
import { findSaga, withSaga } from './records.ts';
import { callTimer, startCall } from './calls.ts';
import { compensationOrder, LAST_STEP, stepName, stepsBefore } from './steps.ts';
import { cancelTimer, durableNote, emitWhenDurable, type Turn } from './turn.ts';
import type { Outcome, OrchestratorState, SagaEntry, SagaResult, StepIndex } from './types.ts';

type T = Turn<OrchestratorState>;

const entryOf = (t: T, saga: number): SagaEntry | undefined => findSaga(t.s.active, saga);

function setEntry(t: T, saga: number, entry: SagaEntry | undefined): void {
  t.s.active = withSaga(t.s.active, saga, entry);
  t.write = true;
}

const reply = (t: T, saga: number, result: SagaResult, v = t.v): void => emitWhenDurable(t, { kind: 'reply', requestId: saga, result }, v);

/** A client's order (or a retry of it: the saga id is the request id, the same on every attempt). */
export function onOrder(t: T, saga: number): void {
  const ended = getIn(t.s.ended, saga);
  if (ended) return reply(t, saga, { ok: true, saga, outcome: ended.o, ...(ended.why ? { why: ended.why } : {}) }, ended.v); // answer only what the disk holds
  if (entryOf(t, saga)) return; // running: the answer goes out when it ends
  setEntry(t, saga, { saga, phase: 'forward', step: 0, undo: [], v: t.v });
  durableNote(t, 'saga-start', { saga });
  startCall(t, saga, 'do', 0);
}

/** The current forward step was applied: run the next, or complete. */
export function onStepApplied(t: T, saga: number): void {
  const entry = entryOf(t, saga);
  if (!entry || entry.phase !== 'forward') return;
  if (entry.step >= LAST_STEP) return end(t, saga, 'completed');
  const step = entry.step + 1;
  setEntry(t, saga, { ...entry, step, v: t.v });
  startCall(t, saga, 'do', step);
}

/** The current forward step was refused (or found cancelled): undo the steps before it. */
export function onStepRefused(t: T, saga: number, why: string): void {
  const entry = entryOf(t, saga);
  if (!entry || entry.phase !== 'forward') return;
  compensate(t, saga, compensationOrder(stepsBefore(entry.step), t.bug), why);
}

/** The current forward step used up its retry budget: undo it and the steps before it. */
export function onGiveUp(t: T, saga: number): void {
  const entry = entryOf(t, saga);
  if (!entry || entry.phase !== 'forward') return;
  compensate(t, saga, compensationOrder(stepsBefore(entry.step + 1), t.bug), `${stepName(entry.step)} did not answer`);
}

/** The current compensation was acknowledged: the next one, or the saga ends compensated. */
export function onCompensated(t: T, saga: number): void {
  const entry = entryOf(t, saga);
  if (!entry || entry.phase !== 'compensating') return;
  compensate(t, saga, entry.undo.slice(1), entry.why ?? '');
}

function compensate(t: T, saga: number, undo: readonly StepIndex[], why: string): void {
  const next = undo[0];
  if (next === undefined) return end(t, saga, 'compensated', why);
  setEntry(t, saga, { saga, phase: 'compensating', step: next, undo, why, v: t.v });
  startCall(t, saga, 'undo', next);
}

function end(t: T, saga: number, outcome: Outcome, why?: string): void {
  setEntry(t, saga, undefined);
  cancelTimer(t, callTimer(saga));
  t.s.ended = putIn(t.s.ended, saga, { o: outcome, v: t.v, ...(why ? { why } : {}) });
  durableNote(t, 'saga-end', { saga, outcome, ...(why ? { why } : {}) });
  reply(t, saga, { ok: true, saga, outcome, ...(why ? { why } : {}) });
}

/** After a restart: every saga in the log picks up where its log entry says. */
export function resumeAll(t: T): void {
  for (const entry of t.s.active) {
    if (entry.phase === 'forward') startCall(t, entry.saga, 'do', entry.step);
    else startCall(t, entry.saga, 'undo', entry.undo[0] as StepIndex);
  }
}
