// Fault patterns: fast-check arbitraries of several related faults at once, for the schedules that
// single faults drawn independently almost never make (Jepsen's nemeses work the same way):
//  - flapping: one node crashes again and again, every `period` (2 to 250 ms), each time for part
//    of it, up to 100 times (a voter that keeps restarting through an election, a coordinator
//    rebooting in a loop); a period shorter than every timeout keeps the node from ever acting on one;
//  - rolling partitions: partitions back to back, each a new random split of the cluster, each
//    lasting one step (leaders cut off one after another, the shape of Raft's figure 8);
//  - crash storm: many crashes of random nodes at independent times, each with its own downtime
//    (Jepsen's kill nemesis run hard: a restart lands in every state a run goes through);
//  - leader chase (protocols that note their elections): partitions that each cut off the newest
//    leader, triggered by its election note (leaderChase.ts).
// A pattern starts anywhere in the phase, or (swarm's nemesis runs) early, on a log scale
// (logStartUs), so the first milliseconds of a run, where bootstrap and the first election happen,
// get as many patterns as the rest of the phase. They shrink like everything else:
// fewer repetitions, shorter periods and steps, an earlier start; each expands into plain faults,
// which the 1-minimal pass can then remove one by one.
// Leaves out: patterns of clock or disk faults (single faults of those kinds already compose).
import fc from 'fast-check';
import type { Fault, PlanFault } from '../faultPlan.ts';
import { groupsOf, logDurationUs, logStartUs, type FaultBounds } from './faultArbitrary.ts';
import { leaderChase } from './leaderChase.ts';

export const PATTERNS = ['flapping', 'rolling-partitions', 'crash-storm', 'leader-chase'] as const;
export type Pattern = (typeof PATTERNS)[number];

/** The most crashes one flapping pattern makes (a 10 ms period then covers a second). */
export const MAX_FLAPS = 100;
/** Flapping periods in ms (log scale), anywhere and in a race; a node down for part of each period never lets a timeout of its own run out. */
const FLAP_PERIOD_MS: readonly [number, number] = [2, 250];
const RACE_PERIOD_MS: readonly [number, number] = [5, 40];
/** The most crashes of one crash storm. */
export const MAX_STORM = 24;

/**
 * How a pattern is drawn: `anywhere` starts uniformly in the phase, with flapping periods of 2 to
 * 250 ms; `race` (swarm's nemesis runs, on the slow network) starts early, on a log scale from 0 s,
 * and flaps every 5 to 40 ms, about one slow message latency, down for at most half of each period:
 * a restart then races with messages in flight, sent before it and arriving after it.
 */
export type PatternShape = 'anywhere' | 'race';

/** The patterns that fit a cluster of up to maxNodes nodes and the protocol (leader chase needs election notes). */
export function patternsFor(b: FaultBounds): Pattern[] {
  return PATTERNS.filter((p) => (b.maxNodes >= 2 || (p !== 'rolling-partitions' && p !== 'leader-chase')) && (p !== 'leader-chase' || b.leaderNotes));
}

export function patternArbitrary(pattern: Pattern, b: FaultBounds, shape: PatternShape = 'anywhere'): fc.Arbitrary<PlanFault[]> {
  const phaseMs = Math.max(1, Math.floor(b.faultPhaseUs / 1_000));
  const atUs = shape === 'race' ? logStartUs(phaseMs) : fc.integer({ min: 0, max: phaseMs - 1 }).map((ms) => ms * 1_000);
  switch (pattern) {
    case 'flapping': return shape === 'race' ? flapping(b, atUs, RACE_PERIOD_MS, 50) : flapping(b, atUs, FLAP_PERIOD_MS, 90);
    case 'rolling-partitions': return rollingPartitions(b, atUs);
    case 'crash-storm': return crashStorm(b);
    case 'leader-chase':
      if (!b.leaderNotes) throw new Error('leader-chase: the protocol notes no elections (its spec has no leaderNotes)');
      // In a race (a nemesis run, nothing else causing elections) the chain counts from 0 s, so its first step is the first election.
      return leaderChase(b.leaderNotes, b.maxNodes, b.faultPhaseUs, shape === 'race' ? fc.constant(0) : atUs);
  }
}

function flapping(b: FaultBounds, start: fc.Arbitrary<number>, [minMs, maxMs]: readonly [number, number], maxDownPercent: number): fc.Arbitrary<Fault[]> {
  const phaseMs = Math.max(1, Math.floor(b.faultPhaseUs / 1_000));
  return fc.record({
    atUs: start,
    node: fc.integer({ min: 1, max: b.maxNodes }),
    periodUs: logDurationUs(Math.ceil(Math.min(maxMs, phaseMs) / minMs)).map((us) => us * minMs),
    downPercent: fc.integer({ min: 1, max: maxDownPercent }),
    count: fc.integer({ min: 2, max: MAX_FLAPS }),
  }).map(({ atUs, node, periodUs, downPercent, count }) => {
    const period = Math.max(2_000, periodUs);
    const down = Math.max(1_000, Math.floor((period * downPercent) / 100_000) * 1_000);
    const faults: Fault[] = [];
    for (let i = 0, at = atUs; i < count && at < b.faultPhaseUs; i++, at += period) faults.push({ type: 'crash', at, node, for: Math.min(down, period - 1_000) });
    return faults;
  });
}

function rollingPartitions(b: FaultBounds, start: fc.Arbitrary<number>): fc.Arbitrary<Fault[]> {
  const phaseMs = Math.max(1, Math.floor(b.faultPhaseUs / 1_000));
  const sides = fc.integer({ min: 1, max: 2 ** b.maxNodes - 2 });
  return fc.record({
    atUs: start,
    stepUs: logDurationUs(Math.max(1, Math.floor(phaseMs / 2))),
    splits: fc.array(sides, { minLength: 2, maxLength: 8, size: 'max' }),
  }).map(({ atUs, stepUs, splits }) => {
    const faults: Fault[] = [];
    splits.forEach((split, i) => {
      const at = atUs + i * stepUs;
      if (at < b.faultPhaseUs) faults.push({ type: 'partition', at, for: stepUs, groups: groupsOf(split, b.maxNodes) });
    });
    return faults;
  });
}

function crashStorm(b: FaultBounds): fc.Arbitrary<Fault[]> {
  const phaseMs = Math.max(1, Math.floor(b.faultPhaseUs / 1_000));
  const crash = fc.record({
    at: fc.integer({ min: 0, max: phaseMs - 1 }).map((ms) => ms * 1_000),
    node: fc.integer({ min: 1, max: b.maxNodes }),
    for: logDurationUs(phaseMs),
  });
  return fc.array(crash, { minLength: 2, maxLength: MAX_STORM, size: 'max' }).map((crashes) => [...crashes].sort((x, y) => x.at - y.at).map((c): Fault => ({ type: 'crash', ...c })));
}
