// Shared fixtures for the SWIM tests: the default config, hand-made frozen states and inputs for
// step() unit tests, effect filters, and whole runs (pinned scenarios and swarm draws) with the
// outcome of each check. Not a test file itself.
import { freeze } from 'immer';
import { swimConfigSchema, type SwimConfig } from '../../../protocols/swim/config.ts';
import { swimSpec } from '../../../protocols/swim/spec.ts';
import { createSwim } from '../../../protocols/swim/swim.ts';
import type { Member, MemberStatus, SwimBug, SwimMessage, SwimState, SwimTimer, Update } from '../../../protocols/swim/types.ts';
import type { CheckOutcome } from '../../../sim/checker.ts';
import type { RunResult } from '../../../sim/engine.ts';
import type { AnySpec } from '../../../sim/protocolSpec.ts';
import type { RunRequest } from '../../../sim/resolveRun.ts';
import { SeedRng, type Rng } from '../../../sim/rng.ts';
import type { Effect, Input, NodeContext, Step } from '../../../sim/types.ts';
import { constRng, makeContext, simulate, type TracedRun } from '../../helpers.ts';
import { swarmRunOf, type SwarmRun } from '../../swarmBlock.ts';

export const config: SwimConfig = swimConfigSchema.parse({});
export const swim = createSwim(config, null);
export const buggy = (bug: SwimBug) => createSwim(config, bug);

export type SwimInput = Input<SwimMessage, SwimTimer>;
export type SwimStep = Step<SwimState, SwimMessage, SwimTimer>;
export type SwimEffect = Effect<SwimMessage, SwimTimer>;

/** Node `id` of an n-node cluster (peers 1..n without id), with the default config. */
export function ctxOf(id: number, n: number, nowUs = 0, rng: Rng = constRng(0)): NodeContext {
  const peers = Array.from({ length: n }, (_, i) => i + 1).filter((p) => p !== id);
  return makeContext(id, peers, nowUs, config, rng);
}

export const seeded = (seed: number): Rng => new SeedRng(`swim-test/${seed}`);

export const member = (status: MemberStatus, inc = 0): Member => ({ status, inc });
export const upd = (id: number, status: MemberStatus, inc = 0): Update => ({ id, status, inc });

/** A joined node's state with the given members ({2: member('Alive')}), frozen like the protocol's; a snapshot is already due. */
export function stateWith(members: Record<number, Member>, extra: Partial<SwimState> = {}): SwimState {
  const keyed: Record<string, Member> = {};
  for (const [id, m] of Object.entries(members)) keyed[`n${id}`] = m;
  const base: SwimState = { inc: 0, joined: true, members: keyed, order: [], next: 0, probe: null, seq: 0, relays: {}, gossip: [], rejoin: [], saved: '', snapshotDue: true };
  return freeze({ ...base, ...extra }, true);
}

/** Members 2..n all Alive at incarnation 0. */
export function allAlive(n: number): Record<number, Member> {
  const out: Record<number, Member> = {};
  for (let id = 2; id <= n; id++) out[id] = member('Alive');
  return out;
}

export const msgFrom = (from: number, msg: SwimMessage): SwimInput => ({ kind: 'message', from, msg });
export const ping = (from: number, seq: number, updates: Update[] = []): SwimInput => msgFrom(from, { type: 'Ping', seq, updates });
export const ack = (from: number, seq: number, updates: Update[] = []): SwimInput => msgFrom(from, { type: 'Ack', seq, updates });
export const timer = (name: string): SwimInput => ({ kind: 'timer', timer: name });

export type SendEffect = Extract<SwimEffect, { kind: 'send' }>;
export const sends = (step: { effects: readonly SwimEffect[] }): SendEffect[] => step.effects.filter((e): e is SendEffect => e.kind === 'send');
export const effectsOf = <K extends SwimEffect['kind']>(step: { effects: readonly SwimEffect[] }, kind: K) =>
  step.effects.filter((e): e is Extract<SwimEffect, { kind: K }> => e.kind === kind);
export const noteData = (step: { effects: readonly SwimEffect[] }, name: string): unknown[] =>
  effectsOf(step, 'note').filter((e) => e.name === name).map((e) => e.data);

/** Feeds inputs one after another from `state`; returns every step. */
export function drive(state: SwimState, inputs: readonly SwimInput[], ctx: NodeContext, protocol = swim): SwimStep[] {
  const steps: SwimStep[] = [];
  let s = state;
  for (const input of inputs) {
    const step = protocol.step(s, input, ctx);
    steps.push(step);
    s = step.state;
  }
  return steps;
}

// ---- whole runs ----

export const outcome = (result: RunResult, name: string): CheckOutcome | undefined => result.checks.find((c) => c.name === name);

/** A traced SWIM run (default network unless given); faults as a user writes them. */
export function swimRun(request: Partial<RunRequest>, faults: unknown[] = [], spec: AnySpec = swimSpec): TracedRun {
  return simulate(spec, { nodes: 5, network: {}, faultPhaseUs: 10_000_000, ...request }, faults);
}

export const SWARM_PHASE_US = 10_000_000;
export const swarmNodes = (seed: number): number => 3 + (seed % 6);

/** One untraced swarm run: nodes 3 + seed % 6, a 10 s fault phase, network and faults drawn from the seed. */
export function swarmRun(seed: number, bug: SwimBug = null): SwarmRun {
  return swarmRunOf(swimSpec, seed, swarmNodes(seed), SWARM_PHASE_US, bug);
}

/** The first swarm seed in from..to whose run with `bug` ends with that checker's verdict. */
export function firstCaught(bug: SwimBug, checker: string, from: number, to: number): { seed: number; result: RunResult } | undefined {
  for (let seed = from; seed <= to; seed++) {
    const { result } = swarmRun(seed, bug);
    if ('checker' in result.verdict && result.verdict.checker === checker) return { seed, result };
  }
  return undefined;
}

/** The last status note each observer made about `peer` (observer id to status). */
export function lastStatusOf(run: TracedRun, peer: number): Map<number, string | null> {
  const out = new Map<number, string | null>();
  for (const e of run.events) {
    if (e.kind === 'boot') out.delete(e.node);
    if (e.kind === 'note' && e.name === 'status' && (e.data as { peer: number }).peer === peer) out.set(e.node, (e.data as { to: string | null }).to);
  }
  return out;
}
