import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../sim/schemaHelpers.ts';
import {
  allow,
  createBreaker,
  failureRate,
  onFailure,
  onSuccess,
  type BreakerConfigInput,
  type BreakerState,
} from '../../../protocols/patterns/index.ts';

const consecutiveOnly = (over: BreakerConfigInput = {}): BreakerState =>
  createBreaker({ consecutiveFailures: 3, failureRate: null, openForUs: '1s', ...over });

const rateOnly = (over: BreakerConfigInput = {}): BreakerState =>
  createBreaker({ consecutiveFailures: null, failureRate: 0.5, windowSize: 10, minimumRequests: 4, ...over });

/** Calls allow() then reports the outcome at the same instant; expects the call to be admitted. */
function call(state: BreakerState, nowUs: number, ok: boolean): BreakerState {
  const a = allow(state, nowUs);
  expect(a.allowed).toBe(true);
  return ok ? onSuccess(a.state, nowUs) : onFailure(a.state, nowUs);
}

function calls(state: BreakerState, nowUs: number, outcomes: string): BreakerState {
  for (const c of outcomes) state = call(state, nowUs, c === 'S');
  return state;
}

describe('createBreaker', () => {
  it('starts closed with defaults for every setting', () => {
    const b = createBreaker();
    expect(b.mode).toBe('closed');
    expect(b.config).toEqual({
      consecutiveFailures: 5,
      failureRate: 0.5,
      windowSize: 20,
      minimumRequests: 10,
      openForUs: 1_000_000,
      halfOpenMaxCalls: 1,
      halfOpenSuccesses: 1,
    });
    expect(JSON.parse(JSON.stringify(b))).toEqual(b);
  });

  it('names the bad field in one line', () => {
    const error = (input: unknown): string => {
      try {
        createBreaker(input);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error('expected the config to be rejected');
    };
    expect(error({ windowSize: 5, minimumRequests: 6 })).toMatch(/^circuit breaker: minimumRequests: expected minimumRequests of at most windowSize/);
    expect(error({ halfOpenMaxCalls: 2, halfOpenSuccesses: 3 })).toMatch(/^circuit breaker: halfOpenSuccesses: /);
    expect(error({ failureRate: 0 })).toBe('circuit breaker: failureRate: expected a failure rate above 0 and at most 1');
    expect(error({ failureRate: 1.5 })).toBe('circuit breaker: failureRate: expected a failure rate above 0 and at most 1');
    expect(error({ openForUs: 0 })).toBe('circuit breaker: openForUs: expected an open period above 0');
    expect(error({ consecutiveFailures: 0 })).toBe('circuit breaker: consecutiveFailures: expected at least 1 failure');
    expect(error({ windowSize: 2.5 })).toBe('circuit breaker: windowSize: expected a whole number of calls');
    expect(error({ sleepWindow: '1s' })).toBe('circuit breaker: unknown field "sleepWindow"');
  });
});

describe('consecutive-failure rule', () => {
  it('trips after N failures in a row and then rejects calls', () => {
    let b = calls(consecutiveOnly(), 0, 'FF');
    expect(b.mode).toBe('closed');
    b = call(b, 10, false);
    expect(b.mode).toBe('open');
    expect(b.openUntilUs).toBe(1_000_010);
    expect(b.lastChange).toEqual({ from: 'closed', to: 'open', atUs: 10, reason: 'consecutive-failures' });
    expect(allow(b, 20)).toEqual({ state: b, allowed: false, reason: 'open' });
  });

  it('a success resets the consecutive count', () => {
    const b = calls(consecutiveOnly(), 0, 'FFSFFSFF');
    expect(b.mode).toBe('closed');
    expect(b.consecutiveFailures).toBe(2);
    expect(calls(b, 0, 'F').mode).toBe('open');
  });
});

describe('failure-rate rule', () => {
  it('holds off until minimumRequests calls were seen', () => {
    const b = calls(rateOnly(), 0, 'FFF');
    expect(b.mode).toBe('closed'); // 100% failures, but only 3 of the 4 calls needed
    const tripped = call(b, 5, false);
    expect(tripped.mode).toBe('open');
    expect(tripped.lastChange?.reason).toBe('failure-rate');
  });

  it('trips at exactly the threshold, also on the call that reaches minimumRequests', () => {
    expect(calls(rateOnly(), 0, 'SFSF').mode).toBe('open'); // 2/4 = 0.5
    expect(calls(rateOnly(), 0, 'FFFS').mode).toBe('open'); // the 4th call is a success, but 3/4 >= 0.5
    expect(calls(rateOnly(), 0, 'SSFSF').mode).toBe('closed'); // 2/5 < 0.5
    expect(calls(rateOnly({ failureRate: 0.3 }), 0, 'SSSSSSSFFF').mode).toBe('open'); // 3/10 = 0.3 exactly
  });

  it('looks only at the last windowSize calls', () => {
    // 20 successes then failures: with a window of 10 it trips after 5 failures, not after 20.
    let b = calls(rateOnly(), 0, 'S'.repeat(20));
    expect(b.window).toHaveLength(10);
    b = calls(b, 0, 'FFFF');
    expect(b.mode).toBe('closed');
    expect(failureRate(b.window)).toBe(0.4);
    b = calls(b, 0, 'F');
    expect(b.mode).toBe('open');
    // Old failures slide out: a window that was bad is good again after enough successes.
    const mixed = calls(rateOnly({ windowSize: 6, minimumRequests: 6, failureRate: 0.5 }), 0, 'FFSSSSSF');
    expect(mixed.mode).toBe('closed');
    expect(mixed.window).toEqual([false, false, false, false, false, true]);
  });

  it('rejected calls do not enter the window', () => {
    let b = calls(rateOnly(), 0, 'FFFF');
    for (let t = 1; t < 100; t++) expect(allow(b, t).allowed).toBe(false);
    b = calls(b, 1_000_000, 'S'); // half-open trial closes it
    expect(b.mode).toBe('closed');
    expect(b.window).toEqual([]);
  });
});

describe('open and half-open', () => {
  const tripped = (over: BreakerConfigInput = {}): BreakerState => calls(consecutiveOnly(over), 0, 'FFF');

  it('leaves open after the open period: the next allow() moves to half-open and admits a trial', () => {
    const b = tripped();
    expect(allow(b, 999_999).allowed).toBe(false);
    const a = allow(b, 1_000_000);
    expect(a.allowed).toBe(true);
    expect(a.state.mode).toBe('half-open');
    expect(a.state.lastChange).toEqual({ from: 'open', to: 'half-open', atUs: 1_000_000, reason: 'open-period-over' });
    expect(a.state.generation).toBe(b.generation + 1);
    expect(allow(a.state, 1_000_001)).toMatchObject({ allowed: false, reason: 'half-open-full' });
  });

  it('a successful trial closes it and resets the counts', () => {
    const b = call(tripped(), 2_000_000, true);
    expect(b.mode).toBe('closed');
    expect(b).toMatchObject({ consecutiveFailures: 0, window: [], openUntilUs: null, trialsAdmitted: 0, trialSuccesses: 0 });
    expect(b.lastChange).toEqual({ from: 'half-open', to: 'closed', atUs: 2_000_000, reason: 'trials-succeeded' });
    expect(calls(b, 2_000_000, 'FF').mode).toBe('closed'); // a fresh count: two failures do not trip
  });

  it('a failed trial reopens it with a fresh open period', () => {
    const b = call(tripped(), 1_500_000, false);
    expect(b.mode).toBe('open');
    expect(b.openUntilUs).toBe(2_500_000);
    expect(b.lastChange).toEqual({ from: 'half-open', to: 'open', atUs: 1_500_000, reason: 'trial-failed' });
    expect(allow(b, 2_499_999).allowed).toBe(false);
    expect(allow(b, 2_500_000).allowed).toBe(true);
  });

  it('admits up to halfOpenMaxCalls trials and closes after halfOpenSuccesses of them', () => {
    let b = tripped({ halfOpenMaxCalls: 3, halfOpenSuccesses: 2 });
    const admitted: number[] = [];
    for (let i = 0; i < 5; i++) {
      const a = allow(b, 1_000_000 + i);
      if (a.allowed) admitted.push(i);
      b = a.state;
    }
    expect(admitted).toEqual([0, 1, 2]);
    b = onSuccess(b, 1_000_010);
    expect(b.mode).toBe('half-open');
    b = onSuccess(b, 1_000_011);
    expect(b.mode).toBe('closed');
  });

  it('any failed trial reopens, even after some successes', () => {
    let b = tripped({ halfOpenMaxCalls: 3, halfOpenSuccesses: 3 });
    for (let i = 0; i < 3; i++) b = allow(b, 1_000_000).state;
    b = onSuccess(onSuccess(b, 1_000_001), 1_000_002);
    b = onFailure(b, 1_000_003);
    expect(b.mode).toBe('open');
    expect(b.openUntilUs).toBe(2_000_003);
  });

  it('ignores outcomes from an earlier generation and outcomes with no trial to account for them', () => {
    const closed = consecutiveOnly();
    const a1 = allow(closed, 0);
    const a2 = allow(a1.state, 0);
    if (!a1.allowed || !a2.allowed) throw new Error('expected both calls admitted');
    let b = calls(a2.state, 0, 'FFF'); // trips while the two calls are still out
    const trial = allow(b, 1_000_000);
    if (!trial.allowed) throw new Error('expected a trial');
    b = onSuccess(trial.state, 1_000_001, a1.generation); // the slow call from the closed era
    expect(b).toBe(trial.state);
    expect(onFailure(tripped(), 5)).toEqual(tripped()); // a late outcome while open
    const done = onFailure(b, 1_000_002, trial.generation);
    expect(done.mode).toBe('open');
    const unsolicited = allow(tripped(), 1_000_000).state;
    const afterTrial = { ...unsolicited, trialSuccesses: 0, trialsAdmitted: 0 }; // no trial out
    expect(onSuccess(afterTrial, 1_000_001)).toBe(afterTrial);
  });
});

type Op = { kind: 'allow' } | { kind: 'success'; pick: number } | { kind: 'failure'; pick: number } | { kind: 'advance'; us: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ kind: 'allow' as const }) },
  { weight: 2, arbitrary: fc.nat({ max: 20 }).map((pick) => ({ kind: 'success' as const, pick })) },
  { weight: 3, arbitrary: fc.nat({ max: 20 }).map((pick) => ({ kind: 'failure' as const, pick })) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 1_000 }).map((us) => ({ kind: 'advance' as const, us })) },
);

const configArb = fc
  .record({
    consecutiveFailures: fc.option(fc.integer({ min: 1, max: 6 })),
    failureRate: fc.option(fc.constantFrom(0.1, 0.25, 0.5, 0.75, 1)),
    windowSize: fc.integer({ min: 1, max: 12 }),
    minimumFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    openForUs: fc.integer({ min: 1, max: 1_000 }),
    halfOpenMaxCalls: fc.integer({ min: 1, max: 4 }),
    successFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ minimumFraction, successFraction, ...c }) => ({
    ...c,
    minimumRequests: Math.max(1, Math.ceil(minimumFraction * c.windowSize)),
    halfOpenSuccesses: Math.max(1, Math.ceil(successFraction * c.halfOpenMaxCalls)),
  }));

/** Every field consistent with the mode, and no trip rule left unfired while closed. */
function expectValid(b: BreakerState): void {
  const c = b.config;
  expect(JSON.parse(JSON.stringify(b))).toEqual(b);
  expect(b.lastChange === null).toBe(b.generation === 0);
  if (b.mode === 'closed') {
    expect(b).toMatchObject({ openUntilUs: null, trialsAdmitted: 0, trialSuccesses: 0 });
    expect(b.window.length).toBeLessThanOrEqual(c.windowSize);
    if (c.consecutiveFailures !== null) expect(b.consecutiveFailures).toBeLessThan(c.consecutiveFailures);
    if (c.failureRate !== null && b.window.length >= c.minimumRequests) expect(failureRate(b.window)).toBeLessThan(c.failureRate);
  } else if (b.mode === 'open') {
    expect(b).toMatchObject({ consecutiveFailures: 0, window: [], trialsAdmitted: 0, trialSuccesses: 0 });
    expect(b.openUntilUs).toBe((b.lastChange?.atUs ?? NaN) + c.openForUs);
  } else {
    expect(b).toMatchObject({ consecutiveFailures: 0, window: [], openUntilUs: null });
    expect(b.trialsAdmitted).toBeGreaterThanOrEqual(1);
    expect(b.trialsAdmitted).toBeLessThanOrEqual(c.halfOpenMaxCalls);
    expect(b.trialSuccesses).toBeLessThan(c.halfOpenSuccesses);
    expect(b.trialSuccesses).toBeLessThanOrEqual(b.trialsAdmitted);
  }
}

/** Drives a breaker like a client would: outcomes are reported only for admitted calls, in any order. */
function runOps(config: BreakerConfigInput, ops: readonly Op[]): void {
  let b = createBreaker(config);
  let now = 0;
  const inFlight: number[] = []; // the generation each outstanding call was admitted in
  let trialsThisHalfOpen = 0;
  for (const op of ops) {
    const before = b;
    if (op.kind === 'advance') now += op.us;
    else if (op.kind === 'allow') {
      const a = allow(b, now);
      if (before.mode === 'open' && now < (before.openUntilUs ?? 0)) expect(a.allowed).toBe(false);
      if (a.allowed) inFlight.push(a.generation);
      b = a.state;
    } else if (inFlight.length > 0) {
      const [generation] = inFlight.splice(op.pick % inFlight.length, 1);
      b = op.kind === 'success' ? onSuccess(b, now, generation) : onFailure(b, now, generation);
    }
    if (b.generation !== before.generation) {
      expect(b.generation).toBe(before.generation + 1);
      expect(b.lastChange).toMatchObject({ from: before.mode, to: b.mode, atUs: now });
      trialsThisHalfOpen = 0;
    }
    if (b.mode === 'half-open' && b.trialsAdmitted > before.trialsAdmitted) trialsThisHalfOpen++;
    expect(trialsThisHalfOpen).toBeLessThanOrEqual(b.config.halfOpenMaxCalls);
    expectValid(b);
  }
}

describe('circuit breaker properties', () => {
  it('over any sequence of calls, outcomes and time, the state stays valid, half-open admits at most halfOpenMaxCalls trials, open admits nothing early', () => {
    fc.assert(
      fc.property(configArb, fc.array(opArb, { minLength: 20, maxLength: 200 }), (config, ops) => runOps(config, ops)),
      { numRuns: 400 },
    );
  });

  it('the same, reporting outcomes without generations (callers that do not track them)', () => {
    fc.assert(
      fc.property(configArb, fc.array(opArb, { minLength: 20, maxLength: 200 }), (config, ops) => {
        let b = createBreaker(config);
        let now = 0;
        for (const op of ops) {
          if (op.kind === 'advance') now += op.us;
          else if (op.kind === 'allow') {
            const early = b.mode === 'open' && now < (b.openUntilUs ?? 0);
            const a = allow(b, now);
            if (early) expect(a.allowed).toBe(false);
            b = a.state;
          } else b = op.kind === 'success' ? onSuccess(b, now) : onFailure(b, now);
          expectValid(b);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: an open breaker always leaves open once its period is over, and a good service closes it', () => {
    fc.assert(
      fc.property(configArb, fc.integer({ min: 0, max: 10_000 }), (config, at) => {
        const b = calls(createBreaker({ ...config, consecutiveFailures: 1 }), at, 'F');
        expect(b.mode).toBe('open');
        let s = b;
        for (let i = 0; i < config.halfOpenSuccesses; i++) s = allow(s, at + config.openForUs).state;
        for (let i = 0; i < config.halfOpenSuccesses; i++) s = onSuccess(s, at + config.openForUs);
        expect(s.mode).toBe('closed');
      }),
      { numRuns: 200 },
    );
  });
});

describe('circuit breaker properties: the open period (sleep window)', () => {
  it('property: an open breaker rejects until its sleep window is over, then admits a half-open trial; a failed trial reopens it for a fresh window, after which it tries again', () => {
    fc.assert(
      fc.property(configArb, fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2_000 }), (config, at, reopenings, late) => {
        let b = calls(createBreaker({ ...config, consecutiveFailures: 1 }), at, 'F');
        let openedAt = at;
        for (let round = 0; round <= reopenings; round++) {
          expect(b.mode).toBe('open');
          expect(b.openUntilUs).toBe(openedAt + config.openForUs);
          if (config.openForUs > 1) expect(allow(b, openedAt + config.openForUs - 1).allowed).toBe(false); // still inside the window
          const trialAt = openedAt + config.openForUs + late;
          const trial = allow(b, trialAt);
          expect(trial.allowed).toBe(true);
          expect(trial.state.mode).toBe('half-open');
          expect(trial.state.lastChange).toMatchObject({ from: 'open', to: 'half-open', reason: 'open-period-over' });
          b = onFailure(trial.state, trialAt, trial.allowed ? trial.generation : undefined);
          expect(b.lastChange).toMatchObject({ from: 'half-open', to: 'open', reason: 'trial-failed', atUs: trialAt });
          openedAt = trialAt;
        }
      }),
      { numRuns: 300 },
    );
  });
});
