// The SWIM swarm property: the correct protocol passes every checker over 500 swarm seeds
// (crashes, partitions, loss, duplication, clock and disk faults, byzantine senders...), in blocks
// of 100 seeds. Each block also shows the swarm really exercised the protocol: the fault mix it
// drew, false suspicions refuted, and completeness and refutation actually checked.
import { describe, expect, it } from 'vitest';
import { runSwarmBlock } from '../../swarmBlock.ts';
import { swarmRun } from './swimFixtures.ts';

const BLOCK = 100;
const BLOCKS = 5;

const runBlock = (first: number) => runSwarmBlock(first, BLOCK, swarmRun);

describe('SWIM swarm: the correct protocol passes every checker', () => {
  for (let b = 0; b < BLOCKS; b++) {
    const first = b * BLOCK + 1;
    it(`swarm seeds ${first}..${first + BLOCK - 1}`, () => {
      const { failures, unsettled, counts } = runBlock(first);
      expect(failures).toEqual([]);
      expect(unsettled).toEqual([]);
      // The swarm drew the faults this property is about (each type is enabled in about half the runs).
      for (const fault of ['crash', 'permanent crash', 'partition', 'clock drift']) expect(counts[fault] ?? 0, fault).toBeGreaterThanOrEqual(3);
      for (const network of ['loss', 'duplication']) expect(counts[network] ?? 0, network).toBeGreaterThanOrEqual(25);
      // ...and they bit: members were falsely suspected and refuted in many runs, and the liveness
      // checks ran to their deadlines (held, not unchecked or n/a) in most.
      expect(counts['false-suspicion-refuted:reached'] ?? 0).toBeGreaterThanOrEqual(40);
      expect(counts['completeness:held'] ?? 0).toBeGreaterThanOrEqual(90);
      expect(counts['refutation:held'] ?? 0).toBeGreaterThanOrEqual(90);
    }, 120_000);
  }
});
