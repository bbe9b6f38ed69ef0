// Property tests of every registered protocol with its own checkers: a bounded sweep per strategy
// (swarm, pct, random) must pass, and the sweeps must reach the protocol's sometimes-checks (proof
// that they visited the states the checkers care about). The number of runs follows from how busy
// one fault-free run is (an event budget per protocol), so cheap protocols get many runs and the
// whole file stays within a fixed amount of simulation. `npm run explore:long` sweeps far longer.
import { describe, expect, it } from 'vitest';
import { PROTOCOLS, protocolNames } from '../../protocols/registry.ts';
import { checkProtocol } from '../../sim/explore/propertyHelper.ts';
import { runSchedule } from '../../sim/explore/schedule.ts';
import { STRATEGIES } from '../../sim/explore/strategies.ts';
import { sometimesNames, sweepSetup } from '../../sim/explore/sweepSetup.ts';
import { resolveRun } from '../../sim/resolveRun.ts';
import type { AnySpec } from '../../sim/protocolSpec.ts';

/** Simulated events each protocol's sweeps may spend, all strategies together. */
const EVENT_BUDGET = 300_000;
const MIN_RUNS = 4;
const MAX_RUNS = 120;

function runsPerStrategy(spec: AnySpec): number {
  const options = resolveRun(spec, { seed: 0, nodes: 5, faultPhaseUs: 5_000_000 }, { faults: [] });
  const events = runSchedule(spec, { options, plan: { faults: [] }, tape: {}, pct: null }).metrics.events;
  return Math.max(MIN_RUNS, Math.min(MAX_RUNS, Math.floor(EVENT_BUDGET / STRATEGIES.length / Math.max(1, events))));
}

describe('every protocol passes generated schedules with its checkers', () => {
  it.each(protocolNames())('%s', (name) => {
    const spec = PROTOCOLS[name]!;
    const runs = runsPerStrategy(spec);
    const reached = new Set<string>();
    for (const strategy of STRATEGIES) {
      const out = checkProtocol(spec, { strategy, runs, seed: 1, reproPath: `runs/repro-${name}-${strategy}.json` });
      expect(out.runs).toBe(runs);
      for (const [check, n] of Object.entries(out.reached)) if (n > 0) reached.add(check);
    }
    const sometimes = sometimesNames(spec, sweepSetup(spec, {}));
    if (sometimes.length > 0) expect([...reached].filter((c) => sometimes.includes(c)).length, `reached none of ${sometimes.join(', ')}`).toBeGreaterThan(0);
  }, 300_000);
});
