import { describe, expect, it } from 'vitest';
import { accuracy, completeness, completenessBoundUs, falseSuspicion } from '../../../protocols/heartbeat/checkers.ts';
import { heartbeatSpec } from '../../../protocols/heartbeat/spec.ts';
import type { CheckerView } from '../../../sim/checker.ts';
import { parseFaultPlan } from '../../../sim/faultPlan.ts';
import { resolveRun } from '../../../sim/resolveRun.ts';
import type { ObservedEvent } from '../../../sim/traceEvents.ts';
import { heartbeatRun, notes } from '../../helpers.ts';

const config = { interval: 100_000, timeout: 300_000 };
const crashes = [
  { at: '1s', type: 'crash', node: 'n2' },
  { at: '2s', for: '1s', type: 'crash', node: 'n4' },
];

describe('heartbeat checkers on whole runs', () => {
  it.each([1, 2, 3, 4, 5, 6])('the correct detector passes completeness and accuracy (seed %i, with crashes)', (seed) => {
    const run = heartbeatRun({ seed, faultPhaseUs: 4_000_000 }, crashes);
    expect(run.result.verdict).toEqual({ kind: 'pass' });
    // The checks were really exercised: every live node ended up seeing n2 as Failed...
    for (const observer of [1, 3, 4, 5]) {
      const last = notes(run.events, 'status', observer).filter((n) => (n.data as { peer: number }).peer === 2).at(-1);
      expect(last?.data).toMatchObject({ to: 'Failed' });
    }
    // ...and accuracy was armed (loss-free, fast network) while nodes noted status changes.
    expect(run.options.network.loss).toBe(0);
    expect(notes(run.events, 'status').length).toBeGreaterThan(0);
  });

  it("the 'never-fail' bug is caught by completeness (liveness verdict)", () => {
    const run = heartbeatRun({ seed: 1, faultPhaseUs: 4_000_000, bug: 'never-fail' }, crashes);
    expect(run.result.verdict).toMatchObject({ kind: 'liveness', checker: 'completeness' });
    expect((run.result.verdict as { message: string }).message).toMatch(/still sees crashed n2 as Suspect/);
    expect(run.events.at(-1)).toMatchObject({ kind: 'violation', checker: 'completeness', verdict: 'liveness' });
  });

  it("the 'early-fail' bug is caught by accuracy (safety verdict)", () => {
    const run = heartbeatRun({ seed: 1, faultPhaseUs: 4_000_000, bug: 'early-fail' });
    expect(run.result.verdict).toMatchObject({ kind: 'safety', checker: 'accuracy' });
    expect((run.result.verdict as { message: string }).message).toMatch(/declared n\d Failed/);
  });

  it('a clock set back on an observer just after a crash delays detection, and the bound allows for it (regression)', () => {
    // n1's timers wait a whole second longer; completeness must not call the correct detector slow.
    const faults = [{ at: '1900ms', type: 'crash', node: 'n2' }, { at: '1950ms', type: 'clock-skew', node: 'n1', offset: '-1s' }];
    const run = heartbeatRun({ seed: 1, faultPhaseUs: 2_000_000 }, faults);
    expect(run.result.verdict).toEqual({ kind: 'pass' });
    const failedAt = notes(run.events, 'status', 1).find((n) => (n.data as { peer: number; to: string }).peer === 2 && (n.data as { to: string }).to === 'Failed');
    expect(failedAt?.t).toBeGreaterThan(2_000_000 + 611_000); // later than the bound without the skew
    const broken = heartbeatRun({ seed: 1, faultPhaseUs: 2_000_000, bug: 'never-fail' }, faults);
    expect(broken.result.verdict).toMatchObject({ kind: 'liveness', checker: 'completeness' });
  });

  it('accuracy reports held on a calm run and n/a (with the reason) once its precondition fails', () => {
    const status = (run: ReturnType<typeof heartbeatRun>) => run.result.checks.find((c) => c.name === 'accuracy');
    expect(status(heartbeatRun({ seed: 1, faultPhaseUs: 2_000_000 }))).toMatchObject({ status: 'held' });
    expect(status(heartbeatRun({ seed: 1, faultPhaseUs: 2_000_000, network: { loss: 0.1 } }))).toMatchObject({ status: 'n/a', reason: expect.stringMatching(/not calm/) });
    const partitioned = heartbeatRun({ seed: 1, faultPhaseUs: 2_000_000 }, [{ at: '1s', for: '500ms', type: 'partition', groups: [['n1'], ['n2']] }]);
    expect(status(partitioned)).toMatchObject({ status: 'n/a', reason: 'checked only until 1s, when a partition fault started' });
  });

  it('false-suspicion is reached with loss 0.5 and not reached without loss', () => {
    for (const seed of [1, 2, 3]) {
      const lossy = heartbeatRun({ seed, faultPhaseUs: 3_000_000, network: { loss: 0.5 } });
      expect(lossy.result.sometimes['false-suspicion']).toBe(true);
      expect(lossy.result.verdict.kind).toBe('pass'); // accuracy is not armed on a lossy network
      const calm = heartbeatRun({ seed, faultPhaseUs: 3_000_000 });
      expect(calm.result.sometimes['false-suspicion']).toBe(false);
    }
  });
});

function fakeView(up: number[], nowUs = 0): CheckerView {
  return { nowUs, phase: 'heal', healStartUs: 0, nodes: [1, 2, 3], isUp: (n) => up.includes(n) };
}

const boot = (node: number, t = 0): ObservedEvent => ({ t, kind: 'boot', node, disk: 'fresh', state: {} });
const status = (node: number, peer: number, from: string, to: string, t: number): ObservedEvent => ({ t, kind: 'note', node, name: 'status', data: { peer, from, to } });

function optionsFor(network: Record<string, unknown> = {}, faults: unknown[] = []) {
  const plan = parseFaultPlan({ faults }, 3, 10_000_000);
  return { options: resolveRun(heartbeatSpec, { seed: 1, nodes: 3, faultPhaseUs: 10_000_000, network }, plan), plan };
}

describe('heartbeat checkers on hand-made events', () => {
  it('completeness names the live node that does not yet see a crashed node as Failed', () => {
    const { options, plan } = optionsFor();
    const check = completeness(config, options, plan);
    [boot(1), boot(2), boot(3), status(1, 2, 'Healthy', 'Failed', 10), status(3, 2, 'Healthy', 'Suspect', 10)].forEach((e) => check.observe(e, fakeView([1, 3])));
    expect(check.unmet(fakeView([1, 3]))).toBe('n3 still sees crashed n2 as Suspect');
    check.observe(status(3, 2, 'Suspect', 'Failed', 20), fakeView([1, 3]));
    expect(check.unmet(fakeView([1, 3]))).toBeUndefined();
  });

  it('the completeness bound covers the timeout, the slowest link and delaying faults', () => {
    const { options, plan } = optionsFor({ latency: { dist: 'uniform', minUs: 1_000, maxUs: 20_000 } }, [
      { at: '1s', for: '1s', type: 'byzantine', node: 'n1', behaviour: 'delay', delay: '70ms' },
      { at: '1s', for: '1s', type: 'slow', node: 'n1', stepCost: '10ms' },
    ]);
    expect(completenessBoundUs(config, options, plan)).toBe(300_000 + 20_000 + 70_000 + 1_000);
    const skewed = optionsFor({}, [
      { at: '1s', type: 'clock-skew', node: 'n1', offset: '-200ms' },
      { at: '2s', type: 'clock-skew', node: 'n1', offset: '-100ms' },
      { at: '2s', type: 'clock-skew', node: 'n3', offset: '+900ms' },
    ]);
    expect(completenessBoundUs(config, skewed.options, skewed.plan)).toBe(300_000 + 10_000 + 300_000 + 1_000);
  });

  it('accuracy breaks when a node that has been up for a timeout is declared Failed', () => {
    const { options } = optionsFor();
    const check = accuracy(config, options);
    check.observe(boot(2, 0), fakeView([1, 2, 3], 0));
    check.observe(status(1, 2, 'Suspect', 'Failed', 200_000), fakeView([1, 2, 3], 200_000)); // up for less than a timeout
    expect(check.broken()).toBeUndefined();
    check.observe(status(1, 2, 'Suspect', 'Failed', 400_000), fakeView([1, 2, 3], 400_000));
    expect(check.broken()).toMatch(/n1 declared n2 Failed/);
  });

  it('accuracy is not armed on a lossy network, nor after a partition', () => {
    const lossy = accuracy(config, optionsFor({ loss: 0.1 }).options);
    lossy.observe(boot(2), fakeView([1, 2, 3]));
    lossy.observe(status(1, 2, 'Suspect', 'Failed', 400_000), fakeView([1, 2, 3], 400_000));
    expect(lossy.broken()).toBeUndefined();

    const partitioned = accuracy(config, optionsFor().options);
    partitioned.observe(boot(2), fakeView([1, 2, 3]));
    partitioned.observe({ t: 100, kind: 'fault', phase: 'start', fault: { type: 'partition', at: 100, groups: [[1], [2, 3]] } }, fakeView([1, 2, 3], 100));
    partitioned.observe(status(1, 2, 'Suspect', 'Failed', 400_000), fakeView([1, 2, 3], 400_000));
    expect(partitioned.broken()).toBeUndefined();
  });

  it('false-suspicion is reached only by suspecting a node that has been up for a timeout', () => {
    const check = falseSuspicion(config);
    check.observe(boot(2), fakeView([1, 2, 3]));
    check.observe({ t: 50_000, kind: 'fault', phase: 'start', fault: { type: 'crash', at: 50_000, node: 2 } }, fakeView([1, 3], 50_000));
    check.observe(status(1, 2, 'Healthy', 'Suspect', 400_000), fakeView([1, 3], 400_000)); // n2 is down: a true suspicion
    expect(check.reached()).toBe(false);
    check.observe(boot(3, 0), fakeView([1, 3], 400_000));
    check.observe(status(1, 3, 'Healthy', 'Suspect', 400_000), fakeView([1, 3], 400_000));
    expect(check.reached()).toBe(true);
  });
});
