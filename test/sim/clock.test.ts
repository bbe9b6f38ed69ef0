import { describe, expect, it } from 'vitest';
import { NodeClock } from '../../sim/clock.ts';
import { notes, ofKind, simulate, testProtocol, testSpec } from '../helpers.ts';

describe('NodeClock', () => {
  it('starts ideal: local time equals global time', () => {
    const c = new NodeClock();
    expect(c.isIdeal).toBe(true);
    expect(c.local(0)).toBe(0);
    expect(c.local(12_345)).toBe(12_345);
    expect(c.globalAt(5_000, 1_000)).toBe(5_000);
    expect(c.describe(7)).toEqual({ offsetUs: 0, rate: 1, stopped: false });
  });

  it('skew jumps the reading by an offset, forward or back', () => {
    const c = new NodeClock();
    c.skew(1_000, 500);
    expect(c.isIdeal).toBe(false);
    expect(c.local(1_000)).toBe(1_500);
    expect(c.local(2_000)).toBe(2_500);
    c.skew(2_000, -2_000);
    expect(c.local(2_000)).toBe(500);
    expect(c.describe(3_000).offsetUs).toBe(-1_500);
    expect(c.globalAt(1_000, 2_000)).toBe(2_500);
  });

  it('drift runs the clock at a rate from the moment it is set', () => {
    const c = new NodeClock();
    c.setRate(1_000, 2);
    expect(c.local(1_000)).toBe(1_000);
    expect(c.local(2_000)).toBe(3_000);
    c.setRate(2_000, 0.5);
    expect(c.local(4_000)).toBe(4_000);
    expect(() => c.setRate(0, 0)).toThrow(/positive/);
  });

  it('stop freezes the reading; resume continues from it', () => {
    const c = new NodeClock();
    c.stop(1_000);
    expect(c.running).toBe(false);
    expect(c.local(5_000)).toBe(1_000);
    expect(c.globalAt(1_500, 5_000)).toBe(Infinity);
    expect(c.globalAt(900, 5_000)).toBe(5_000); // already reached
    c.resume(5_000);
    expect(c.local(6_000)).toBe(2_000);
  });

  it('globalAt finds the earliest global time the clock reaches a reading, under any rate', () => {
    for (const rate of [0.3, 0.5, 0.9, 1, 1.1, 2, 3.7]) {
      const c = new NodeClock();
      c.skew(100, 37);
      c.setRate(1_000, rate);
      for (const target of [1_100, 2_000, 12_345, 99_999]) {
        const g = c.globalAt(target, 1_000);
        expect(c.local(g)).toBeGreaterThanOrEqual(target);
        expect(c.local(g - 1)).toBeLessThan(target);
      }
    }
  });
});

/** Every node arms one 1 s timer at boot and notes the local time when it fires. */
const alarm = testProtocol<null>('alarm', {
  init: () => ({ state: null, effects: [{ kind: 'setTimer', timer: 'alarm', afterUs: 1_000_000 }] }),
  step: (state, input, ctx) => ({ state, effects: input.kind === 'timer' ? [{ kind: 'note', name: 'fired', data: ctx.nowUs }] : [] }),
});

function fireTimes(faults: unknown[]): Map<number, number> {
  const run = simulate(testSpec(alarm), { faultPhaseUs: 4_000_000 }, faults);
  return new Map(ofKind(run.events, 'timer').map((e) => [e.node, e.t]));
}

describe('clock faults through the engine', () => {
  it('a timer on a node whose clock runs at rate 2 fires at half the global time', () => {
    const fired = fireTimes([{ at: '0s', type: 'clock-drift', node: 'n1', rate: 2 }]);
    expect(fired.get(1)).toBe(500_000);
    expect(fired.get(2)).toBe(1_000_000);
  });

  it('the protocol reads its local clock in ctx.nowUs', () => {
    const run = simulate(testSpec(alarm), { faultPhaseUs: 4_000_000 }, [{ at: '0s', type: 'clock-drift', node: 'n1', rate: 2 }]);
    expect(notes(run.events, 'fired', 1).map((n) => [n.t, n.data])).toEqual([[500_000, 1_000_000]]);
    expect(notes(run.events, 'fired', 2).map((n) => [n.t, n.data])).toEqual([[1_000_000, 1_000_000]]);
  });

  it('a drift that starts midway only speeds up the rest of the wait', () => {
    const fired = fireTimes([{ at: '200ms', type: 'clock-drift', node: 'n1', rate: 2 }]);
    expect(fired.get(1)).toBe(600_000); // 200 ms at rate 1, the remaining 800 ms at rate 2
  });

  it('a stopped clock delays timers until it resumes', () => {
    const fired = fireTimes([{ at: '200ms', for: '1s', type: 'clock-stop', node: 'n1' }]);
    expect(fired.get(1)).toBe(2_000_000); // 200 ms, stopped for 1 s, then the remaining 800 ms
    expect(fired.get(2)).toBe(1_000_000);
  });

  it('a clock stopped until the heal phase never fires a timer before it', () => {
    const run = simulate(testSpec(alarm), { faultPhaseUs: 1_500_000, healUs: 1_000_000 }, [{ at: '100ms', type: 'clock-stop', node: 'n1' }]);
    const fired = ofKind(run.events, 'timer').filter((e) => e.node === 1);
    expect(fired.map((e) => e.t)).toEqual([2_400_000]); // resumes at 1.5 s with 900 ms to go
  });

  it('a forward skew brings timers closer', () => {
    const fired = fireTimes([{ at: '100ms', type: 'clock-skew', node: 'n2', offset: '+300ms' }]);
    expect(fired.get(2)).toBe(700_000);
    expect(fired.get(1)).toBe(1_000_000);
  });

  it('a backward skew pushes timers later', () => {
    const fired = fireTimes([{ at: '100ms', type: 'clock-skew', node: 'n2', offset: '-300ms' }]);
    expect(fired.get(2)).toBe(1_300_000);
  });
});
