// Builds a sweep's setup from what the user asked for: checks the bug name, parses the protocol
// settings, finds the cluster sizes the protocol accepts, picks the knobs swarm may draw (the
// protocol's, less those the user set), fixes the client options every run uses (the number of
// clients and each one's operation budget, when given; the protocol's defaults otherwise), and
// calibrates PCT's n (the number of messages a run sends) with one fault-free run of the correct
// protocol, with those client options, on the largest cluster. Everything here is deterministic,
// so every worker and every shard computes the same setup.
// Leaves out: flag parsing (sim/cli/exploreCommand.ts).
import type { AnySpec } from '../protocolSpec.ts';
import { parseConfig, resolveRun, type RunRequest } from '../resolveRun.ts';
import { InputError } from '../schemaHelpers.ts';
import { runSchedule } from './schedule.ts';
import { nodeCountsFor, type Strategy, type SweepSetup } from './strategies.ts';

export interface SweepRequest {
  bug?: string | null;
  strategy?: Strategy;
  /** The largest cluster a run may have (runs have 3 to this many nodes, as the protocol allows). */
  nodes?: number;
  faultPhaseUs?: number;
  config?: Record<string, unknown>;
  maxFaults?: number;
  /** PCT depth d. */
  depth?: number;
  /** Clients in every run and the most operations each invokes (absent: the protocol's defaults, no limit). */
  clients?: { count?: number; ops?: number };
}

export const DEFAULT_EXPLORE_RUNS = 1000;
export const DEFAULT_EXPLORE_NODES = 5;
export const DEFAULT_EXPLORE_PHASE_US = 5_000_000;
export const DEFAULT_MAX_FAULTS = 8;
export const DEFAULT_PCT_DEPTH = 3;
const MIN_NODES = 3;

export function sweepSetup(spec: AnySpec, request: SweepRequest): SweepSetup {
  const bug = request.bug ?? null;
  if (bug !== null && !(bug in spec.bugs)) {
    throw new InputError(`--bug: "${bug}" is not a bug of ${spec.name}; expected one of: ${Object.keys(spec.bugs).join(', ') || '(none)'} (or list)`);
  }
  if (request.faultPhaseUs !== undefined && request.faultPhaseUs < 1_000) throw new InputError(`--duration: expected a fault phase of at least 1ms; got ${request.faultPhaseUs}us`);
  const config = request.config ?? {};
  const parsed = parseConfig(spec, config);
  const maxNodes = request.nodes ?? DEFAULT_EXPLORE_NODES;
  const nodeCounts = nodeCountsFor(spec, parsed, MIN_NODES, maxNodes);
  if (nodeCounts.length === 0) {
    const why = spec.validate?.(parsed, maxNodes) ?? 'no cluster size fits';
    throw new InputError(`--nodes: ${spec.name} accepts no cluster of ${Math.min(MIN_NODES, maxNodes)} to ${maxNodes} nodes with these settings (${why})`);
  }
  const clients = clientsOf(spec, request.clients ?? {}, { seed: 0, nodes: nodeCounts[0] as number, config, bug });
  const setup: SweepSetup = {
    protocol: spec.name,
    bug,
    strategy: request.strategy ?? 'swarm',
    nodeCounts,
    faultPhaseUs: request.faultPhaseUs ?? DEFAULT_EXPLORE_PHASE_US,
    config,
    maxFaults: request.maxFaults ?? DEFAULT_MAX_FAULTS,
    pct: { depth: request.depth ?? DEFAULT_PCT_DEPTH, steps: 1 },
    leaderNotes: spec.leaderNotes ? { ...spec.leaderNotes } : null,
    knobs: knobsOf(spec, config),
    clients,
  };
  setup.pct.steps = setup.strategy === 'pct' ? calibrateSteps(spec, setup) : 1;
  return setup;
}

/** The client options the user gave (the keys given only), checked as a run checks them. */
function clientsOf(spec: AnySpec, given: NonNullable<SweepRequest['clients']>, request: RunRequest): SweepSetup['clients'] {
  const clients = { ...(given.count !== undefined ? { count: given.count } : {}), ...(given.ops !== undefined ? { ops: given.ops } : {}) };
  resolveRun(spec, { ...request, clients }, { faults: [] });
  return clients;
}

/** The spec's knobs the user did not set, each value checked against the protocol's settings schema. */
function knobsOf(spec: AnySpec, config: Record<string, unknown>): Record<string, unknown[]> {
  const knobs: Record<string, unknown[]> = {};
  for (const [name, values] of Object.entries(spec.knobs ?? {})) {
    if (name in config) continue;
    for (const value of values) parseConfig(spec, { ...config, [name]: value });
    knobs[name] = [...values];
  }
  return knobs;
}

/** Messages sent by a fault-free run of the correct protocol on the largest cluster (seed 0, default network). */
function calibrateSteps(spec: AnySpec, setup: SweepSetup): number {
  const nodes = setup.nodeCounts[setup.nodeCounts.length - 1] as number;
  const options = resolveRun(spec, { seed: 0, nodes, faultPhaseUs: setup.faultPhaseUs, config: setup.config, bug: null, clients: setup.clients }, { faults: [] });
  const result = runSchedule(spec, { options, plan: { faults: [] }, tape: {}, pct: null });
  return Math.max(1, result.metrics.messages.sent);
}

/** The names of the protocol's sometimes-checks (as a fault-free run of the largest cluster has them). */
export function sometimesNames(spec: AnySpec, setup: SweepSetup): string[] {
  const nodes = setup.nodeCounts[setup.nodeCounts.length - 1] as number;
  const options = resolveRun(spec, { seed: 0, nodes, faultPhaseUs: setup.faultPhaseUs, config: setup.config, bug: setup.bug, clients: setup.clients }, { faults: [] });
  return spec.checkers(options.config, options, { faults: [] }).filter((c) => c.kind === 'sometimes').map((c) => c.name);
}
