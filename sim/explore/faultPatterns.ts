// Fault patterns: fast-check arbitraries of several related faults at once, for the schedules that
// single faults drawn independently almost never make (Jepsen's nemeses work the same way):
//  - flapping: one node crashes again and again, every `period`, each time for part of it (a
//    voter that keeps restarting through an election, a coordinator rebooting in a loop);
//  - rolling partitions: partitions back to back, each a new random split of the cluster, each
//    lasting one step (leaders cut off one after another, the shape of Raft's figure 8).
// They shrink like everything else: fewer repetitions, shorter periods and steps, an earlier start;
// each expands into plain faults, which the 1-minimal pass can then remove one by one.
// Leaves out: patterns of clock or disk faults (single faults of those kinds already compose).
import fc from 'fast-check';
import type { Fault } from '../faultPlan.ts';
import { groupsOf, logDurationUs, type FaultBounds } from './faultArbitrary.ts';

export const PATTERNS = ['flapping', 'rolling-partitions'] as const;
export type Pattern = (typeof PATTERNS)[number];

export function patternArbitrary(pattern: Pattern, b: FaultBounds): fc.Arbitrary<Fault[]> {
  return pattern === 'flapping' ? flapping(b) : rollingPartitions(b);
}

function flapping(b: FaultBounds): fc.Arbitrary<Fault[]> {
  const phaseMs = Math.max(1, Math.floor(b.faultPhaseUs / 1_000));
  return fc.record({
    atMs: fc.integer({ min: 0, max: phaseMs - 1 }),
    node: fc.integer({ min: 1, max: b.maxNodes }),
    periodUs: logDurationUs(Math.min(phaseMs, 1_000)),
    downPercent: fc.integer({ min: 1, max: 90 }),
    count: fc.integer({ min: 2, max: 60 }),
  }).map(({ atMs, node, periodUs, downPercent, count }) => {
    const period = Math.max(2_000, periodUs);
    const down = Math.max(1_000, Math.floor((period * downPercent) / 100_000) * 1_000);
    const faults: Fault[] = [];
    for (let i = 0, at = atMs * 1_000; i < count && at < b.faultPhaseUs; i++, at += period) faults.push({ type: 'crash', at, node, for: Math.min(down, period - 1_000) });
    return faults;
  });
}

function rollingPartitions(b: FaultBounds): fc.Arbitrary<Fault[]> {
  const phaseMs = Math.max(1, Math.floor(b.faultPhaseUs / 1_000));
  const sides = fc.integer({ min: 1, max: 2 ** b.maxNodes - 2 });
  return fc.record({
    atMs: fc.integer({ min: 0, max: phaseMs - 1 }),
    stepUs: logDurationUs(Math.max(1, Math.floor(phaseMs / 2))),
    splits: fc.array(sides, { minLength: 2, maxLength: 8, size: 'max' }),
  }).map(({ atMs, stepUs, splits }) => {
    const faults: Fault[] = [];
    splits.forEach((split, i) => {
      const at = atMs * 1_000 + i * stepUs;
      if (at < b.faultPhaseUs) faults.push({ type: 'partition', at, for: stepUs, groups: groupsOf(split, b.maxNodes) });
    });
    return faults;
  });
}
