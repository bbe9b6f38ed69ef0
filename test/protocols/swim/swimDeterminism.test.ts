// SWIM determinism (DESIGN.md section 5): the same swarm seed traced twice gives the same trace
// hash, byte-identical trace text, and different seeds give different runs. Covers the correct
// protocol and a buggy variant, whose run ends early with a violation.
import { describe, expect, it } from 'vitest';
import { swimSpec } from '../../../protocols/swim/spec.ts';
import type { SwimBug } from '../../../protocols/swim/types.ts';
import { runSimulation } from '../../../sim/engine.ts';
import { resolveRun } from '../../../sim/resolveRun.ts';
import { drawSwarm } from '../../../sim/swarm.ts';
import { MemorySink, Tracer } from '../../../sim/tracer.ts';
import { headerFor } from '../../helpers.ts';
import { SWARM_PHASE_US, swarmNodes } from './swimFixtures.ts';

function tracedSwarmRun(seed: number, bug: SwimBug = null, sink?: MemorySink): string {
  const nodes = swarmNodes(seed);
  const { network, plan } = drawSwarm(seed, nodes, SWARM_PHASE_US);
  const options = resolveRun(swimSpec, { seed, nodes, faultPhaseUs: SWARM_PHASE_US, network, bug }, plan);
  return runSimulation(swimSpec, options, plan, { tracer: new Tracer(sink, headerFor(options, plan)) }).traceHash as string;
}

const SEEDS = [1, 7, 18, 42, 99, 256];

describe('SWIM determinism', () => {
  it.each(SEEDS)('swarm seed %i traced twice gives the same trace hash', (seed) => {
    const first = tracedSwarmRun(seed);
    expect(first).toMatch(/\S/);
    expect(tracedSwarmRun(seed)).toBe(first);
  }, 30_000);

  it('the same seed gives byte-identical trace text, with a buggy variant too', () => {
    for (const bug of [null, 'no-refute'] as const) {
      const a = new MemorySink();
      const b = new MemorySink();
      expect(tracedSwarmRun(3, bug, a)).toBe(tracedSwarmRun(3, bug, b));
      expect(a.lines.length).toBeGreaterThan(1_000);
      expect(b.lines).toEqual(a.lines);
    }
  }, 30_000);

  it('different seeds give different hashes', () => {
    expect(new Set(SEEDS.map((seed) => tracedSwarmRun(seed))).size).toBe(SEEDS.length);
  }, 30_000);
});
