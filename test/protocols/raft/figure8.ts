// A seeded, leader-aware search for the Raft paper's figure 8 (commit-old-terms). A fault plan is
// data fixed before a run, but who leads depends on the run; so the plan is built in stages, each
// placing its faults after events seen in a run of the plan so far (the runs are deterministic, and
// a fault added after time t leaves everything before t as it was). With the seed choosing the
// partner, the timings, the latency and the batch size:
//  1. some time after the first leader L1 (term a) is elected, L1 and a partner F are cut off from
//     the other three; L1 keeps appending client writes of term a that only F holds;
//  2. the majority side elects L2 (term b); L2 is cut off alone before its first AppendEntries
//     arrives, so its entries of term b are on no other node; then L1 and F rejoin the other two;
//  3. L1 or F wins term c and catches the two up one batch at a time; the moment it commits an
//     entry of term a by counting replicas (the bug), L1 and F are cut off again and L2 rejoins;
//  4. L2's last term b beats the two followers' last term a, so L2 wins without the committed
//     entry: leader-completeness breaks. The correct protocol, given the same plan, had committed
//     nothing of term a (its no-op of term c never reached a majority), so L2's win is legal.
// Leaves out: crashes (partitions alone make the shape); the plan is returned for pinning.
import { raftSpec } from '../../../protocols/raft/spec.ts';
import type { AlwaysChecker } from '../../../sim/checker.ts';
import { runSimulation, type RunResult } from '../../../sim/engine.ts';
import { parseFaultPlan } from '../../../sim/faultPlan.ts';
import type { AnySpec } from '../../../sim/protocolSpec.ts';
import { resolveRun, type RunRequest } from '../../../sim/resolveRun.ts';
import { pick, randInt, SeedRng, type Rng } from '../../../sim/rng.ts';

const NODES = [1, 2, 3, 4, 5];
export const FIGURE8_PHASE_US = 4_000_000;

interface Seen {
  leaders: { t: number; node: number; term: number }[];
  commits: { t: number; node: number; index: number; term: number }[];
}

export interface Figure8Scenario {
  request: RunRequest;
  faults: { type: 'partition'; at: number; for?: number; groups: number[][] }[];
}

/** Raft with one more checker that records leader and commit notes (it never fires). */
function recording(seen: Seen): AnySpec {
  const recorder: AlwaysChecker = {
    name: 'recorder', kind: 'always', description: 'records leaders and commits', broken: () => undefined,
    observe(e) {
      if (e.kind !== 'note') return;
      const d = e.data as { term: number; index: number };
      if (e.name === 'leader') seen.leaders.push({ t: e.t, node: e.node, term: d.term });
      if (e.name === 'commit') seen.commits.push({ t: e.t, node: e.node, index: d.index, term: d.term });
    },
  };
  return { ...raftSpec, checkers: (config, options, plan) => [...raftSpec.checkers(config, options, plan), recorder] };
}

/** Runs a scenario; with `seen`, records what happened. */
export function runFigure8(scenario: Figure8Scenario, bug: string | null, seen?: Seen): RunResult {
  const spec = seen ? recording(seen) : raftSpec;
  const request = { ...scenario.request, bug };
  const plan = parseFaultPlan({ faults: scenario.faults }, 5, FIGURE8_PHASE_US);
  return runSimulation(spec, resolveRun(spec, request, plan), plan);
}

function observe(scenario: Figure8Scenario, bug: string | null): Seen {
  const seen: Seen = { leaders: [], commits: [] };
  runFigure8(scenario, bug, seen);
  return seen;
}

const others = (ids: readonly number[]): number[] => NODES.filter((n) => !ids.includes(n));
const sorted = (ids: readonly number[]): number[] => [...ids].sort((a, b) => a - b);

/** The draws of one scenario: the partner, the wait before stage 1, and sub-latency offsets. */
function drawBase(seed: number, rng: Rng): Figure8Scenario & { halfLatencyUs: number } {
  const latencyUs = pick(rng, [2_000, 5_000, 10_000]);
  const request: RunRequest = {
    seed, nodes: 5, faultPhaseUs: FIGURE8_PHASE_US,
    network: { latency: { dist: 'uniform', minUs: latencyUs / 2, maxUs: latencyUs } },
    config: { maxBatch: pick(rng, [1, 2]) },
  };
  return { request, faults: [], halfLatencyUs: latencyUs / 2 };
}

/**
 * Builds the figure-8 plan for `seed` with the commit-old-terms bug, stage by stage; undefined when
 * the run does not take the shape (no leader where one is needed, or no old-term commit to react to).
 */
export function buildFigure8(seed: number): Figure8Scenario | undefined {
  const rng = new SeedRng(`figure8/${seed}`);
  const base = drawBase(seed, rng);
  const { request, halfLatencyUs } = base;
  const soon = (t: number): number => t + randInt(rng, 0, halfLatencyUs - 1);
  // Stage 1: cut off the first leader and a partner.
  const first = observe({ request, faults: [] }, 'commit-old-terms').leaders[0];
  if (!first) return undefined;
  const t1 = first.t + randInt(rng, 200, 800) * 1_000;
  const pair = sorted([first.node, pick(rng, others([first.node]))]);
  const cutPair = { type: 'partition' as const, at: t1, groups: [pair, others(pair)] };
  // Stage 2: the majority side's new leader is cut off alone before its entries arrive anywhere.
  const second = observe({ request, faults: [cutPair] }, 'commit-old-terms').leaders.find((l) => l.t > t1 && !pair.includes(l.node));
  if (!second) return undefined;
  const t2 = soon(second.t);
  const rejoin = t2 + randInt(rng, 20, 300) * 1_000;
  const isolateL2 = { type: 'partition' as const, at: t2, groups: [[second.node], others([second.node])] };
  const stage2 = [{ ...cutPair, for: rejoin - t1 }, isolateL2];
  // Stage 3: the moment a leader of a later term commits an entry of an earlier term, flip sides.
  const seen = observe({ request, faults: stage2 }, 'commit-old-terms');
  const leaderTerm = (node: number, t: number): number => seen.leaders.filter((l) => l.node === node && l.t <= t).at(-1)?.term ?? 0;
  const old = seen.commits.find((c) => c.t > rejoin && pair.includes(c.node) && c.term < leaderTerm(c.node, c.t));
  if (!old) return undefined;
  const t3 = soon(old.t);
  const flip = { type: 'partition' as const, at: t3, groups: [pair, others(pair)] };
  return { request, faults: [stage2[0]!, { ...isolateL2, for: t3 - t2 }, flip] };
}
