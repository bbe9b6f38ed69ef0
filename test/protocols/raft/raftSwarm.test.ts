// The Raft swarm property: the correct protocol passes every checker (election safety, log
// matching, leader completeness, state-machine safety, linearizability of the client history,
// leader and progress after the heal phase) over 100 swarm seeds (nodes 3 + seed % 5, a 10 s fault
// phase; crashes, partitions, loss, duplication, clock, disk and byzantine faults drawn from the
// seed), in blocks of 20. Each block also shows the swarm exercised the protocol: the fault mix it
// drew, and the checks actually judged (held, not unchecked) in most runs.
import { describe, expect, it } from 'vitest';
import { runSwarmBlock } from '../../swarmBlock.ts';
import { swarmRun } from './raftFixtures.ts';

const BLOCK = 20;
const BLOCKS = 5;

const runBlock = (first: number) => runSwarmBlock(first, BLOCK, swarmRun);

describe('Raft swarm: the correct protocol passes every checker', () => {
  for (let b = 0; b < BLOCKS; b++) {
    const first = b * BLOCK + 1;
    it(`swarm seeds ${first}..${first + BLOCK - 1}`, () => {
      const { failures, unsettled, counts } = runBlock(first);
      expect(failures).toEqual([]);
      expect(unsettled).toEqual([]);
      // The swarm drew the faults this property is about (a fault type is in about a quarter of the
      // runs: enabled with probability 1/2, then 0 to 8 faults drawn from the enabled types).
      expect(counts['crash or partition'] ?? 0).toBeGreaterThanOrEqual(5);
      for (const network of ['loss', 'duplication']) expect(counts[network] ?? 0, network).toBeGreaterThanOrEqual(5);
      // Clients got answers, and the checks were judged, not skipped, in most runs.
      expect(counts.answered ?? 0).toBe(BLOCK);
      for (const check of ['election-safety', 'leader-completeness', 'state-machine-safety', 'linearizability', 'leader-and-progress']) {
        expect(counts[`${check}:held`] ?? 0, check).toBeGreaterThanOrEqual(BLOCK / 2);
      }
    }, 120_000);
  }
});
