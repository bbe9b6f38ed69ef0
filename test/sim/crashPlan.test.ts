// The crash plans `faultlab compare` draws: distinct nodes, whole milliseconds in 20%..50% of the
// fault phase, the same for the same seed and different across seeds.
import { describe, expect, test } from 'vitest';
import { crashWindowMs, drawCrashPlan } from '../../sim/crashPlan.ts';

describe('drawCrashPlan', () => {
  test('distinct nodes crash permanently at whole milliseconds inside 20%..50% of the fault phase', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const plan = drawCrashPlan(seed, 8, 3, 10_000_000);
      expect(plan.faults).toHaveLength(3);
      expect(new Set(plan.faults.map((f) => (f.type === 'crash' ? f.node : 0))).size).toBe(3);
      for (const f of plan.faults) {
        if (f.type !== 'crash') throw new Error(`expected a crash, got ${f.type}`);
        expect(f.for).toBeUndefined();
        expect(f.at % 1_000).toBe(0);
        expect(f.at).toBeGreaterThanOrEqual(2_000_000);
        expect(f.at).toBeLessThanOrEqual(5_000_000);
        expect(f.node).toBeGreaterThanOrEqual(1);
        expect(f.node).toBeLessThanOrEqual(8);
      }
      expect(plan.faults.map((f) => f.at)).toEqual(plan.faults.map((f) => f.at).sort((a, b) => a - b));
    }
  });

  test('deterministic per seed; seeds differ', () => {
    expect(drawCrashPlan(7, 32, 2, 10_000_000)).toEqual(drawCrashPlan(7, 32, 2, 10_000_000));
    const plans = new Set(Array.from({ length: 10 }, (_, i) => JSON.stringify(drawCrashPlan(i + 1, 32, 1, 10_000_000))));
    expect(plans.size).toBeGreaterThan(5);
  });

  test('no crashes, too many crashes, and too short a fault phase', () => {
    expect(drawCrashPlan(1, 4, 0, 10_000_000)).toEqual({ faults: [] });
    expect(() => drawCrashPlan(1, 4, 4, 10_000_000)).toThrow(/crashes need 0..3/);
    expect(crashWindowMs(10_000)).toEqual([2, 5]);
    expect(crashWindowMs(1_000)).toBeUndefined();
    expect(() => drawCrashPlan(1, 4, 1, 1_000)).toThrow(/too short/);
  });
});
