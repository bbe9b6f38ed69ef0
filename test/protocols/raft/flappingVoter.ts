// A seeded scenario generator for double votes (the forget-vote bug): a three-node cluster with a
// slow network (one fixed latency of 5 to 30 ms) in which one node, the voter, crashes for a few
// milliseconds every few milliseconds through the first second. Its election timer never gets to
// fire, so the other two run the elections; when both stand in the same term, the voter grants
// one of them, crashes, comes back in the same term, and meets the other's RequestVote, still in
// flight. A voter that forgot its vote grants that one too: two leaders in one term.
// Leaves out: anything but crashes (the run is one second of fault phase plus the heal phase).
import { raftSpec } from '../../../protocols/raft/spec.ts';
import type { RaftBug } from '../../../protocols/raft/types.ts';
import { runSimulation, type RunResult } from '../../../sim/engine.ts';
import { parseFaultPlan } from '../../../sim/faultPlan.ts';
import { resolveRun, type RunRequest } from '../../../sim/resolveRun.ts';
import { randInt, SeedRng } from '../../../sim/rng.ts';
import { fixedLatency } from '../../helpers.ts';

export const FLAPPING_PHASE_US = 1_000_000;

export interface FlappingScenario {
  request: RunRequest;
  faults: { type: 'crash'; at: number; node: number; for: number }[];
}

export function drawFlappingVoter(seed: number): FlappingScenario {
  const rng = new SeedRng(`flapping-voter/${seed}`);
  const latencyUs = randInt(rng, 5, 30) * 1_000;
  const voter = randInt(rng, 1, 3);
  const periodMs = randInt(rng, 5, 20);
  const downMs = randInt(rng, 1, Math.max(1, Math.floor(periodMs / 3)));
  const faults: FlappingScenario['faults'] = [];
  for (let ms = randInt(rng, 0, periodMs); ms < FLAPPING_PHASE_US / 1_000; ms += periodMs) faults.push({ type: 'crash', at: ms * 1_000, node: voter, for: downMs * 1_000 });
  return { request: { seed, nodes: 3, faultPhaseUs: FLAPPING_PHASE_US, network: fixedLatency(latencyUs) }, faults };
}

export function runFlapping(scenario: FlappingScenario, bug: RaftBug): RunResult {
  const plan = parseFaultPlan({ faults: scenario.faults }, 3, FLAPPING_PHASE_US);
  return runSimulation(raftSpec, resolveRun(raftSpec, { ...scenario.request, bug }, plan), plan);
}
