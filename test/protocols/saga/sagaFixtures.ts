// Shared fixtures for the saga tests: configs, node contexts and inputs for step() unit tests,
// effect filters, whole runs (pinned scenarios and swarm draws, with the variant and client
// settings the swarm tests use) and a crash-storm scenario generator that crashes and restarts
// the saga's nodes (the orchestrator included) far more often than the swarm does. Not a test file.
import { sagaConfigSchema, type SagaConfig } from '../../../protocols/saga/config.ts';
import { createSaga } from '../../../protocols/saga/saga.ts';
import { sagaSpec } from '../../../protocols/saga/spec.ts';
import { nodesNeeded } from '../../../protocols/saga/steps.ts';
import type { SagaBug, SagaMessage, SagaState, SagaTimer, Variant } from '../../../protocols/saga/types.ts';
import type { CheckOutcome } from '../../../sim/checker.ts';
import { runSimulation, type RunResult } from '../../../sim/engine.ts';
import type { Fault } from '../../../sim/faultPlan.ts';
import type { AnySpec } from '../../../sim/protocolSpec.ts';
import { resolveRun, type RunRequest } from '../../../sim/resolveRun.ts';
import { chance, pick, randInt, SeedRng, type Rng } from '../../../sim/rng.ts';
import { drawSwarm } from '../../../sim/swarm.ts';
import type { Effect, Input, NodeContext, Step } from '../../../sim/types.ts';
import { constRng, makeContext, simulate, type TracedRun } from '../../helpers.ts';
import type { SwarmRun } from '../../swarmBlock.ts';

export const configOf = (values: Record<string, unknown> = {}): SagaConfig => sagaConfigSchema.parse(values);
export const orchestration = configOf();
export const choreography = configOf({ variant: 'choreography' });

export type SagaInput = Input<SagaMessage, SagaTimer>;
export type SagaEffect = Effect<SagaMessage, SagaTimer>;
export type SagaStep = Step<SagaState, SagaMessage, SagaTimer>;

export const protocolOf = (cfg: SagaConfig = orchestration, bug: SagaBug = null) => createSaga(cfg, bug);

/** Node `id` of a cluster of n (default: the nodes the variant needs). */
export function ctxOf(id: number, cfg: SagaConfig = orchestration, nowUs = 0, rng: Rng = constRng(0.5), n = nodesNeeded(cfg.variant)): NodeContext {
  const peers = Array.from({ length: n }, (_, i) => i + 1).filter((p) => p !== id);
  return makeContext(id, peers, nowUs, cfg, rng);
}

export const msg = (from: number, m: SagaMessage): SagaInput => ({ kind: 'message', from, msg: m });
export const timer = (name: SagaTimer): SagaInput => ({ kind: 'timer', timer: name });
export const order = (requestId: number): SagaInput => ({ kind: 'request', requestId, client: 1, op: { f: 'place-order', amount: 10 } });
export const persisted = (token: number, ok = true): SagaInput => ({ kind: 'persisted', token, ok });

export const effectsOf = <K extends SagaEffect['kind']>(step: { effects: readonly SagaEffect[] }, kind: K) =>
  step.effects.filter((e): e is Extract<SagaEffect, { kind: K }> => e.kind === kind);
export const sentMsgs = (step: { effects: readonly SagaEffect[] }) => effectsOf(step, 'send').map((e) => ({ to: e.to, ...e.msg }));
export const noteNames = (step: { effects: readonly SagaEffect[] }) => effectsOf(step, 'note').map((e) => e.name);
/** The data of a step's notes of one name, without v (the token of the write a durable note waited for). */
export const notesNamed = (step: { effects: readonly SagaEffect[] }, name: string) =>
  effectsOf(step, 'note').filter((e) => e.name === name).map((e) => {
    const { v: _v, ...data } = e.data as Record<string, unknown>;
    return data;
  });
export const persists = (step: { effects: readonly SagaEffect[] }) => effectsOf(step, 'persist');
export const timers = (step: { effects: readonly SagaEffect[] }) => effectsOf(step, 'setTimer');

/** Feeds inputs one after another (each to the state the previous left, all at ctx); returns every step. */
export function drive(state: SagaState, inputs: readonly SagaInput[], ctx: NodeContext, protocol = protocolOf(ctx.config as SagaConfig)): SagaStep[] {
  const steps: SagaStep[] = [];
  for (const input of inputs) steps.push(protocol.step(steps.at(-1)?.state ?? state, input, ctx));
  return steps;
}

/** Runs a step, then completes every write it made (the engine would, before its sends leave). */
export function stepDurably(protocol: ReturnType<typeof protocolOf>, state: SagaState, input: SagaInput, ctx: NodeContext): SagaStep {
  let step = protocol.step(state, input, ctx);
  const effects = [...step.effects];
  for (const p of persists(step)) {
    const done = protocol.step(step.state, persisted(p.token), ctx);
    effects.push(...done.effects);
    step = { state: done.state, effects };
  }
  return { state: step.state, effects };
}

// ---- whole runs ----

export const outcome = (result: RunResult, name: string): CheckOutcome | undefined => result.checks.find((c) => c.name === name);
export const verdictOf = (result: RunResult) => result.verdict as { kind: string; checker?: string; message?: string };

/** A traced saga run: the variant's nodes, default latency, two clients, a 5 s fault phase unless given; faults as a user writes them. */
export function sagaRun(request: Partial<RunRequest> & { variant?: Variant } = {}, faults: unknown[] = [], spec: AnySpec = sagaSpec): TracedRun {
  const { variant = 'orchestration', ...rest } = request;
  return simulate(spec, { nodes: nodesNeeded(variant), network: {}, faultPhaseUs: 5_000_000, ...rest, clients: { count: 2, ...rest.clients }, config: { variant, ...rest.config } }, faults);
}

export const SWARM_PHASE_US = 8_000_000;
/** Swarm clients: four (one more than a bulkhead admits), thinking 150 ms, so fast networks do not run thousands of sagas. */
export const SWARM_CLIENTS = { count: 4, thinkUs: 150_000 };

/** Settings a swarm seed runs with: odd seeds queue calls over the bulkhead limit (2 places), even seeds reject them. */
export const swarmConfig = (seed: number, variant: Variant): Record<string, unknown> => ({ variant, bulkheadQueue: seed % 2 === 1 ? 2 : 0 });

/** One untraced swarm run: the variant's nodes (plus a spare on every third seed), network and faults drawn from the seed. */
export function sagaSwarmRun(seed: number, variant: Variant, bug: SagaBug = null): SwarmRun {
  const nodes = nodesNeeded(variant) + (seed % 3 === 0 ? 1 : 0);
  const draw = drawSwarm(seed, nodes, SWARM_PHASE_US);
  const options = resolveRun(sagaSpec, { seed, nodes, faultPhaseUs: SWARM_PHASE_US, network: draw.network, config: swarmConfig(seed, variant), clients: SWARM_CLIENTS, bug }, draw.plan);
  return { draw, result: runSimulation(sagaSpec, options, draw.plan) };
}

export interface Storm {
  seed: number;
  variant: Variant;
  request: RunRequest;
  faults: Fault[];
}

/**
 * A crash storm: 3 to 8 crashes of the variant's nodes (the orchestrator or order service on n1
 * in about half of them), each restarted after 50 ms to 3 s, some with a full disk or a partition
 * cutting n1 off around them; a lossy, duplicating network. Drawn from the seed.
 */
export function drawStorm(seed: number, variant: Variant, phaseUs = 6_000_000): Storm {
  const rng: Rng = new SeedRng(`saga-storm/${seed}`);
  const nodes = nodesNeeded(variant);
  const faults: Fault[] = [];
  for (let i = randInt(rng, 3, 8); i > 0; i--) {
    const node = chance(rng, 0.5) ? 1 : randInt(rng, 2, nodes);
    const at = randInt(rng, 0, phaseUs / 1_000 - 1) * 1_000;
    faults.push({ type: 'crash', at, node, for: randInt(rng, 50, 3_000) * 1_000 });
    if (chance(rng, 0.3)) faults.push({ type: 'disk-full', at: Math.max(0, at - 200_000), node, for: randInt(rng, 100, 1_000) * 1_000 });
    if (chance(rng, 0.2)) faults.push({ type: 'partition', at, for: randInt(rng, 100, 1_500) * 1_000, groups: [[1], Array.from({ length: nodes - 1 }, (_, j) => j + 2)] });
  }
  faults.sort((a, b) => a.at - b.at);
  const network = { latency: { dist: 'uniform' as const, minUs: 500, maxUs: pick(rng, [2_000, 10_000, 40_000]) }, loss: pick(rng, [0, 0.02, 0.1]), duplicate: pick(rng, [0, 0.05, 0.2]) };
  return { seed, variant, faults, request: { seed, nodes, faultPhaseUs: phaseUs, network, config: { variant }, clients: { count: 4, thinkUs: 50_000 } } };
}

export function runStorm(storm: Storm, bug: SagaBug = null): RunResult {
  const plan = { faults: storm.faults };
  return runSimulation(sagaSpec, resolveRun(sagaSpec, { ...storm.request, bug }, plan), plan);
}
