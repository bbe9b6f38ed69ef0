// An orchestrated service (n2 order, n3 payment, n4 inventory, n5 shipping): answers the
// orchestrator's StepRequest and CompensationRequest for its step, idempotently by saga id
// (ledger.ts). What it applied is written to disk before it answers, in one write with the answer
// held behind it; a request about a record that is not on disk yet is answered once it is
// (behind the write in flight, or a new one if that failed: journal.ts). Shared with choreography.ts:
// booting from the disk, and the durable-write bookkeeping.
// Leaves out: the business effect itself (a note says it happened) and load (a service answers
// every request at once; the slow-node fault adds processing time).
import { chance } from '../../sim/rng.ts';
import type { Input, NodeContext, NodeId } from '../../sim/types.ts';
import { getIn, putIn } from './buckets.ts';
import { refusalRate, REFUSAL_REASON } from './config.ts';
import { announceOnBoot, bootJournal, onWriteDone, type SagaEffect } from './journal.ts';
import { freezeNew } from '../shared/copyOnWrite.ts';
import { compensateStep, runStep, stepResult, type LedgerChange } from './ledger.ts';
import { validSaga } from './steps.ts';
import { durableNote, emitWhenDurable, flush, runTurn, type Env, type SagaStep, type Turn } from './turn.ts';
import type { SagaMessage, SagaTimer, ServiceDurable, ServiceState, StepIndex, StepRecord } from './types.ts';

type T = Turn<ServiceState>;

export const serviceDurableOf = (s: ServiceState, seq: number): ServiceDurable => ({ seq, records: s.records, notes: s.journal.notes });

/** A service booted from its disk, and the notes its last write held (announced again). */
export function bootService(step: StepIndex, durable: unknown): { state: ServiceState; announce: SagaEffect[] } {
  const disk = readDurable(durable);
  const state: ServiceState = { role: 'service', step, records: disk?.records ?? [], resend: [], journal: bootJournal(disk?.seq ?? 0) };
  freezeNew(state);
  return { state, announce: announceOnBoot(disk?.notes) };
}

export function initService(_ctx: NodeContext, _env: Env, step: StepIndex, durable: unknown): SagaStep {
  const { state, announce } = bootService(step, durable);
  return { state, effects: announce };
}

export function stepService(state: ServiceState, input: Input<SagaMessage, SagaTimer>, ctx: NodeContext, env: Env): SagaStep {
  return runTurn(state, ctx, env, (t) => {
    if (input.kind === 'message') return onMessage(t, input.from, input.msg);
    if (input.kind === 'persisted') return onServiceWrite(t, input.token, input.ok);
    if (input.kind === 'timer' && input.timer === 'flush') return flush(t);
  }, serviceDurableOf);
}

function onMessage(t: T, from: NodeId, msg: SagaMessage): void {
  if (msg.type !== 'StepRequest' && msg.type !== 'CompensationRequest') return;
  if (msg.step !== t.s.step || !validSaga(msg.saga)) return;
  const change = msg.type === 'StepRequest' ? runOwnStep(t, msg.saga) : compensateOwnStep(t, msg.saga);
  const record = change.record as StepRecord;
  const answer: SagaMessage = msg.type === 'StepRequest' ? { type: 'StepReply', saga: msg.saga, step: msg.step, result: stepResult(record) } : { type: 'CompensationReply', saga: msg.saga, step: msg.step };
  emitWhenDurable(t, { kind: 'send', to: from, msg: answer }, record.v);
}

/** Runs this service's step for a saga (a new record, or the one it already has). */
export function runOwnStep(t: T, saga: number): LedgerChange {
  const { step } = t.s;
  const refuse = (): boolean => chance(t.ctx.rng, refusalRate(t.cfg, step));
  return applyChange(t, saga, runStep(getIn(t.s.records, saga), saga, step, refuse, REFUSAL_REASON[step] ?? 'refused', t.v, t.bug));
}

export function compensateOwnStep(t: T, saga: number): LedgerChange {
  return applyChange(t, saga, compensateStep(getIn(t.s.records, saga), saga, t.s.step, t.v, t.bug));
}

/** Stores a ledger change (written in this step) and its notes (emitted once on disk). */
export function applyChange(t: T, saga: number, change: LedgerChange): LedgerChange {
  const record = change.record;
  if (record && change.changed) {
    t.s.records = putIn(t.s.records, saga, record);
    t.write = true;
  }
  for (const n of change.notes) durableNote(t, n.name, n.data);
  return change;
}

export function onServiceWrite(t: T, token: number, ok: boolean): void {
  const done = onWriteDone(t.s.journal, token, ok);
  t.s.journal = done.journal;
  t.effects.push(...done.effects);
}

function readDurable(durable: unknown): ServiceDurable | undefined {
  if (typeof durable !== 'object' || durable === null) return undefined;
  const { seq, records } = durable as Record<string, unknown>;
  if (!Number.isSafeInteger(seq) || !Array.isArray(records)) return undefined;
  return durable as ServiceDurable;
}
