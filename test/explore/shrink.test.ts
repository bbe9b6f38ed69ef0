// Shrinking on real buggy variants: the counterexample still fails the same way, is no bigger
// than the run it came from, and is 1-minimal in faults (without any one of its faults the failure
// goes away: that run passes or fails differently); its repro file replays to the same verdict and
// trace hash. And a correct protocol's run is never reported. A sweep's client options stay fixed.
import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../../protocols/registry.ts';
import { sameFailure } from '../../sim/explore/failure.ts';
import { probeRun, scheduleOfRun } from '../../sim/explore/probe.ts';
import { hashedRun, parseRepro, reproOf, scheduleOfRepro } from '../../sim/explore/repro.ts';
import { runSchedule, withoutFault } from '../../sim/explore/schedule.ts';
import { shrinkRun } from '../../sim/explore/shrink.ts';
import type { Strategy } from '../../sim/explore/strategies.ts';
import { sweepSetup } from '../../sim/explore/sweepSetup.ts';
import { describeVerdict } from '../../sim/verdict.ts';

function firstFailure(protocol: string, bug: string, strategy: Strategy, upTo: number): number {
  const spec = PROTOCOLS[protocol]!;
  const setup = sweepSetup(spec, { bug, strategy });
  for (let id = 0; id < upTo; id++) if (probeRun(spec, setup, 1, id).failure) return id;
  throw new Error(`${protocol} --bug ${bug} (${strategy}) did not fail in runs 0..${upTo - 1} of sweep seed 1`);
}

describe('shrunk counterexamples', () => {
  it.each<[string, string, Strategy]>([
    ['swim', 'forget-tombstones', 'swarm'],
    ['heartbeat', 'never-fail', 'random'],
    ['swim', 'bump-suspect-incarnation', 'pct'],
  ])('%s --bug %s (%s): fails the same way, shrinks, is 1-minimal in faults, and its repro replays exactly', (protocol, bug, strategy) => {
    const spec = PROTOCOLS[protocol]!;
    const setup = sweepSetup(spec, { bug, strategy });
    const id = firstFailure(protocol, bug, strategy, 300);
    const shrunk = shrinkRun(spec, setup, 1, id, { maxShrinks: 150 });
    expect(sameFailure(shrunk.result.verdict, shrunk.signature)).toBe(true);
    expect(shrunk.schedule.plan.faults.length).toBeLessThanOrEqual(shrunk.original.plan.faults.length);
    expect(shrunk.schedule.plan.faults.length).toBeGreaterThan(0); // these bugs need a fault, so 1-minimality says something
    shrunk.schedule.plan.faults.forEach((fault, i) => {
      const without = runSchedule(spec, withoutFault(spec, shrunk.schedule, i));
      expect(sameFailure(without.verdict, shrunk.signature), `still ${describeVerdict(without.verdict)} without ${JSON.stringify(fault)}`).toBe(false);
    });
    const repro = parseRepro(JSON.parse(JSON.stringify(reproOf(spec, shrunk.schedule, 'test', null))), 'repro.json');
    const replayed = hashedRun(spec, scheduleOfRepro(repro, spec, 'repro.json'));
    expect(replayed.traceHash).toBe(repro.traceHash);
    expect(describeVerdict(replayed.verdict)).toBe(describeVerdict(repro.verdict));
  }, 120_000);

  it('shrinking is deterministic: the same sweep and run give the same counterexample', () => {
    const spec = PROTOCOLS.heartbeat!;
    const setup = sweepSetup(spec, { bug: 'never-fail' });
    const id = firstFailure('heartbeat', 'never-fail', 'swarm', 300);
    const a = shrinkRun(spec, setup, 1, id, { maxShrinks: 60 });
    const b = shrinkRun(spec, setup, 1, id, { maxShrinks: 60 });
    expect(b.schedule).toEqual(a.schedule);
    expect(b.result.metrics.events).toBe(a.result.metrics.events);
  });

  it('a repro whose fields disagree, or that names no known bug, is rejected with the field named', () => {
    const spec = PROTOCOLS.heartbeat!;
    const setup = sweepSetup(spec, { bug: 'never-fail' });
    const schedule = shrinkRun(spec, setup, 1, firstFailure('heartbeat', 'never-fail', 'swarm', 300), { maxShrinks: 0 }).schedule;
    const repro = JSON.parse(JSON.stringify(reproOf(spec, schedule, 'test', null)));
    expect(() => parseRepro({ ...repro, seed: repro.seed + 1 }, 'r.json')).toThrow(/^r\.json: protocol, seed and bug disagree/);
    expect(() => parseRepro({ ...repro, tape: { '/network': [2] } }, 'r.json')).toThrow(/^r\.json: tape/);
    expect(() => parseRepro({ ...repro, faultlabRepro: 9 }, 'r.json')).toThrow(/faultlabRepro/);
    expect(() => scheduleOfRepro({ ...repro, faultPlan: { faults: [{ type: 'crash', at: '1s', node: 'n9' }] } }, spec, 'r.json')).toThrow(/faultPlan: faults\[0\]\.node: n9 does not exist/);
  });

  it('a sweep\'s client options (clients, ops) are the same in every run and in the shrunk counterexample', () => {
    const spec = PROTOCOLS['2pc']!;
    const setup = sweepSetup(spec, { bug: 'commit-on-timeout', clients: { count: 3, ops: 1 } });
    const clients = { count: 3, timeoutUs: 10_000_000, thinkUs: 10_000, ops: 1 };
    let id = 0;
    for (; !probeRun(spec, setup, 1, id).failure; id++) {
      expect(scheduleOfRun(spec, setup, 1, id).options.clients).toEqual(clients);
      if (id >= 100) throw new Error('2pc --bug commit-on-timeout did not fail in runs 0..100');
    }
    const shrunk = shrinkRun(spec, setup, 1, id, { maxShrinks: 60 });
    expect(shrunk.original.options.clients).toEqual(clients);
    expect(shrunk.schedule.options.clients).toEqual(clients);
    expect(shrunk.result.history.length).toBeLessThanOrEqual(3);
    // Without the user's client options, runs keep the protocol's defaults and no budget.
    const plain = sweepSetup(spec, { bug: 'commit-on-timeout' });
    expect(plain.clients).toEqual({});
    expect(scheduleOfRun(spec, plain, 1, 0).options.clients).toEqual({ count: 3, timeoutUs: 10_000_000, thinkUs: 10_000 });
  }, 60_000);
});
