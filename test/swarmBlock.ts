// Swarm helpers the protocol property tests share: one swarm run of a protocol (the network and
// fault plan drawn from the seed), and a block of seeds reduced to what the tests assert: the
// failed runs, the checks left violated or unchecked, and counts of check outcomes and of the
// fault and network features the swarm drew (to show the block exercised what it claims).
import { runSimulation, type RunResult } from '../sim/engine.ts';
import type { AnySpec } from '../sim/protocolSpec.ts';
import { resolveRun } from '../sim/resolveRun.ts';
import { drawSwarm, type SwarmDraw } from '../sim/swarm.ts';

export interface SwarmRun {
  draw: SwarmDraw;
  result: RunResult;
}

export function swarmRunOf(spec: AnySpec, seed: number, nodes: number, faultPhaseUs: number, bug: string | null): SwarmRun {
  const draw = drawSwarm(seed, nodes, faultPhaseUs);
  const options = resolveRun(spec, { seed, nodes, faultPhaseUs, network: draw.network, bug }, draw.plan);
  return { draw, result: runSimulation(spec, options, draw.plan) };
}

export interface BlockStats {
  failures: string[];
  /** Checks that ended violated or unchecked (a pass should leave none). */
  unsettled: string[];
  /** "<check>:<status>" and fault/network features -> how many runs. */
  counts: Record<string, number>;
}

export function runSwarmBlock(first: number, size: number, run: (seed: number) => SwarmRun): BlockStats {
  const stats: BlockStats = { failures: [], unsettled: [], counts: {} };
  const count = (key: string, yes: boolean): void => void (yes && (stats.counts[key] = (stats.counts[key] ?? 0) + 1));
  for (let seed = first; seed < first + size; seed++) {
    const { draw, result } = run(seed);
    if (result.verdict.kind !== 'pass') stats.failures.push(`seed ${seed}: ${result.verdict.kind} ${'message' in result.verdict ? result.verdict.message : ''}`);
    for (const c of result.checks) {
      if (c.status === 'violated' || c.status === 'unchecked') stats.unsettled.push(`seed ${seed}: ${c.name} ${c.status}`);
      count(`${c.name}:${c.status}`, true);
    }
    const types = new Set(draw.plan.faults.map((f) => f.type));
    const partition = types.has('partition') || types.has('partition-one-way');
    count('crash', types.has('crash'));
    count('permanent crash', draw.plan.faults.some((f) => f.type === 'crash' && f.for === undefined));
    count('partition', partition);
    count('crash or partition', types.has('crash') || partition);
    count('clock drift', types.has('clock-drift'));
    count('loss', draw.network.loss > 0);
    count('duplication', draw.network.duplicate > 0);
    count('answered', result.history.some((h) => h.outcome === 'ok'));
  }
  return stats;
}
