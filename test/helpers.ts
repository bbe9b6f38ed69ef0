// Shared helpers for the test suite: tiny test protocols wrapped as specs, a one-call traced run
// that hands back the parsed trace events, and small queries over those events.
import { expect } from 'vitest';
import { z } from 'zod';
import type { Checker } from '../sim/checker.ts';
import type { Workload } from '../sim/clients.ts';
import { runSimulation, type RunResult } from '../sim/engine.ts';
import { formatFaultPlan, parseFaultPlan, type FaultPlan } from '../sim/faultPlan.ts';
import type { AnySpec } from '../sim/protocolSpec.ts';
import { resolveRun, type RunRequest } from '../sim/resolveRun.ts';
import type { Rng } from '../sim/rng.ts';
import type { RunOptions } from '../sim/runOptions.ts';
import type { TraceEvent } from '../sim/traceEvents.ts';
import { InputError } from '../sim/schemaHelpers.ts';
import { MemorySink, Tracer, type TraceHeader } from '../sim/tracer.ts';
import type { AnyProtocol, Effect, Input, NodeContext, Step } from '../sim/types.ts';
import { heartbeatSpec } from '../protocols/heartbeat/spec.ts';

/** Messages of the test protocols: any JSON with a type. */
export type TestMsg = { type: string; [field: string]: unknown };
export type TestEffect = Effect<TestMsg, string>;
export type TestStep<S> = Step<S, TestMsg, string>;

export interface TestProtocolDef<S> {
  init(ctx: NodeContext, durable: unknown): TestStep<S>;
  step?(state: S, input: Input<TestMsg, string>, ctx: NodeContext): TestStep<S>;
}

/** A protocol from two plain functions; a missing step ignores every input. */
export function testProtocol<S>(name: string, def: TestProtocolDef<S>): AnyProtocol {
  return {
    name,
    init: (ctx, durable) => def.init(ctx, durable),
    step: (state: S, input, ctx) => (def.step ? def.step(state, input as Input<TestMsg, string>, ctx) : { state, effects: [] }),
  };
}

export interface TestSpecExtras {
  workload?: Workload;
  checkers?: () => Checker[];
}

/** Wraps a test protocol as a spec: no config, no bugs, no checkers unless given, no heal phase. */
export function testSpec(protocol: AnyProtocol, extras: TestSpecExtras = {}): AnySpec {
  return {
    name: protocol.name,
    summary: `test protocol ${protocol.name}`,
    configSchema: z.record(z.string(), z.unknown()),
    settings: {},
    bugs: {},
    create: () => protocol,
    checkers: () => extras.checkers?.() ?? [],
    healUs: () => 0,
    ...(extras.workload ? { workload: extras.workload } : {}),
  };
}

/** One fixed latency for every message, so tests can compute delivery times exactly. */
export const fixedLatency = (us: number): RunRequest['network'] => ({ latency: { dist: 'uniform', minUs: us, maxUs: us } });

export interface TracedRun {
  result: RunResult;
  events: TraceEvent[];
  /** The trace lines: header, events, end record. */
  lines: string[];
  text: string;
  options: RunOptions;
  plan: FaultPlan;
}

/**
 * Runs a spec with a MemorySink tracer. Defaults: seed 1, 2 nodes, a 1 s fault phase and a fixed
 * 1 ms latency; `faults` is a fault plan's list as a user would write it.
 */
export function simulate(spec: AnySpec, request: Partial<RunRequest> = {}, faults: unknown[] = [], rng?: Rng): TracedRun {
  const nodes = request.nodes ?? 2;
  const faultPhaseUs = request.faultPhaseUs ?? 1_000_000;
  const plan = parseFaultPlan({ faults }, nodes, faultPhaseUs);
  const options = resolveRun(spec, { seed: 1, network: fixedLatency(1_000), ...request, nodes, faultPhaseUs }, plan);
  const sink = new MemorySink();
  const tracer = new Tracer(sink, headerFor(options, plan));
  const result = runSimulation(spec, options, plan, rng ? { tracer, rng } : { tracer });
  const events = sink.lines.slice(1, -1).map((line) => JSON.parse(line) as TraceEvent);
  return { result, events, lines: sink.lines, text: `${sink.lines.join('\n')}\n`, options, plan };
}

export function headerFor(options: RunOptions, plan: FaultPlan): TraceHeader {
  return { faultlab: 1, seed: options.seed, protocol: options.protocol, options, faultPlan: formatFaultPlan(plan) };
}

/** A heartbeat run with the given request (defaults as in simulate, but 5 nodes and default latency). */
export function heartbeatRun(request: Partial<RunRequest> = {}, faults: unknown[] = []): TracedRun {
  return simulate(heartbeatSpec, { nodes: 5, network: {}, ...request }, faults);
}

export type EventOf<K extends TraceEvent['kind']> = Extract<TraceEvent, { kind: K }>;

export function ofKind<K extends TraceEvent['kind']>(events: readonly TraceEvent[], kind: K): EventOf<K>[] {
  return events.filter((e): e is EventOf<K> => e.kind === kind);
}

/** Notes with the given name, optionally only those of one node. */
export function notes(events: readonly TraceEvent[], name: string, node?: number): EventOf<'note'>[] {
  return ofKind(events, 'note').filter((e) => e.name === name && (node === undefined || e.node === node));
}

/** An Rng that always draws the same value (its forks too). */
export function constRng(value: number): Rng {
  const rng: Rng = { next: () => value, fork: () => rng };
  return rng;
}

/** A hand-made node context for calling a protocol's step() directly. */
export function makeContext(id: number, peers: number[], nowUs = 0, config: Record<string, unknown> = {}, rng: Rng = constRng(0)): NodeContext {
  return { id, peers, nowUs, rng, config };
}

/** The InputError message a fault plan of `faults` gets on `nodes` nodes (fails the test if the plan is accepted). */
export function planErrorOf(faults: unknown[], nodes: number, phaseUs: number): string {
  try {
    parseFaultPlan({ faults }, nodes, phaseUs);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected the plan to be rejected');
}
