// Two-phase commit parameters and their defaults:
//   coordinator     n1     the coordinator; every other node is a participant
//   prepareTimeout  5s     the coordinator aborts a transaction whose votes are not all in by then
//                          (the design notes' 5 s coordinator timeout), and sends GlobalAbort
//   resend          500ms  first resend of Prepare to participants that have not voted, and of
//                          GlobalCommit to those that have not acked; doubles up to 4x
//   askAfter        1s     a prepared (uncertain) participant first asks for the decision this long
//                          after voting yes (DecisionRequest), then again with backoff up to 4x
//   termination     true   the cooperative termination protocol: an uncertain participant asks the
//                          other participants too; one that knows the outcome, or has not voted
//                          (and then aborts), answers
//   refuse          0.02   probability that a participant votes no for a business reason (a
//                          failed check), besides lock conflicts
// Durations accept units ("5s") or microseconds.
import { z } from 'zod';
import { durationUs, nodeRef } from '../../sim/schemaHelpers.ts';

const positive = (what: string) => durationUs.refine((us) => us > 0, { message: `expected ${what} above 0` });

export const tpcConfigSchema = z
  .object({
    coordinator: nodeRef.default(1),
    prepareTimeout: positive('a prepare timeout').default(5_000_000),
    resend: positive('a resend interval').default(500_000),
    askAfter: positive('an ask delay').default(1_000_000),
    termination: z.boolean({ message: 'expected true or false' }).default(true),
    refuse: z.number({ message: 'expected a probability' }).min(0, 'expected a probability between 0 and 1').max(1, 'expected a probability between 0 and 1').default(0.02),
  })
  .strict();

export type TpcConfig = z.output<typeof tpcConfigSchema>;

/** Resends and asks back off by doubling up to this many times their first delay. */
export const BACKOFF_CAP = 4;

/** Failed disk writes are retried after 10 ms, doubling up to 500 ms. */
export const REWRITE_BASE_US = 10_000;
export const REWRITE_MAX_US = 500_000;
