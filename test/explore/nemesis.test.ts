// Swarm's run modes and the fault patterns they draw: a swarm sweep mixes runs of the fault mix
// (with a focus), nemesis runs (one pattern alone, starting early, on the smallest cluster and the
// slow network) and lone-fault runs (one fault, nothing else); the race-shaped flapping pattern
// flaps every 5 to 40 ms, down for at most half of each period; a crash storm is many crashes of
// random nodes, each with a restart; starts drawn early shrink toward 0 s. Two short sweeps check
// that the nemesis runs reach what the mix almost never did: Raft's forget-vote (two leaders in
// one term after a voter forgot its vote) and saga's volatile-saga-log (a restarted orchestrator).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../../protocols/registry.ts';
import { logStartUs } from '../../sim/explore/faultArbitrary.ts';
import { MAX_STORM, patternArbitrary } from '../../sim/explore/faultPatterns.ts';
import { draftOf, probeRun, scheduleOfRun } from '../../sim/explore/probe.ts';
import { runSchedule, withoutBug } from '../../sim/explore/schedule.ts';
import { sweepSetup } from '../../sim/explore/sweepSetup.ts';
import type { Fault } from '../../sim/faultPlan.ts';

const bounds = { maxNodes: 5, faultPhaseUs: 5_000_000 };
type Crash = Extract<Fault, { type: 'crash' }>;

describe('swarm run modes', () => {
  it('a swarm sweep mixes focused runs, nemesis runs (one early pattern, smallest cluster, slow network) and lone faults', () => {
    const setup = sweepSetup(PROTOCOLS.raft!, { strategy: 'swarm' });
    const modes = { mixed: 0, nemesis: 0, lone: 0 };
    for (let id = 0; id < 300; id++) {
      const d = draftOf(setup, 2, id);
      if (d.focus !== undefined) { modes.mixed++; continue; }
      const faults = d.faults.flat();
      if (d.network.latency.minUs >= 10_000 && d.faults.length === 1 && faults.length >= 2) {
        modes.nemesis++;
        expect(d.nodes).toBe(setup.nodeCounts[0]);
        expect(d.network.latency.maxUs).toBeLessThanOrEqual(100_000);
      } else if (faults.length === 1) modes.lone++;
      else throw new Error(`run ${id} is none of the modes: ${JSON.stringify(d.faults)}`);
    }
    // Weights 2 : 2 : 1 (300 runs: about 120, 120, 60).
    expect(modes.mixed).toBeGreaterThan(90);
    expect(modes.nemesis).toBeGreaterThan(90);
    expect(modes.lone).toBeGreaterThan(35);
  });

  it('random and pct runs have no nemesis or lone-fault mode: every run draws from the mix', () => {
    const setup = sweepSetup(PROTOCOLS.raft!, { strategy: 'random' });
    const slow = Array.from({ length: 100 }, (_, id) => draftOf(setup, 2, id)).filter((d) => d.network.latency.minUs >= 10_000);
    expect(slow).toHaveLength(0);
  });
});

describe('patterns', () => {
  it('race-shaped flapping starts early and flaps every 5 to 40 ms, down for at most half of each period', () => {
    const groups = fc.sample(patternArbitrary('flapping', bounds, 'race'), { seed: 3, numRuns: 300 }) as Crash[][];
    const starts = groups.map((g) => g[0]!.at).sort((a, b) => a - b);
    expect(starts[Math.floor(starts.length / 2)]).toBeLessThan(300_000); // a uniform start would have a median of 2.5 s
    for (const g of groups.filter((x) => x.length >= 2)) {
      const period = g[1]!.at - g[0]!.at;
      expect(period).toBeGreaterThanOrEqual(5_000);
      expect(period).toBeLessThanOrEqual(40_000);
      for (const c of g) expect(c.for!).toBeLessThanOrEqual(period / 2);
    }
  });

  it('flapping anywhere starts uniformly in the phase', () => {
    const starts = fc.sample(patternArbitrary('flapping', bounds), { seed: 3, numRuns: 300 }).map((g) => g[0]!.at).sort((a, b) => a - b);
    expect(starts[Math.floor(starts.length / 2)]).toBeGreaterThan(1_500_000);
  });

  it('a crash storm is 2 to 24 crashes of random nodes, in time order, each with a restart inside the phase', () => {
    const storms = fc.sample(patternArbitrary('crash-storm', bounds), { seed: 4, numRuns: 100 }) as Crash[][];
    for (const s of storms) {
      expect(s.length).toBeGreaterThanOrEqual(2);
      expect(s.length).toBeLessThanOrEqual(MAX_STORM);
      expect(s.map((c) => c.at)).toEqual([...s.map((c) => c.at)].sort((a, b) => a - b));
      for (const c of s) expect(c).toMatchObject({ type: 'crash', for: expect.any(Number) });
    }
    expect(new Set(storms.flatMap((s) => s.map((c) => c.node))).size).toBe(5);
  });

  it('an early start ranges over 0 to the phase and shrinks to 0 s', () => {
    const values = fc.sample(logStartUs(5_000), { seed: 5, numRuns: 400 });
    expect(Math.min(...values)).toBe(0);
    expect(Math.max(...values)).toBeLessThan(5_000_000);
    const out = fc.check(fc.property(logStartUs(5_000), (us) => us > 2_000_000), { seed: 6 });
    expect(out.counterexample?.[0]).toBe(0);
  });
});

/** The first run of the sweep (ids 0..last) that fails and that the correct protocol passes. */
function firstCatch(protocol: string, bug: string, sweepSeed: number, last: number): number | undefined {
  const spec = PROTOCOLS[protocol]!;
  const setup = sweepSetup(spec, { bug, strategy: 'swarm' });
  for (let id = 0; id <= last; id++) {
    if (!probeRun(spec, setup, sweepSeed, id).failure) continue;
    if (runSchedule(spec, withoutBug(scheduleOfRun(spec, setup, sweepSeed, id))).verdict.kind === 'pass') return id;
  }
  return undefined;
}

describe('nemesis runs reach what the mix almost never did', () => {
  it('raft forget-vote: swarm sweep 4 elects two leaders in one term within its first 20 runs', () => {
    expect(firstCatch('raft', 'forget-vote', 4, 19)).toBeDefined();
  }, 30_000);

  it('saga volatile-saga-log: swarm sweep 3 catches the forgetful orchestrator within its first 10 runs', () => {
    expect(firstCatch('saga', 'volatile-saga-log', 3, 9)).toBeDefined();
  }, 30_000);
});
