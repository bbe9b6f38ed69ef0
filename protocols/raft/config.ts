// Raft parameters and their defaults: election timeouts drawn from [electionMin, electionMax]
// (150-300 ms, as in the design notes and the Raft paper), leader heartbeats every 50 ms. Pre-vote
// and check-quorum (Raft thesis 9.6 and 6.2) are off by default: they change what a partition
// does, and the lessons show both. Reads go through a read index confirmed by a quorum, or (`log`)
// through the log like writes. Durations accept units ("150ms") or microseconds.
import { z } from 'zod';
import { durationUs } from '../../sim/schemaHelpers.ts';

export const raftConfigSchema = z
  .object({
    electionMin: durationUs.default(150_000),
    electionMax: durationUs.default(300_000),
    heartbeat: durationUs.default(50_000),
    preVote: z.boolean().default(false),
    checkQuorum: z.boolean().default(false),
    reads: z.enum(['read-index', 'log']).default('read-index'),
    maxBatch: z.number().int('expected a whole number of entries').min(1).max(10_000).default(64),
  })
  .strict()
  .refine((c) => c.electionMin >= 1 && c.electionMax >= c.electionMin, { message: 'expected 1us <= electionMin <= electionMax', path: ['electionMax'] })
  .refine((c) => c.heartbeat >= 1 && c.heartbeat < c.electionMin, { message: 'expected a heartbeat above 0 and below electionMin', path: ['heartbeat'] });

export type RaftConfig = z.output<typeof raftConfigSchema>;
