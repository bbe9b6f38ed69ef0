// Heartbeat detector parameters and their defaults (the design notes' test values: a 100 ms
// interval and a 300 ms timeout). Durations accept units ("100ms") or microseconds.
import { z } from 'zod';
import { durationUs } from '../../sim/schemaHelpers.ts';

export const heartbeatConfigSchema = z
  .object({
    /** How often every node sends a Heartbeat to every peer. */
    interval: durationUs.default(100_000),
    /** Silence after which a peer is Failed; it is Suspect after half of it. */
    timeout: durationUs.default(300_000),
  })
  .strict()
  .refine((c) => c.interval > 0, { message: 'expected an interval above 0', path: ['interval'] })
  .refine((c) => c.timeout >= 2, { message: 'expected a timeout of at least 2us', path: ['timeout'] });

export type HeartbeatConfig = z.output<typeof heartbeatConfigSchema>;
