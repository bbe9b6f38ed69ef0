// The 2PC swarm property: the correct protocol passes every checker (no unilateral abort, valid
// commit, stable decisions, atomicity, termination after the heal phase) over 100 swarm seeds
// (nodes 3 + seed % 5, a 10 s fault phase; crashes, partitions, loss, duplication, clock, disk
// and byzantine faults drawn from the seed), in blocks of 20. Each block also shows the swarm
// exercised the protocol: the fault mix it drew, and the checks actually judged (held, not
// n/a or unchecked) in most runs, and cooperative termination at work. Blocking until the
// coordinator returns is rarer in the swarm; tpcScenarios.test.ts shows it on a pinned plan. A
// longer sweep (500 seeds and more) runs outside the suite.
import { describe, expect, it } from 'vitest';
import { runSwarmBlock, type SwarmRun } from '../../swarmBlock.ts';
import { swarmRun } from './tpcFixtures.ts';

const BLOCK = 20;
const BLOCKS = 5;

describe('2PC swarm: the correct protocol passes every checker', () => {
  for (let b = 0; b < BLOCKS; b++) {
    const first = b * BLOCK + 1;
    it(`swarm seeds ${first}..${first + BLOCK - 1}`, () => {
      let storage = 0;
      const { failures, unsettled, counts } = runSwarmBlock(first, BLOCK, (seed): SwarmRun => {
        const run = swarmRun(seed);
        if (run.draw.plan.faults.some((f) => f.type === 'disk-full' || f.type === 'disk-slow' || f.type === 'disk-corrupt')) storage++;
        return run;
      });
      expect(failures).toEqual([]);
      expect(unsettled).toEqual([]);
      // The swarm drew the faults this property is about (a fault type is in about a quarter of
      // the runs: enabled with probability 1/2, then 0 to 8 faults drawn from the enabled types).
      expect(counts['crash or partition'] ?? 0).toBeGreaterThanOrEqual(5);
      for (const network of ['loss', 'duplication']) expect(counts[network] ?? 0, network).toBeGreaterThanOrEqual(4);
      expect(storage, 'storage faults').toBeGreaterThanOrEqual(4);
      // Clients got answers, and the checks were judged, not skipped, in most runs.
      expect(counts.answered ?? 0).toBe(BLOCK);
      for (const check of ['no-unilateral-abort', 'valid-commit', 'stable-decision', 'atomicity', 'termination']) {
        expect(counts[`${check}:held`] ?? 0, check).toBeGreaterThanOrEqual(BLOCK / 2);
      }
      // Uncertain participants learned outcomes from each other (cooperative termination).
      expect(counts['resolved-by-peer:reached'] ?? 0).toBeGreaterThanOrEqual(3);
    }, 120_000);
  }
});
