// Saga settings and their defaults, and the resilience policies built from them (protocols/
// patterns): the forward-step retry policy (a budget of stepAttempts attempts, then compensate),
// the compensation policy (the same backoff, never gives up), the circuit breaker per service
// (both trip rules: consecutive failures, and a failure rate over a window once a minimum of calls
// was seen) and the bulkhead per service (concurrent calls; over the limit a call is queued up to
// bulkheadQueue, else rejected). Business refusal rates: a payment is declined, stock is out, a
// shipment cannot be scheduled. Durations accept units ("200ms") or microseconds.
// Leaves out: per-service policies (every service gets the same ones).
import { z } from 'zod';
import { durationUs } from '../../sim/schemaHelpers.ts';
import { parseBreakerConfig, type BreakerConfig } from '../patterns/circuitBreakerConfig.ts';
import { parseRetryPolicy, type RetryPolicy } from '../patterns/retry.ts';
import type { StepIndex } from './types.ts';

const rate = (what: string) => z.number({ message: `expected ${what} between 0 and 1` }).min(0, `expected ${what} between 0 and 1`).max(1, `expected ${what} between 0 and 1`);
const whole = (what: string, min: number) => z.number({ message: `expected a whole number of ${what}` }).int(`expected a whole number of ${what}`).min(min, `expected at least ${min} ${what}`);

export const sagaConfigSchema = z
  .object({
    variant: z.enum(['orchestration', 'choreography'], { message: 'expected orchestration or choreography' }).default('orchestration'),
    paymentDecline: rate('a probability').default(0.1),
    outOfStock: rate('a probability').default(0.1),
    undeliverable: rate('a probability').default(0.05),
    attemptTimeout: durationUs.default(100_000),
    stepAttempts: whole('attempts', 1).max(1_000, 'expected at most 1000 attempts').default(4),
    retryBase: durationUs.default(10_000),
    retryMax: durationUs.default(200_000),
    breakerFailures: whole('failures (0 turns the rule off)', 0).default(5),
    breakerRate: rate('a failure rate (0 turns the rule off)').default(0.5),
    breakerWindow: whole('calls', 1).default(20),
    breakerMinimum: whole('calls', 1).default(10),
    breakerOpenFor: durationUs.default(1_000_000),
    breakerTrials: whole('calls', 1).default(1),
    bulkhead: whole('calls', 1).default(3),
    bulkheadQueue: whole('calls', 0).default(0),
  })
  .strict()
  .refine((c) => c.attemptTimeout > 0, { message: 'expected an attempt timeout above 0', path: ['attemptTimeout'] })
  .refine((c) => c.retryBase > 0, { message: 'expected a base delay above 0', path: ['retryBase'] })
  .refine((c) => c.retryMax >= c.retryBase, { message: 'expected retryMax of at least retryBase', path: ['retryMax'] })
  .refine((c) => c.breakerMinimum <= c.breakerWindow, { message: 'expected breakerMinimum of at most breakerWindow (the rate rule could never fire)', path: ['breakerMinimum'] })
  .refine((c) => c.breakerOpenFor > 0, { message: 'expected an open period above 0', path: ['breakerOpenFor'] });

export type SagaConfig = z.output<typeof sagaConfigSchema>;

export interface SagaPolicies {
  readonly forward: RetryPolicy;
  readonly compensation: RetryPolicy;
  readonly breaker: BreakerConfig;
  readonly bulkhead: { readonly maxConcurrent: number; readonly maxQueue: number };
}

export function policiesOf(cfg: SagaConfig): SagaPolicies {
  const backoff = { baseUs: cfg.retryBase, maxUs: cfg.retryMax, multiplier: 2, jitter: 'full' as const, attemptTimeoutUs: cfg.attemptTimeout };
  return {
    forward: parseRetryPolicy({ ...backoff, maxAttempts: cfg.stepAttempts }, 'saga step retry'),
    compensation: parseRetryPolicy({ ...backoff, maxAttempts: 'unlimited' }, 'saga compensation retry'),
    breaker: parseBreakerConfig({
      consecutiveFailures: cfg.breakerFailures === 0 ? null : cfg.breakerFailures,
      failureRate: cfg.breakerRate === 0 ? null : cfg.breakerRate,
      windowSize: cfg.breakerWindow,
      minimumRequests: cfg.breakerMinimum,
      openForUs: cfg.breakerOpenFor,
      halfOpenMaxCalls: cfg.breakerTrials,
      halfOpenSuccesses: cfg.breakerTrials,
    }, 'saga circuit breaker'),
    bulkhead: { maxConcurrent: cfg.bulkhead, maxQueue: cfg.bulkheadQueue },
  };
}

/** The probability that a step is refused for a business reason (the order step never is). */
export function refusalRate(cfg: SagaConfig, step: StepIndex): number {
  return [0, cfg.paymentDecline, cfg.outOfStock, cfg.undeliverable][step] ?? 0;
}

export const REFUSAL_REASON: readonly string[] = ['', 'payment declined', 'out of stock', 'address undeliverable'];
