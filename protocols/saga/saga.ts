// The saga protocol as the engine sees it: one pure state machine whose role depends on the node
// and the variant. Orchestration: n1 is the orchestrator, n2..n5 the order, payment, inventory and
// shipping services. Choreography: n1..n4 are those services and there is no orchestrator. Nodes
// beyond those are spares. Clients send orders to n1; any other node answers with a redirect to
// n1. Leaves out: moving roles between nodes.
import type { Protocol } from '../../sim/types.ts';
import { freezeNew } from '../shared/copyOnWrite.ts';
import { initChoreographed, stepChoreographed } from './choreography.ts';
import { policiesOf, type SagaConfig } from './config.ts';
import { initOrchestrator, stepOrchestrator } from './orchestrator.ts';
import { onGiveUp } from './sagaLog.ts';
import { initService, stepService } from './service.ts';
import { FRONT_NODE, ORCHESTRATOR_NODE, stepOfNode } from './steps.ts';
import type { Env, SagaStep } from './turn.ts';
import type { SagaBug, SagaMessage, SagaResult, SagaState, SagaTimer, SpareState } from './types.ts';

export function createSaga(cfg: SagaConfig, bug: SagaBug): Protocol<SagaState, SagaMessage, SagaTimer, unknown> {
  const env: Env = { cfg, pol: policiesOf(cfg), bug, onGiveUp };
  const choreography = cfg.variant === 'choreography';
  return {
    name: 'saga',
    init(ctx, durable): SagaStep {
      if (!choreography && ctx.id === ORCHESTRATOR_NODE) return initOrchestrator(ctx, env, durable);
      const step = stepOfNode(cfg.variant, ctx.id);
      if (step === undefined) {
        const spare: SpareState = { role: 'spare' };
        freezeNew(spare);
        return { state: spare, effects: [] };
      }
      return choreography ? initChoreographed(ctx, env, step, durable) : initService(ctx, env, step, durable);
    },
    step(state, input, ctx): SagaStep {
      const front = state.role === 'orchestrator' || (choreography && state.role === 'service' && state.step === 0);
      if (input.kind === 'request' && !front) {
        const result: SagaResult = { ok: false, error: 'redirect', to: FRONT_NODE };
        return { state, effects: [{ kind: 'reply', requestId: input.requestId, result }] };
      }
      if (state.role === 'orchestrator') return stepOrchestrator(state, input, ctx, env);
      if (state.role === 'service') return choreography ? stepChoreographed(state, input, ctx, env) : stepService(state, input, ctx, env);
      return { state, effects: [] };
    },
  };
}
