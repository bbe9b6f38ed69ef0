// The exploration strategies, each a fast-check arbitrary of drafts (seed, node count, network,
// faults, choice tape, PCT settings) that a sweep setup turns into schedules:
//  - random: every run draws 0 to maxFaults faults from every fault kind (the fault types and the
//    patterns of faultPatterns.ts), the same mix each run;
//  - swarm: each run is one of three modes (weights 2 : 2 : 1):
//    - mixed: the run first enables each fault kind with probability 1/2, then draws its faults
//      from the enabled kinds only (swarm testing, as in FoundationDB and TigerBeetle: runs that
//      see only crashes, or only clock faults, reach states that the full mix keeps
//      interrupting); it also draws a focus (the nodes and the time window its faults hit) and an
//      intensity (up to maxFaults faults, or a storm of up to three times as many): swarmFocus.ts;
//    - nemesis: one fault pattern alone (flapping, rolling partitions or a leader chase, or a crash
//      storm), starting early, on the smallest cluster and the slow network (Jepsen's one nemesis
//      per test);
//    - lone fault: one fault and nothing else (checks that stand down at a second fault stay armed);
//    every swarm run also draws the protocol's knobs (settings such as Raft's maxBatch), as
//    FoundationDB randomizes knobs in simulation;
//  - pct: the random strategy's runs, with deliveries ordered by PCT priorities (pctScheduler.ts),
//    on networks whose latency has a window to order them in (no fixed latencies).
// The seed never shrinks (a new seed is a new run, not a simpler one); everything else does.
// Nothing draws client options: every run of a sweep has the setup's (the same when shrinking).
// Leaves out: coverage feedback (nothing steers toward unreached sometimes-checks).
import fc from 'fast-check';
import type { FaultType, PlanFault } from '../faultPlan.ts';
import type { NetworkOptions } from '../network.ts';
import type { AnySpec, LeaderNotes } from '../protocolSpec.ts';
import { compactTape, type ChoiceTape } from './choiceTape.ts';
import { faultArbitrary, faultTypesFor, projectFault, type FaultBounds } from './faultArbitrary.ts';
import { patternArbitrary, patternsFor, PATTERNS, type Pattern } from './faultPatterns.ts';
import { networkArbitrary, pctNetworkArbitrary, slowNetworkArbitrary } from './networkArbitrary.ts';
import type { PctSettings } from './pctScheduler.ts';
import { resolveSchedule, type Schedule } from './schedule.ts';
import { focusArbitrary, focusGroup, type SwarmFocus } from './swarmFocus.ts';

export const STRATEGIES = ['swarm', 'pct', 'random'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** What every run of a sweep shares. */
export interface SweepSetup {
  protocol: string;
  bug: string | null;
  strategy: Strategy;
  /** Cluster sizes a run may have, smallest first (a run's size shrinks toward the first). */
  nodeCounts: number[];
  faultPhaseUs: number;
  /** Protocol settings as the user wrote them. */
  config: Record<string, unknown>;
  maxFaults: number;
  /** PCT settings (used by the pct strategy). */
  pct: PctSettings;
  /** The protocol's election and commit notes (leader-based protocols), for the leader-chase pattern. */
  leaderNotes: LeaderNotes | null;
  /** The protocol's knobs that swarm draws (those the user did not set): values, default first. */
  knobs: Record<string, unknown[]>;
  /** Client options every run uses, as the user gave them (the rest are the protocol's defaults). */
  clients: { count?: number; ops?: number };
}

export interface Draft {
  seed: number;
  nodes: number;
  network: NetworkOptions;
  /** Groups of faults: one fault, or the faults of one pattern. */
  faults: PlanFault[][];
  tape: ChoiceTape;
  /** Swarm runs only. */
  focus?: SwarmFocus;
  /** Swarm runs of a protocol with knobs: the values drawn (they override the defaults). */
  knobs?: Record<string, unknown>;
}

const TAPE_STREAMS = ['/network', '/clients', '/pct'];
const TAPE_LENGTH = 8;
const choice = fc.integer({ min: 0, max: 1023 }).map((k) => k / 1024);

function tapeArbitrary(maxNodes: number): fc.Arbitrary<ChoiceTape> {
  const streams = [...TAPE_STREAMS, ...Array.from({ length: maxNodes }, (_, i) => `/node:${i + 1}`)];
  return fc.record(Object.fromEntries(streams.map((s) => [s, fc.array(choice, { maxLength: TAPE_LENGTH })])));
}

type Kind = FaultType | Pattern;

function kindArbitrary(kind: Kind, bounds: FaultBounds): fc.Arbitrary<PlanFault[]> {
  return (PATTERNS as readonly string[]).includes(kind) ? patternArbitrary(kind as Pattern, bounds) : faultArbitrary(kind as FaultType, bounds).map((f) => [f]);
}

function faultsOf(kinds: readonly Kind[], bounds: FaultBounds, max: number): fc.Arbitrary<PlanFault[][]> {
  if (kinds.length === 0 || max === 0) return fc.constant([]);
  return fc.array(fc.oneof(...kinds.map((k) => kindArbitrary(k, bounds))), { maxLength: max, size: 'max' });
}

/** Each kind enabled with probability 1/2; a storm (1 in 4 runs) allows three times the faults. */
function swarmFaults(kinds: readonly Kind[], bounds: FaultBounds, max: number): fc.Arbitrary<PlanFault[][]> {
  const mix = fc.record({ on: fc.tuple(...kinds.map(() => fc.boolean())), storm: fc.constantFrom(false, false, false, true) });
  return mix.chain(({ on, storm }) => faultsOf(kinds.filter((_, i) => on[i]), bounds, storm ? 3 * max : max));
}

/** A lone-fault run (one swarm run in five): one fault of one type and nothing else (checks that stand down at a second fault stay armed). */
function loneFault(types: readonly FaultType[], bounds: FaultBounds): fc.Arbitrary<PlanFault[][]> {
  return fc.oneof(...types.map((t) => faultArbitrary(t, bounds))).map((f) => [[f]]);
}

/**
 * A nemesis run (two swarm runs in five): one pattern alone, starting early, as drawn (its own nodes,
 * no focus), on the smallest cluster (where one flapping node is a third of the votes) and the slow
 * network (race windows tens of milliseconds wide); the Jepsen way of running one nemesis per
 * test. Flapping, partitions and crash storms a third each; for a protocol that notes its
 * elections, half the partition runs chase the leader instead of rolling random splits. The mixed
 * runs keep the patterns among their kinds.
 */
function nemesisFaults(patterns: readonly Pattern[], bounds: FaultBounds): fc.Arbitrary<PlanFault[][]> {
  if (patterns.length === 0) return fc.constant([]);
  const race = (p: Pattern) => patternArbitrary(p, bounds, 'race');
  if (!patterns.includes('leader-chase')) return fc.oneof(...patterns.map(race)).map((group) => [group]);
  const halved: readonly Pattern[] = ['rolling-partitions', 'leader-chase'];
  return fc.oneof(...patterns.map((p) => ({ arbitrary: race(p), weight: halved.includes(p) ? 1 : 2 }))).map((group) => [group]);
}

/**
 * A swarm run's knobs, each drawn from its values (FoundationDB's randomized knobs), shrinking
 * toward the first, the default. None for a protocol without knobs (its drafts stay as they were).
 */
function knobsArbitrary(knobs: Record<string, unknown[]>): Record<string, fc.Arbitrary<Record<string, unknown>>> {
  const drawn = Object.entries(knobs).filter(([, values]) => values.length > 1);
  if (drawn.length === 0) return {};
  return { knobs: fc.record(Object.fromEntries(drawn.map(([name, values]) => [name, fc.constantFrom(...values)]))) };
}

export function draftArbitrary(setup: SweepSetup): fc.Arbitrary<Draft> {
  const maxNodes = setup.nodeCounts[setup.nodeCounts.length - 1] as number;
  const bounds: FaultBounds = { maxNodes, faultPhaseUs: setup.faultPhaseUs, leaderNotes: setup.leaderNotes };
  const patterns = patternsFor(bounds);
  const kinds: Kind[] = [...faultTypesFor(maxNodes), ...patterns];
  const common = {
    seed: fc.noShrink(fc.nat({ max: 2 ** 31 - 1 })),
    nodes: fc.constantFrom(...setup.nodeCounts),
    network: setup.strategy === 'pct' ? pctNetworkArbitrary : networkArbitrary,
    tape: tapeArbitrary(maxNodes),
  };
  if (setup.strategy !== 'swarm') return fc.noBias(fc.record({ ...common, faults: faultsOf(kinds, bounds, setup.maxFaults) }));
  const knobs = knobsArbitrary(setup.knobs);
  const mix = fc.record({ ...common, faults: swarmFaults(kinds, bounds, setup.maxFaults), focus: focusArbitrary(maxNodes, setup.faultPhaseUs), ...knobs });
  if (setup.maxFaults === 0) return fc.noBias(mix);
  const nemesis = fc.record({ ...common, nodes: fc.constant(setup.nodeCounts[0] as number), network: slowNetworkArbitrary, faults: nemesisFaults(patterns, bounds), ...knobs });
  const lone = fc.record({ ...common, faults: loneFault(faultTypesFor(maxNodes), bounds), ...knobs });
  return fc.noBias(fc.oneof({ arbitrary: mix, weight: 2 }, { arbitrary: nemesis, weight: 2 }, { arbitrary: lone, weight: 1 }));
}

/** The schedule a draft stands for: faults projected onto its cluster size, the heal phase resolved. */
export function scheduleOf(spec: AnySpec, setup: SweepSetup, draft: Draft): Schedule {
  const nodes = draft.nodes;
  const focus = draft.focus;
  const faults = draft.faults
    .flatMap((group) => (focus ? focusGroup(group, focus, nodes, setup.faultPhaseUs) : group))
    .filter((f) => nodes >= 2 || !['partition', 'partition-one-way', 'clog'].includes(f.type))
    .map((f) => projectFault(f, nodes));
  const tape = compactTape(Object.fromEntries(Object.entries(draft.tape).filter(([path]) => !/^\/node:\d+$/.test(path) || Number(path.slice(6)) <= nodes)));
  const config = draft.knobs ? { ...setup.config, ...draft.knobs } : setup.config;
  const request = { seed: draft.seed, nodes, faultPhaseUs: setup.faultPhaseUs, network: draft.network, config, bug: setup.bug, clients: setup.clients };
  return resolveSchedule(spec, request, { faults }, tape, setup.strategy === 'pct' ? setup.pct : null);
}

/** The cluster sizes from `min` to `max` that the protocol accepts with these settings. */
export function nodeCountsFor(spec: AnySpec, config: Record<string, unknown>, min: number, max: number): number[] {
  const counts: number[] = [];
  for (let n = Math.min(min, max); n <= max; n++) if (spec.validate?.(config, n) === undefined) counts.push(n);
  return counts;
}
