// The explore benchmark's ordering bugs (test/bench/exploreBenchOrdering.ts) are what the list
// says: a pinned fault-free run of the sweep code fails with the bug, the correct protocol passes
// the same schedule, and the same schedule with nothing reordered (one fixed latency on FIFO links,
// the minimum and the maximum) passes too; the PCT strategy's run with the same id catches it as
// well (before an unordered link's messages were threads of their own, PCT never reordered a
// link's messages without a change point and missed it in 150 runs of 150). In the bug's small
// scenario (three transactions) PCT's causal chains fail several times as many runs as random.
import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../../protocols/registry.ts';
import { signatureOf } from '../../sim/explore/failure.ts';
import { scheduleOfRun } from '../../sim/explore/probe.ts';
import { runSchedule, withoutBug } from '../../sim/explore/schedule.ts';
import type { Strategy } from '../../sim/explore/strategies.ts';
import { sweepSetup } from '../../sim/explore/sweepSetup.ts';
import type { AnySpec } from '../../sim/protocolSpec.ts';
import { needsReordering, ORDERING_BUGS, SMALL_SCENARIOS, smallScenarioShare, withoutReordering } from '../bench/exploreBenchOrdering.ts';

/** Per ordering bug: a fault-free run (sweep seed 1, run id) that fails, and the checker that says so. */
const PINNED: Record<string, { id: number; checker: string }> = {
  '2pc ignore-early-abort': { id: 3, checker: 'no-vote-after-outcome' },
};

function pinnedSchedule(name: string, strategy: Strategy) {
  const [protocol, bug] = name.split(' ') as [string, string];
  const spec = PROTOCOLS[protocol] as AnySpec;
  const setup = sweepSetup(spec, { bug, strategy, maxFaults: 0 });
  return { spec, schedule: scheduleOfRun(spec, setup, 1, (PINNED[name] as { id: number }).id) };
}

describe('ordering bugs', () => {
  it('every listed ordering bug has a pinned run', () => {
    expect(ORDERING_BUGS.length).toBeGreaterThan(0);
    for (const name of ORDERING_BUGS) expect(PINNED[name], name).toBeDefined();
  });

  it.each([...ORDERING_BUGS])('%s: fails fault-free, passes without the bug, and passes with nothing reordered', (name) => {
    const { spec, schedule } = pinnedSchedule(name, 'random');
    expect(schedule.plan.faults).toEqual([]);
    const failure = signatureOf(runSchedule(spec, schedule).verdict);
    expect(failure).toEqual({ kind: 'safety', detail: PINNED[name]?.checker });
    expect(runSchedule(spec, withoutBug(schedule)).verdict).toEqual({ kind: 'pass' });
    for (const at of ['minUs', 'maxUs'] as const) expect(runSchedule(spec, withoutReordering(spec, schedule, at)).verdict).toEqual({ kind: 'pass' });
    expect(needsReordering(spec, schedule, failure!)).toBe(true);
  }, 30_000);

  it.each([...ORDERING_BUGS])('%s: the PCT strategy\'s run with the same id catches it too', (name) => {
    const { spec, schedule } = pinnedSchedule(name, 'pct');
    expect(schedule.pct).not.toBeNull();
    expect(signatureOf(runSchedule(spec, schedule).verdict)).toEqual({ kind: 'safety', detail: PINNED[name]?.checker });
  }, 30_000);

  it('2pc ignore-early-abort\'s small scenario runs three transactions, and PCT\'s causal chains fail several times as many of its runs as random latencies do', () => {
    const spec = PROTOCOLS['2pc'] as AnySpec;
    const small = SMALL_SCENARIOS['2pc ignore-early-abort'] as (typeof SMALL_SCENARIOS)[string];
    for (const strategy of ['pct', 'random'] as const) {
      const setup = sweepSetup(spec, { bug: 'ignore-early-abort', strategy, maxFaults: 0, clients: small.clients, config: small.config });
      expect(runSchedule(spec, scheduleOfRun(spec, setup, 1, 0)).history).toHaveLength(small.clients.count * small.clients.ops);
    }
    const failing = (strategy: Strategy) => Math.round(RUNS * smallScenarioShare(spec, '2pc ignore-early-abort', strategy, 1, RUNS));
    // Sweep seed 1, fault-free, 1,000 runs each: PCT fails 128 of them, random 12 (PCT's runs all
    // have a latency window to order deliveries in; before that, PCT failed 114).
    const RUNS = 1000;
    const pct = failing('pct');
    const random = failing('random');
    expect(pct).toBe(128);
    expect(random).toBe(12);
    expect(pct).toBeGreaterThanOrEqual(10 * random);
  }, 60_000);
});
