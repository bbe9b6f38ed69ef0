// Shared fixtures for the 2PC tests: the default config, contexts and inputs for step() unit tests,
// a coordinator and participants brought to a known point by feeding real inputs, effect filters,
// and whole runs (pinned scenarios, swarm draws) with the outcome of each check. Not a test file.
import { tpcConfigSchema, type TpcConfig } from '../../../protocols/twoPhaseCommit/config.ts';
import { twoPhaseCommitSpec } from '../../../protocols/twoPhaseCommit/spec.ts';
import { createTwoPhaseCommit } from '../../../protocols/twoPhaseCommit/twoPhaseCommit.ts';
import type { CoordinatorState, ParticipantState, TpcBug, TpcDurable, TpcMessage, TpcState, TpcTimer, Write } from '../../../protocols/twoPhaseCommit/types.ts';
import type { CheckOutcome } from '../../../sim/checker.ts';
import { runSimulation, type RunResult } from '../../../sim/engine.ts';
import type { AnySpec } from '../../../sim/protocolSpec.ts';
import { resolveRun, type RunRequest } from '../../../sim/resolveRun.ts';
import type { Rng } from '../../../sim/rng.ts';
import { drawSwarm } from '../../../sim/swarm.ts';
import type { Effect, Input, NodeContext, Step } from '../../../sim/types.ts';
import { constRng, makeContext, simulate, type TracedRun } from '../../helpers.ts';
import type { SwarmRun } from '../../swarmBlock.ts';

export const config: TpcConfig = tpcConfigSchema.parse({});
export const configWith = (values: Record<string, unknown>): TpcConfig => tpcConfigSchema.parse(values);
export const protocolOf = (bug: TpcBug = null, cfg: TpcConfig = config) => createTwoPhaseCommit(cfg, bug);

export type TpcInput = Input<TpcMessage, TpcTimer>;
export type TpcStep = Step<TpcState, TpcMessage, TpcTimer>;
export type TpcEffect = Effect<TpcMessage, TpcTimer>;

/** Node `id` of an n-node cluster (default 4: coordinator n1, participants n2..n4). */
export function ctxOf(id: number, n = 4, nowUs = 0, cfg: TpcConfig = config, rng: Rng = constRng(0)): NodeContext {
  const peers = Array.from({ length: n }, (_, i) => i + 1).filter((p) => p !== id);
  return makeContext(id, peers, nowUs, cfg, rng);
}

export const msgFrom = (from: number, msg: TpcMessage): TpcInput => ({ kind: 'message', from, msg });
export const timer = (name: TpcTimer): TpcInput => ({ kind: 'timer', timer: name });
export const persisted = (token: number, ok = true): TpcInput => ({ kind: 'persisted', token, ok });
export const request = (requestId: number, client: number, writes: Write[]): TpcInput => ({ kind: 'request', requestId, client, op: { writes } });
export const w = (key: string, value = `v-${key}`): Write => ({ key, value });

export const prepare = (tx: string, writes: Write[], participants: number[], low = 1): TpcMessage => ({ type: 'Prepare', tx, writes, participants, low });

type SendEffect = Extract<TpcEffect, { kind: 'send' }>;
export const effectsOf = <K extends TpcEffect['kind']>(step: { effects: readonly TpcEffect[] }, kind: K) =>
  step.effects.filter((e): e is Extract<TpcEffect, { kind: K }> => e.kind === kind);
export const sends = (step: { effects: readonly TpcEffect[] }): SendEffect[] => effectsOf(step, 'send');
/** "<Type>-><to>" for every send, in order: easy to compare. */
export const sendList = (step: { effects: readonly TpcEffect[] }): string[] => sends(step).map((e) => `${e.msg.type}->n${e.to}`);
export const sent = <T extends TpcMessage['type']>(step: { effects: readonly TpcEffect[] }, type: T) =>
  sends(step).filter((e) => e.msg.type === type) as (SendEffect & { msg: Extract<TpcMessage, { type: T }> })[];
export const noteData = (step: { effects: readonly TpcEffect[] }, name: string): unknown[] => effectsOf(step, 'note').filter((e) => e.name === name).map((e) => e.data);
export const replies = (step: { effects: readonly TpcEffect[] }) => effectsOf(step, 'reply').map((e) => e.result);
export const timers = (step: { effects: readonly TpcEffect[] }) => effectsOf(step, 'setTimer').map((e) => `${e.timer}@${e.afterUs}`);
export const persists = (step: { effects: readonly TpcEffect[] }) => effectsOf(step, 'persist');

/** Feeds inputs one after another (each to the state the previous left); returns every step. */
export function drive(first: TpcStep, inputs: readonly TpcInput[], ctx: NodeContext, protocol = protocolOf()): TpcStep[] {
  const steps: TpcStep[] = [first];
  for (const input of inputs) steps.push(protocol.step((steps.at(-1) as TpcStep).state, input, ctx));
  return steps.slice(1);
}

/** One step from `state`. */
export const stepOf = (state: TpcState, input: TpcInput, ctx: NodeContext, protocol = protocolOf()): TpcStep => protocol.step(state, input, ctx);

/** A coordinator (n1 of 4) booted on `durable` whose epoch write is done: ready for requests. */
export function readyCoordinator(durable?: TpcDurable, protocol = protocolOf(), ctx = ctxOf(1)): CoordinatorState {
  const boot = protocol.init(ctx, durable);
  const token = persists(boot)[0]?.token as number;
  return protocol.step(boot.state, persisted(token), ctx).state as CoordinatorState;
}

export const freshParticipant = (id = 2, protocol = protocolOf(), ctx = ctxOf(id)): ParticipantState => protocol.init(ctx, undefined).state as ParticipantState;

/** A participant that has voted yes on `tx` and whose vote is on disk. */
export function preparedParticipant(tx: string, writes: Write[], participants: number[], id = 2, protocol = protocolOf(), ctx = ctxOf(id)): ParticipantState {
  const voted = protocol.step(freshParticipant(id, protocol, ctx), msgFrom(1, prepare(tx, writes, participants)), ctx);
  return protocol.step(voted.state, persisted(persists(voted)[0]?.token as number), ctx).state as ParticipantState;
}

/** The durable record a step wrote last. */
export const lastWrite = (step: { effects: readonly TpcEffect[] }): TpcDurable => persists(step).at(-1)?.data as TpcDurable;

// ---- whole runs ----

export const outcome = (result: RunResult, name: string): CheckOutcome | undefined => result.checks.find((c) => c.name === name);
export const verdictOf = (result: RunResult) => result.verdict as { kind: string; checker?: string; message?: string };

/** A traced 2PC run (4 nodes, default network, a 10 s fault phase unless given); faults as a user writes them. */
export function tpcRun(request: Partial<RunRequest>, faults: unknown[] = [], spec: AnySpec = twoPhaseCommitSpec): TracedRun {
  return simulate(spec, { nodes: 4, network: {}, faultPhaseUs: 10_000_000, ...request }, faults);
}

export const SWARM_PHASE_US = 10_000_000;
export const swarmNodes = (seed: number): number => 3 + (seed % 5);
/** Swarm runs use the default clients with a longer think time, so fast networks do not run 10,000 transactions. */
export const SWARM_CLIENTS = { thinkUs: 25_000 };

/** One untraced swarm run: nodes 3 + seed % 5, a 10 s fault phase, network and faults drawn from the seed. */
export function swarmRun(seed: number, bug: TpcBug = null, spec: AnySpec = twoPhaseCommitSpec): SwarmRun {
  const nodes = swarmNodes(seed);
  const draw = drawSwarm(seed, nodes, SWARM_PHASE_US);
  const options = resolveRun(spec, { seed, nodes, faultPhaseUs: SWARM_PHASE_US, network: draw.network, bug, clients: SWARM_CLIENTS }, draw.plan);
  return { draw, result: runSimulation(spec, options, draw.plan) };
}
