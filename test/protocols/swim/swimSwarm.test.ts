// The SWIM swarm property: the correct protocol passes every checker over 500 swarm seeds
// (crashes, partitions, loss, duplication, clock and disk faults, byzantine senders...), in blocks
// of 100 seeds. Each block also shows the swarm really exercised the protocol: the fault mix it
// drew, false suspicions refuted, and completeness and refutation actually checked.
import { describe, expect, it } from 'vitest';
import { swarmRun } from './swimFixtures.ts';

const BLOCK = 100;
const BLOCKS = 5;

interface BlockStats {
  failures: string[];
  /** Checks that ended violated or unchecked (a pass should leave none). */
  unsettled: string[];
  counts: Record<string, number>;
}

function runBlock(first: number): BlockStats {
  const stats: BlockStats = { failures: [], unsettled: [], counts: {} };
  const count = (key: string, yes: boolean) => void (yes && (stats.counts[key] = (stats.counts[key] ?? 0) + 1));
  for (let seed = first; seed < first + BLOCK; seed++) {
    const { draw, result } = swarmRun(seed);
    if (result.verdict.kind !== 'pass') stats.failures.push(`seed ${seed}: ${result.verdict.kind} ${'message' in result.verdict ? result.verdict.message : ''}`);
    for (const c of result.checks) {
      if (c.status === 'violated' || c.status === 'unchecked') stats.unsettled.push(`seed ${seed}: ${c.name} ${c.status}`);
      count(`${c.name}:${c.status}`, true);
    }
    const types = new Set(draw.plan.faults.map((f) => f.type));
    count('crash', types.has('crash'));
    count('permanent crash', draw.plan.faults.some((f) => f.type === 'crash' && f.for === undefined));
    count('partition', types.has('partition') || types.has('partition-one-way'));
    count('clock drift', types.has('clock-drift'));
    count('loss', draw.network.loss > 0);
    count('duplication', draw.network.duplicate > 0);
  }
  return stats;
}

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
