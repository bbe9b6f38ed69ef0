// Swarm testing (as in FoundationDB and TigerBeetle's VOPR): each run draws its own network and
// its own fault mix from the seed, so that across many seeds some runs see only crashes, others
// only partitions and clock faults, others everything at once. Every fault type is enabled per run
// with probability 1/2, then 0..8 faults are drawn from the enabled types. Draws come from the
// 'swarm' fork, independent of the streams the run itself uses.
// Leaves out: coverage feedback (which faults found bugs); the explorer adds that.
import type { Fault, FaultPlan, FaultType } from './faultPlan.ts';
import type { LatencyDist } from './latency.ts';
import type { NetworkOptions } from './network.ts';
import { chance, pick, randInt, shuffled, SeedRng, type Rng } from './rng.ts';

export interface SwarmDraw {
  network: NetworkOptions;
  plan: FaultPlan;
  enabled: FaultType[];
}

const SWARM_TYPES: readonly FaultType[] = [
  'crash', 'partition', 'partition-one-way', 'clog', 'pause', 'slow', 'byzantine',
  'clock-skew', 'clock-drift', 'clock-stop', 'disk-full', 'disk-slow', 'disk-corrupt',
];

const LINK_TYPES = new Set<FaultType>(['partition', 'partition-one-way', 'clog']);

export function drawSwarm(seed: number, nodes: number, faultPhaseUs: number): SwarmDraw {
  const rng = new SeedRng(String(seed)).fork('swarm');
  const network = drawNetwork(rng.fork('network'));
  const possible = nodes < 2 ? SWARM_TYPES.filter((t) => !LINK_TYPES.has(t)) : SWARM_TYPES;
  const enabled = possible.filter(() => chance(rng, 0.5));
  const faults: Fault[] = [];
  const count = enabled.length === 0 ? 0 : randInt(rng, 0, 8);
  const faultRng = rng.fork('faults');
  for (let i = 0; i < count; i++) faults.push(drawFault(pick(faultRng, enabled), faultRng, nodes, faultPhaseUs));
  faults.sort((a, b) => a.at - b.at);
  return { network, plan: { faults }, enabled };
}

function drawNetwork(rng: Rng): NetworkOptions {
  const minUs = pick(rng, [100, 500, 1_000, 2_000]);
  const maxUs = minUs * pick(rng, [1, 5, 10, 50]);
  const latency: LatencyDist = chance(rng, 0.5) ? { dist: 'uniform', minUs, maxUs } : { dist: 'pareto', minUs, maxUs, alpha: pick(rng, [1.2, 1.5, 2.5]) };
  return {
    latency,
    loss: pick(rng, [0, 0, 0.01, 0.05, 0.2]),
    duplicate: pick(rng, [0, 0, 0.01, 0.1]),
    ordering: chance(rng, 0.3) ? 'fifo' : 'unordered',
    links: [],
  };
}

function drawFault(type: FaultType, rng: Rng, nodes: number, phaseUs: number): Fault {
  // Whole milliseconds keep printed plans readable ("4.497s", not "4496927us").
  const at = Math.min(phaseUs - 1, randInt(rng, 0, Math.max(0, Math.floor(phaseUs / 1_000) - 1)) * 1_000);
  const dur = Math.max(1, Math.floor((phaseUs / 1_000) * (0.01 + 0.3 * rng.next()))) * 1_000;
  const node = randInt(rng, 1, nodes);
  const other = nodes > 1 ? ((node + randInt(rng, 0, nodes - 2)) % nodes) + 1 : node;
  switch (type) {
    case 'crash': return chance(rng, 0.5) ? { type, at, node, for: dur } : { type, at, node };
    case 'partition': return { type, at, for: dur, groups: split(rng, nodes) };
    case 'partition-one-way': { const [a, b] = split(rng, nodes); return { type, at, for: dur, from: a as number[], to: b as number[] }; }
    case 'clog': return { type, at, for: dur, from: node, to: other === node ? (node % nodes) + 1 : other };
    case 'pause': return { type, at, for: Math.min(dur, 2_000_000), node };
    case 'slow': return { type, at, for: dur, node, stepCost: pick(rng, [1_000, 10_000, 50_000]) };
    case 'byzantine': {
      const behaviour = pick(rng, ['wrong', 'silent', 'delay', 'duplicate'] as const);
      return { type, at, for: dur, node, behaviour, probability: pick(rng, [0.1, 0.5, 1]), ...(behaviour === 'delay' ? { delay: pick(rng, [10_000, 100_000, 500_000]) } : {}) };
    }
    case 'clock-skew': return { type, at, node, offset: (chance(rng, 0.5) ? -1 : 1) * randInt(rng, 1, 500) * 1_000 };
    case 'clock-drift': return { type, at, for: dur, node, rate: pick(rng, [0.5, 0.9, 1.1, 2]) };
    case 'clock-stop': return { type, at, for: Math.min(dur, 2_000_000), node };
    case 'disk-full': return { type, at, for: dur, node };
    case 'disk-slow': return { type, at, for: dur, node, latency: pick(rng, [5_000, 50_000]) };
    case 'disk-corrupt': return { type, at, node };
    case 'restart': return { type, at, node };
  }
}

/** Two non-empty groups covering every node (callers ensure at least two nodes). */
function split(rng: Rng, nodes: number): [number[], number[]] {
  const ids = shuffled(rng, Array.from({ length: nodes }, (_, i) => i + 1));
  const cut = randInt(rng, 1, nodes - 1);
  return [ids.slice(0, cut).sort((a, b) => a - b), ids.slice(cut).sort((a, b) => a - b)];
}
