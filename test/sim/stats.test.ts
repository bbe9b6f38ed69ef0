// Nearest-rank percentiles: always one of the values, the lower middle for an even count, null for none.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { median, percentile, spread } from '../../sim/stats.ts';

describe('percentile (nearest rank)', () => {
  test('textbook examples', () => {
    const values = [15, 20, 35, 40, 50];
    expect(percentile(values, 5)).toBe(15);
    expect(percentile(values, 30)).toBe(20);
    expect(percentile(values, 40)).toBe(20);
    expect(percentile(values, 50)).toBe(35);
    expect(percentile(values, 100)).toBe(50);
  });

  test('p95 of 1..20 is 19 and of 1..100 is 95; the order of the input does not matter', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => 20 - i);
    expect(percentile(twenty, 95)).toBe(19);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBe(95);
    expect(twenty[0]).toBe(20); // the input is not sorted in place
  });

  test('median: the middle value, or the lower middle of an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(median([7])).toBe(7);
  });

  test('no values give null; a bad p or a non-finite value throws', () => {
    expect(percentile([], 50)).toBeNull();
    expect(median([])).toBeNull();
    expect(() => percentile([1], 0)).toThrow(/p in \(0, 100\]/);
    expect(() => percentile([1], 101)).toThrow(/p in \(0, 100\]/);
    expect(() => percentile([1, Number.NaN], 50)).toThrow(/finite/);
  });

  test('spread gathers count, median, p95 and max', () => {
    expect(spread([])).toEqual({ count: 0, median: null, p95: null, max: null });
    expect(spread([5, 1, 9, 3])).toEqual({ count: 4, median: 3, p95: 9, max: 9 });
  });

  test('property: a percentile is one of the values, with at least p% of them at or below it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1 }), fc.integer({ min: 1, max: 100 }), (values, p) => {
        const q = percentile(values, p) as number;
        expect(values).toContain(q);
        expect(values.filter((v) => v <= q).length).toBeGreaterThanOrEqual((p / 100) * values.length);
        expect(values.filter((v) => v < q).length).toBeLessThan((p / 100) * values.length);
      }),
    );
  });
});
