import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeedRng } from '../../../sim/rng.ts';
import { InputError } from '../../../sim/schemaHelpers.ts';
import {
  attemptDeadlineUs,
  backoffUs,
  exponentialUs,
  onAttemptFailed,
  parseRetryPolicy,
  startRetry,
  type Jitter,
  type RetryPolicy,
  type RetryState,
} from '../../../protocols/patterns/index.ts';
import { constRng } from '../../helpers.ts';

const policy = (over: Partial<RetryPolicy> = {}): RetryPolicy => ({
  baseUs: 10_000,
  maxUs: 100_000,
  multiplier: 2,
  jitter: 'full',
  maxAttempts: 5,
  attemptTimeoutUs: 50_000,
  ...over,
});

const policyArb: fc.Arbitrary<RetryPolicy> = fc
  .record({
    baseUs: fc.integer({ min: 1, max: 1_000_000 }),
    extra: fc.integer({ min: 0, max: 10_000_000 }),
    multiplier: fc.oneof(fc.constantFrom(1, 1.5, 2, 3), fc.double({ min: 1, max: 10, noNaN: true })),
    jitter: fc.constantFrom<Jitter>('full', 'equal', 'decorrelated', 'none'),
  })
  .map(({ baseUs, extra, multiplier, jitter }) => policy({ baseUs, maxUs: baseUs + extra, multiplier, jitter }));

/** Runs `failures` failed attempts from the start and returns every delay drawn. */
function delays(p: RetryPolicy, seed: string, failures: number): number[] {
  const rng = new SeedRng(seed);
  let state: RetryState = startRetry();
  const out: number[] = [];
  for (let i = 0; i < failures; i++) {
    const decision = onAttemptFailed(p, state, 1_000 * i, rng);
    if (decision.giveUp) break;
    out.push(decision.retryAtUs - 1_000 * i);
    state = decision.state;
  }
  return out;
}

describe('parseRetryPolicy', () => {
  it('fills defaults and reads durations with units', () => {
    const p = parseRetryPolicy({ baseUs: '10ms', maxUs: '1s', maxAttempts: 5, attemptTimeoutUs: '300ms' });
    expect(p).toEqual({ baseUs: 10_000, maxUs: 1_000_000, multiplier: 2, jitter: 'full', maxAttempts: 5, attemptTimeoutUs: 300_000 });
    expect(parseRetryPolicy({ ...p, maxAttempts: 'unlimited' }).maxAttempts).toBe(Infinity);
    expect(parseRetryPolicy({ ...p, maxAttempts: Infinity }).maxAttempts).toBe(Infinity);
  });

  it('names the bad field in one line', () => {
    const ok = { baseUs: '10ms', maxUs: '1s', maxAttempts: 5, attemptTimeoutUs: '300ms' };
    const error = (input: unknown): string => {
      try {
        parseRetryPolicy(input);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error('expected the policy to be rejected');
    };
    expect(error({ ...ok, maxUs: '5ms' })).toBe('retry policy: maxUs: expected a maximum delay at least as long as the base delay');
    expect(error({ ...ok, baseUs: 0 })).toBe('retry policy: baseUs: expected a base delay above 0');
    expect(error({ ...ok, baseUs: '10 parsecs' })).toMatch(/^retry policy: baseUs: expected a duration with a unit/);
    expect(error({ ...ok, jitter: 'some' })).toMatch(/^retry policy: jitter: expected one of "full"/);
    expect(error({ ...ok, multiplier: 0.5 })).toBe('retry policy: multiplier: expected a multiplier of at least 1');
    expect(error({ ...ok, maxAttempts: 0 })).toMatch(/^retry policy: maxAttempts: expected a whole number of attempts of at least 1/);
    expect(error({ ...ok, maxAttempts: 2.5 })).toMatch(/^retry policy: maxAttempts:/);
    expect(error({ ...ok, attemptTimeoutUs: 0 })).toBe('retry policy: attemptTimeoutUs: expected an attempt timeout above 0');
    expect(error({ ...ok, retries: 3 })).toBe('retry policy: unknown field "retries"');
    const { maxAttempts: _, ...missing } = ok;
    expect(error(missing)).toMatch(/^retry policy: maxAttempts:/);
  });
});

describe('backoffUs', () => {
  it('without jitter doubles from base and stops at the cap', () => {
    const p = policy({ jitter: 'none' });
    expect([0, 1, 2, 3, 4, 5, 60, 5_000].map((n) => backoffUs(p, n, constRng(0.5)))).toEqual([
      10_000, 20_000, 40_000, 80_000, 100_000, 100_000, 100_000, 100_000,
    ]);
    expect([0, 1, 2, 3].map((n) => exponentialUs(policy({ multiplier: 1.5, baseUs: 3 }), n))).toEqual([3, 4, 6, 10]);
    expect(exponentialUs(policy({ multiplier: 1 }), 1_000_000)).toBe(10_000);
  });

  it('a draw of 0 is the quiet choice, a draw near 1 the longest delay', () => {
    const p = policy();
    expect(backoffUs({ ...p, jitter: 'full' }, 2, constRng(0))).toBe(0);
    expect(backoffUs({ ...p, jitter: 'full' }, 2, constRng(0.999_999_99))).toBe(40_000);
    expect(backoffUs({ ...p, jitter: 'equal' }, 2, constRng(0))).toBe(20_000);
    expect(backoffUs({ ...p, jitter: 'equal' }, 2, constRng(0.999_999_99))).toBe(40_000);
    expect(backoffUs({ ...p, jitter: 'decorrelated' }, 0, constRng(0), 20_000)).toBe(10_000);
    expect(backoffUs({ ...p, jitter: 'decorrelated' }, 0, constRng(0.999_999_99), 20_000)).toBe(60_000);
    expect(backoffUs({ ...p, jitter: 'decorrelated' }, 0, constRng(0.999_999_99), 50_000)).toBe(100_000);
  });

  it('rejects a negative or fractional retry number', () => {
    expect(() => backoffUs(policy(), -1, constRng(0))).toThrow(/retry number/);
    expect(() => backoffUs(policy(), 1.5, constRng(0))).toThrow(/retry number/);
  });

  it('property: every jitter mode stays in its range and never exceeds maxUs', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 0, max: 80 }), fc.string(), fc.option(fc.integer({ min: 0, max: 20_000_000 })), (p, n, seed, prev) => {
        const d = backoffUs(p, n, new SeedRng(seed), prev ?? undefined);
        const exp = Math.min(p.maxUs, Math.floor(p.baseUs * p.multiplier ** n));
        expect(Number.isSafeInteger(d)).toBe(true);
        expect(d).toBeLessThanOrEqual(p.maxUs);
        if (p.jitter === 'none') expect(d).toBe(exponentialUs(p, n));
        if (p.jitter === 'full') expect(d).toBeGreaterThanOrEqual(0);
        if (p.jitter === 'full' || p.jitter === 'equal') expect(d).toBeLessThanOrEqual(exponentialUs(p, n));
        if (p.jitter === 'equal') expect(d).toBeGreaterThanOrEqual(Math.floor(exponentialUs(p, n) / 2));
        if (p.jitter === 'decorrelated') {
          expect(d).toBeGreaterThanOrEqual(p.baseUs);
          expect(d).toBeLessThanOrEqual(Math.min(p.maxUs, Math.max(p.baseUs, prev ?? p.baseUs) * 3));
        }
        // The repeated-multiplication exponential agrees with the closed form (to rounding).
        expect(Math.abs(exponentialUs(p, n) - exp)).toBeLessThanOrEqual(Math.max(1, exp * 1e-9));
      }),
      { numRuns: 500 },
    );
  });

  it('property: decorrelated delays stay within [base, min(max, previous * 3)] along a whole retry chain', () => {
    fc.assert(
      fc.property(policyArb, fc.string(), (p, seed) => {
        const ds = delays({ ...p, jitter: 'decorrelated', maxAttempts: 30 }, seed, 30);
        let previous = p.baseUs;
        for (const d of ds) {
          expect(d).toBeGreaterThanOrEqual(p.baseUs);
          expect(d).toBeLessThanOrEqual(Math.min(p.maxUs, previous * 3));
          previous = d;
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('onAttemptFailed', () => {
  it('gives the same delays for the same seed and different ones for another', () => {
    for (const jitter of ['full', 'equal', 'decorrelated'] as const) {
      const p = policy({ jitter, maxAttempts: 12, maxUs: 10_000_000 });
      expect(delays(p, 'x', 12)).toEqual(delays(p, 'x', 12));
      expect(delays(p, 'x', 12)).not.toEqual(delays(p, 'y', 12));
    }
  });

  it('schedules the retry at now + delay and counts attempts', () => {
    const p = policy({ jitter: 'none' });
    const s1 = startRetry();
    expect(s1).toEqual({ attempt: 1 });
    const d1 = onAttemptFailed(p, s1, 5_000, constRng(0));
    expect(d1).toEqual({ state: { attempt: 2, nextAtUs: 15_000, lastBackoffUs: 10_000 }, retryAtUs: 15_000 });
    const d2 = onAttemptFailed(p, d1.state, 40_000, constRng(0));
    expect(d2.retryAtUs).toBe(60_000);
    expect(d2.state.attempt).toBe(3);
    expect(JSON.parse(JSON.stringify(d2.state))).toEqual(d2.state);
  });

  it('stops at maxAttempts: attempts in all, the first included', () => {
    expect(delays(policy({ maxAttempts: 1 }), 'x', 10)).toEqual([]);
    expect(delays(policy({ maxAttempts: 3 }), 'x', 10)).toHaveLength(2);
    const p = policy({ maxAttempts: 3 });
    let state = startRetry();
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const d = onAttemptFailed(p, state, 0, constRng(0.5));
      outcomes.push(d.giveUp ? 'give up' : `retry ${d.state.attempt}`);
      state = d.state;
    }
    expect(outcomes).toEqual(['retry 2', 'retry 3', 'give up', 'give up', 'give up']);
    expect(state.nextAtUs).toBeUndefined();
  });

  it('property: never more than maxAttempts attempts, and unlimited keeps going with capped delays', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 20 }), fc.string(), (p, maxAttempts, seed) => {
        expect(delays({ ...p, maxAttempts }, seed, 50)).toHaveLength(maxAttempts - 1);
        const unlimited = delays({ ...p, maxAttempts: Infinity }, seed, 200);
        expect(unlimited).toHaveLength(200);
        expect(Math.max(...unlimited)).toBeLessThanOrEqual(p.maxUs);
      }),
      { numRuns: 100 },
    );
  });

  it('gives each attempt a deadline attemptTimeoutUs after it starts', () => {
    expect(attemptDeadlineUs(policy(), 1_000)).toBe(51_000);
  });
});
