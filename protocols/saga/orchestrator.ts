// The saga orchestrator (n1): takes client orders, keeps the durable saga log (sagaLog.ts) and
// calls the services through the resilience patterns (calls.ts). It boots from its log: running
// sagas resume at once; breakers and bulkheads start fresh (they are volatile, like a process's
// connection pools). A non-orchestrator node that gets an order redirects the client to n1.
// Deliberate bug volatile-saga-log: the log is written but never read back (the design notes'
// saga state that is not persisted), so a restarted orchestrator forgets its running sagas.
// Leaves out: more than one orchestrator (no failover; a crashed n1 stalls new sagas until it
// restarts).
import type { Input, NodeContext, NodeId } from '../../sim/types.ts';
import { createBulkhead } from '../patterns/bulkhead.ts';
import { createBreaker } from '../patterns/circuitBreaker.ts';
import { onCallReply, onCallTimer } from './calls.ts';
import { REFUSAL_REASON } from './config.ts';
import { announceOnBoot, bootJournal, onWriteDone } from './journal.ts';
import { onCompensated, onOrder, onStepApplied, onStepRefused, resumeAll } from './sagaLog.ts';
import { STEPS, stepName } from './steps.ts';
import { flush, note, runTurn, type Env, type SagaStep, type Turn } from './turn.ts';
import type { OrchestratorDurable, OrchestratorState, SagaMessage, SagaTimer } from './types.ts';

type T = Turn<OrchestratorState>;

const REPLY_RESULTS: readonly unknown[] = ['applied', 'refused', 'cancelled'];

const durableOf = (s: OrchestratorState, seq: number): OrchestratorDurable => ({ seq, active: s.active, ended: s.ended, notes: s.journal.notes });

export function initOrchestrator(ctx: NodeContext, env: Env, durable: unknown): SagaStep {
  const log = env.bug === 'volatile-saga-log' ? undefined : readDurable(durable);
  const state: OrchestratorState = {
    role: 'orchestrator',
    active: log?.active ?? [],
    ended: log?.ended ?? [],
    calls: [],
    breakers: Object.fromEntries(STEPS.map((name) => [name, createBreaker(env.pol.breaker)])),
    bulkheads: Object.fromEntries(STEPS.map((name) => [name, createBulkhead(env.pol.bulkhead)])),
    journal: bootJournal(log?.seq ?? 0),
  };
  return runTurn(state, ctx, env, (t) => {
    t.effects.push(...announceOnBoot(log?.notes));
    const running = t.s.active.length;
    if (running > 0) note(t, 'resume', { sagas: running });
    resumeAll(t);
  }, durableOf);
}

export function stepOrchestrator(state: OrchestratorState, input: Input<SagaMessage, SagaTimer>, ctx: NodeContext, env: Env): SagaStep {
  return runTurn(state, ctx, env, (t) => {
    switch (input.kind) {
      case 'request': return onOrder(t, input.requestId);
      case 'message': return onMessage(t, input.from, input.msg);
      case 'timer': return onTimer(t, input.timer);
      case 'persisted': return onPersisted(t, input.token, input.ok);
    }
  }, durableOf);
}

function onMessage(t: T, _from: NodeId, msg: SagaMessage): void {
  if (msg.type === 'StepReply') {
    if (!REPLY_RESULTS.includes(msg.result) || !onCallReply(t, msg.saga, 'do', msg.step)) return;
    if (msg.result === 'applied') return onStepApplied(t, msg.saga);
    return onStepRefused(t, msg.saga, msg.result === 'refused' ? (REFUSAL_REASON[msg.step] ?? 'refused') : `${stepName(msg.step)} was cancelled`);
  }
  if (msg.type === 'CompensationReply' && onCallReply(t, msg.saga, 'undo', msg.step)) onCompensated(t, msg.saga);
}

function onTimer(t: T, timer: SagaTimer): void {
  if (timer === 'flush') return flush(t);
  if (timer.startsWith('c')) onCallTimer(t, Number(timer.slice(1)));
}

function onPersisted(t: T, token: number, ok: boolean): void {
  const done = onWriteDone(t.s.journal, token, ok);
  t.s.journal = done.journal;
  t.effects.push(...done.effects);
}

function readDurable(durable: unknown): OrchestratorDurable | undefined {
  if (typeof durable !== 'object' || durable === null) return undefined;
  const { seq, active, ended } = durable as Record<string, unknown>;
  if (!Number.isSafeInteger(seq) || !Array.isArray(active) || !Array.isArray(ended)) return undefined;
  return durable as OrchestratorDurable;
}
