// A service's ledger entry for its step in one saga, and the two things a service can be asked to
// do with it, idempotent by (saga, step): run the step, or compensate it. Both variants' services
// use these. Running a step the first time draws the business decision (applied, or refused: a
// payment declined, stock out) and later requests get the same answer; compensating undoes an
// applied step once, and a compensation that arrives before its step leaves a tombstone
// (cancelled) so the late step is refused. Compensations are never refused. The notes returned
// are facts for the checkers (step-applied, step-refused, compensation-applied, step-cancelled);
// the caller emits them once the new record is on disk. Deliberate bugs: non-idempotent-step
// applies the step again on a duplicate, non-idempotent-compensation compensates again.
// Leaves out: partial effects (a step is all or nothing, in one local transaction).
import { stepName } from './steps.ts';
import type { SagaBug, StepIndex, StepRecord, StepReplyResult } from './types.ts';

export interface LedgerNote {
  readonly name: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface LedgerChange {
  /** The record after the request; undefined only if there was none and none was made. */
  readonly record: StepRecord | undefined;
  /** Whether the record changed (and must be written before anyone hears of it). */
  readonly changed: boolean;
  readonly notes: readonly LedgerNote[];
}

const noteOf = (name: string, saga: number, step: StepIndex, extra: Record<string, unknown> = {}): LedgerNote => ({ name, data: { saga, step: stepName(step), ...extra } });

/** What a step request is answered with, given the record. */
export function stepResult(record: StepRecord): StepReplyResult {
  if (record.s === 'applied' || record.s === 'refused') return record.s;
  return 'cancelled';
}

/**
 * A request to run the step. `refuse` draws the business decision (called at most once, for a new
 * record); `why` says what a refusal means; v is the version of this step's write.
 */
export function runStep(record: StepRecord | undefined, saga: number, step: StepIndex, refuse: () => boolean, why: string, v: number, bug: SagaBug): LedgerChange {
  if (record === undefined) {
    if (refuse()) return { record: { s: 'refused', v, why }, changed: true, notes: [noteOf('step-refused', saga, step, { why })] };
    return { record: { s: 'applied', v }, changed: true, notes: [noteOf('step-applied', saga, step)] };
  }
  if (record.s === 'applied' && bug === 'non-idempotent-step') return { record: { ...record, v }, changed: true, notes: [noteOf('step-applied', saga, step)] };
  return { record, changed: false, notes: [] };
}

/** A request to compensate the step (never refused). */
export function compensateStep(record: StepRecord | undefined, saga: number, step: StepIndex, v: number, bug: SagaBug): LedgerChange {
  if (record === undefined) return { record: { s: 'cancelled', v }, changed: true, notes: [noteOf('step-cancelled', saga, step)] };
  if (record.s === 'applied') return { record: { ...record, s: 'compensated', v }, changed: true, notes: [noteOf('compensation-applied', saga, step)] };
  if (record.s === 'compensated' && bug === 'non-idempotent-compensation') return { record: { ...record, v }, changed: true, notes: [noteOf('compensation-applied', saga, step)] };
  return { record, changed: false, notes: [] };
}
