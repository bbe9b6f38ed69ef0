// A seeded scenario generator aimed at the participant-side bugs (forget-prepared,
// ack-before-durable): the swarm crashes a participant that comes back only in a few runs in a
// hundred, so this explorer crashes participants often and briefly. Seed s: 3 to 5 nodes, a 1-10 ms
// network, in half the scenarios slow disks on every participant (writes take 20-80 ms, so a
// decision stays unwritten long enough to be caught by a crash), and 4 to 8 crashes of random
// participants, each for 20-400 ms, between 1 s and 9 s of a 10 s fault phase. Not a test file.
import { twoPhaseCommitSpec } from '../../../protocols/twoPhaseCommit/spec.ts';
import type { TpcBug } from '../../../protocols/twoPhaseCommit/types.ts';
import { runSimulation, type RunResult } from '../../../sim/engine.ts';
import type { Fault } from '../../../sim/faultPlan.ts';
import { resolveRun } from '../../../sim/resolveRun.ts';
import { chance, randInt, SeedRng } from '../../../sim/rng.ts';
import { SWARM_CLIENTS } from './tpcFixtures.ts';

export interface CrashScenario {
  seed: number;
  nodes: number;
  faults: Fault[];
}

const PHASE_US = 10_000_000;

export function drawCrashingParticipants(seed: number): CrashScenario {
  const rng = new SeedRng(`crashing-participants/${seed}`);
  const nodes = randInt(rng, 3, 5);
  const faults: Fault[] = [];
  if (chance(rng, 0.5)) {
    const latency = randInt(rng, 20, 80) * 1_000;
    for (let node = 2; node <= nodes; node++) faults.push({ type: 'disk-slow', at: 0, node, latency });
  }
  const crashes = randInt(rng, 4, 8);
  for (let i = 0; i < crashes; i++) {
    faults.push({ type: 'crash', at: randInt(rng, 1_000, 9_000) * 1_000, node: randInt(rng, 2, nodes), for: randInt(rng, 20, 400) * 1_000 });
  }
  faults.sort((a, b) => a.at - b.at);
  return { seed, nodes, faults };
}

export function runCrashing(sc: CrashScenario, bug: TpcBug): RunResult {
  const plan = { faults: sc.faults };
  const options = resolveRun(twoPhaseCommitSpec, { seed: sc.seed, nodes: sc.nodes, faultPhaseUs: PHASE_US, bug, clients: SWARM_CLIENTS }, plan);
  return runSimulation(twoPhaseCommitSpec, options, plan);
}
