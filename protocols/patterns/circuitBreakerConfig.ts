// Circuit breaker settings and their validation. Two trip rules, each optional: N consecutive
// failures (design notes 001 and 003), and a failure rate at or above a threshold over the last W
// calls once at least minimumRequests of them were seen (002 §9.2, Hystrix-like). Durations accept
// units ("5s") or microseconds. Leaves out: time-based (rather than count-based) windows and slow-
// call rules.
import { z } from 'zod';
import { durationUs, InputError, zodErrorLine } from '../../sim/schemaHelpers.ts';

const count = (what: string) =>
  z.number({ message: `expected a whole number of ${what}` }).int(`expected a whole number of ${what}`).min(1, `expected at least 1 ${what.replace(/s$/, '')}`);

export const breakerConfigSchema = z
  .object({
    /** Trip after this many failures in a row; null turns the rule off. */
    consecutiveFailures: count('failures').nullable().default(5),
    /** Trip when failures / calls in the window reach this rate; null turns the rule off. */
    failureRate: z
      .number({ message: 'expected a failure rate between 0 and 1' })
      .gt(0, 'expected a failure rate above 0 and at most 1')
      .max(1, 'expected a failure rate above 0 and at most 1')
      .nullable()
      .default(0.5),
    /** W: the rate rule looks at the outcomes of the last W calls made while closed. */
    windowSize: count('calls').default(20),
    /** The rate rule holds off until the window has seen at least this many calls. */
    minimumRequests: count('calls').default(10),
    /** How long the breaker stays open (rejecting every call) before it tries again. */
    openForUs: durationUs.refine((us) => us > 0, { message: 'expected an open period above 0' }).default(1_000_000),
    /** Trial calls admitted while half-open. */
    halfOpenMaxCalls: count('calls').default(1),
    /** Successful trials needed to close again (any failed trial reopens). */
    halfOpenSuccesses: count('successes').default(1),
  })
  .strict()
  .refine((c) => c.minimumRequests <= c.windowSize, {
    message: 'expected minimumRequests of at most windowSize (the rate rule could never fire)',
    path: ['minimumRequests'],
  })
  .refine((c) => c.halfOpenSuccesses <= c.halfOpenMaxCalls, {
    message: 'expected halfOpenSuccesses of at most halfOpenMaxCalls (the breaker could never close)',
    path: ['halfOpenSuccesses'],
  });

export type BreakerConfigInput = z.input<typeof breakerConfigSchema>;
export type BreakerConfig = z.output<typeof breakerConfigSchema>;

/** A validated config; throws an InputError naming the field, e.g. "circuit breaker: windowSize: ...". */
export function parseBreakerConfig(input: unknown, what = 'circuit breaker'): BreakerConfig {
  const parsed = breakerConfigSchema.safeParse(input ?? {});
  if (!parsed.success) throw new InputError(zodErrorLine(what, parsed.error));
  return parsed.data;
}
