// Retry with capped exponential backoff and seeded jitter (the design notes' retry, 001 and 002
// §4.3, done right). The exponential delay is base * multiplier^n capped at maxUs, and jitter is
// applied within the cap, never on top of it (the notes' version could overshoot by 10%). The three
// jitter modes follow the AWS Architecture Blog, "Exponential Backoff And Jitter":
//  - full:         uniform in [0, exp]
//  - equal:        exp/2 + uniform in [0, exp/2]
//  - decorrelated: min(max, uniform in [base, previous * 3])  (the multiplier does not apply)
//  - none:         exp, with no draw
// where exp = min(maxUs, baseUs * multiplier^n). Delays are whole microseconds. Every draw comes
// from the Rng passed in, so the same seed gives the same delays. Pure: state is plain JSON.
// Leaves out: classifying errors as retryable (the caller decides whether to call
// onAttemptFailed at all, and should retry only idempotent operations) and an overall deadline
// across attempts (see timeout.ts for per-attempt deadlines).
import { z } from 'zod';
import { randInt, type Rng } from '../../sim/rng.ts';
import { durationUs, InputError, zodErrorLine } from '../../sim/schemaHelpers.ts';
import { deadlineFor } from './timeout.ts';

export type Jitter = 'full' | 'equal' | 'decorrelated' | 'none';

const positiveDuration = (what: string) => durationUs.refine((us) => us > 0, { message: `expected ${what} above 0` });

/** "unlimited", Infinity or a whole number of attempts (the first one included), at least 1. */
const attempts = z.custom<number | 'unlimited'>(() => true).transform((v, ctx) => {
  if (v === 'unlimited' || v === Infinity) return Infinity;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1) return v;
  ctx.addIssue({ code: 'custom', message: `expected a whole number of attempts of at least 1, or "unlimited"; got ${JSON.stringify(v) ?? 'nothing'}` });
  return z.NEVER;
});

export const retryPolicySchema = z
  .object({
    /** Delay scale: the first retry waits up to baseUs (decorrelated: at least baseUs). */
    baseUs: positiveDuration('a base delay'),
    /** Cap on every delay, jitter included. */
    maxUs: durationUs,
    /** Growth per retry of the exponential delay. */
    multiplier: z.number({ message: 'expected a number' }).min(1, 'expected a multiplier of at least 1').max(1_000, 'expected a multiplier of at most 1000').default(2),
    jitter: z.enum(['full', 'equal', 'decorrelated', 'none'], { message: 'expected one of "full", "equal", "decorrelated", "none"' }).default('full'),
    /** Attempts in all, the first one included; 1 means never retry. */
    maxAttempts: attempts,
    /** How long one attempt may take before the caller treats it as failed. */
    attemptTimeoutUs: positiveDuration('an attempt timeout'),
  })
  .strict()
  .refine((p) => p.maxUs >= p.baseUs, { message: 'expected a maximum delay at least as long as the base delay', path: ['maxUs'] });

export type RetryPolicyInput = z.input<typeof retryPolicySchema>;
export type RetryPolicy = z.output<typeof retryPolicySchema>;

/** A validated policy; throws an InputError naming the field, e.g. "retry policy: maxUs: ...". */
export function parseRetryPolicy(input: unknown, what = 'retry policy'): RetryPolicy {
  const parsed = retryPolicySchema.safeParse(input);
  if (!parsed.success) throw new InputError(zodErrorLine(what, parsed.error));
  return parsed.data;
}

/**
 * min(maxUs, baseUs * multiplier^retry), by repeated multiplication (exact and the same in every
 * engine, unlike Math.pow), stopping once the cap is reached.
 */
export function exponentialUs(policy: RetryPolicy, retry: number): number {
  let delay = policy.baseUs;
  for (let i = 0; i < retry && delay < policy.maxUs && policy.multiplier > 1; i++) delay *= policy.multiplier;
  return Math.min(policy.maxUs, Math.floor(delay));
}

/**
 * The delay before retry number `retry` (0 for the first retry, after the first failed attempt).
 * `previousUs` is the delay drawn last time; only decorrelated jitter uses it (baseUs if absent).
 */
export function backoffUs(policy: RetryPolicy, retry: number, rng: Rng, previousUs?: number): number {
  if (!Number.isSafeInteger(retry) || retry < 0) throw new Error(`backoffUs: expected a retry number of at least 0; got ${retry}`);
  const exp = exponentialUs(policy, retry);
  switch (policy.jitter) {
    case 'none':
      return exp;
    case 'full':
      return randInt(rng, 0, exp);
    case 'equal': {
      const half = Math.floor(exp / 2);
      return half + randInt(rng, 0, exp - half);
    }
    case 'decorrelated': {
      const previous = Math.max(policy.baseUs, previousUs ?? policy.baseUs);
      return Math.min(policy.maxUs, randInt(rng, policy.baseUs, previous * 3));
    }
  }
}

/** Where a retried operation stands. Plain JSON. */
export interface RetryState {
  /** The attempt in flight or scheduled, counting from 1. */
  readonly attempt: number;
  /** When the scheduled retry is due; absent while the first attempt runs. */
  readonly nextAtUs?: number;
  /** The last delay drawn (decorrelated jitter grows from it). */
  readonly lastBackoffUs?: number;
}

export type RetryDecision =
  | { readonly state: RetryState; readonly retryAtUs: number; readonly giveUp?: never }
  | { readonly state: RetryState; readonly giveUp: true; readonly retryAtUs?: never };

/** The state as the first attempt starts. */
export function startRetry(): RetryState {
  return { attempt: 1 };
}

/** The absolute deadline of an attempt starting at `nowUs`. */
export function attemptDeadlineUs(policy: RetryPolicy, nowUs: number): number {
  return deadlineFor(nowUs, policy.attemptTimeoutUs);
}

/**
 * The current attempt failed at `nowUs` (an error, or its deadline passed). Either the next attempt
 * is scheduled at retryAtUs, or, once maxAttempts attempts have been made, the caller gives up.
 */
export function onAttemptFailed(policy: RetryPolicy, state: RetryState, nowUs: number, rng: Rng): RetryDecision {
  if (state.attempt >= policy.maxAttempts) {
    const done: RetryState = { attempt: state.attempt };
    return { state: state.lastBackoffUs === undefined ? done : { ...done, lastBackoffUs: state.lastBackoffUs }, giveUp: true };
  }
  const delay = backoffUs(policy, state.attempt - 1, rng, state.lastBackoffUs);
  const retryAtUs = nowUs + delay;
  return { state: { attempt: state.attempt + 1, nextAtUs: retryAtUs, lastBackoffUs: delay }, retryAtUs };
}
