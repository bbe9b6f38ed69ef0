import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, humanDuration, parseDuration, parseDurationRange } from '../../sim/duration.ts';

describe('durations', () => {
  it.each([
    ['250us', 250],
    ['1.5ms', 1_500],
    ['30s', 30_000_000],
    ['2m', 120_000_000],
    [' 7 ms ', 7_000],
    ['0s', 0],
  ])('parses %j as %i microseconds', (text, us) => {
    expect(parseDuration(text)).toBe(us);
  });

  it.each(['3 parsecs', '10', '-1s', '1.0001ms', 'ms', ''])('rejects %j, naming the field', (text) => {
    expect(() => parseDuration(text, '--heal')).toThrow(/^--heal: /);
  });

  it('formats exactly, in the largest unit that divides, and parses back (property)', () => {
    expect(formatDuration(0)).toBe('0us');
    expect(formatDuration(1_500)).toBe('1500us');
    expect(formatDuration(3_000)).toBe('3ms');
    expect(formatDuration(90_000_000)).toBe('90s');
    expect(formatDuration(120_000_000)).toBe('2m');
    fc.assert(fc.property(fc.nat({ max: 2 ** 40 }), (us) => parseDuration(formatDuration(us)) === us));
  });

  it('reads ranges', () => {
    expect(parseDurationRange('1ms..10ms')).toEqual([1_000, 10_000]);
    expect(parseDurationRange('5ms')).toEqual([5_000, 5_000]);
    expect(() => parseDurationRange('10ms..1ms', '--latency')).toThrow(/--latency: the maximum 1ms is below the minimum 10ms/);
  });

  it('prints human durations', () => {
    expect(humanDuration(1_234_000)).toBe('1.234s');
    expect(humanDuration(12_500)).toBe('12.5ms');
    expect(humanDuration(999)).toBe('999us');
  });
});
