// SWIM parameters and their defaults. The defaults follow HashiCorp memberlist's LAN profile
// (probe timeout T/2 there; k = 3; suspicion and retransmit multipliers 4), with a shorter period
// so that simulated runs stay short:
//   period T        500ms  one probe per member per period
//   pingTimeout     200ms  wait for a direct Ack before asking k members to probe indirectly
//   k               3      members asked to probe indirectly (PingReq)
//   suspicionMult   4      suspicion timeout = suspicionMult x max(1, log10 n) x T
//   lambda          4      each update is piggybacked lambda x ceil(log10(n + 1)) times
//   piggyback       6      at most this many updates ride on one message
//   sync            5s     push-pull anti-entropy with one live member, and one reconnect attempt
//                          to one Dead member (Serf's reconnect), every sync interval; above 32
//                          members the interval grows as memberlist's does (x ceil(log2 n - 5) + 1)
//   seeds           n1..n3 the members a new node joins through (default: the first three)
// Durations accept units ("500ms") or microseconds.
import { z } from 'zod';
import { durationUs, nodeRef } from '../../sim/schemaHelpers.ts';

/** "n1,n2", "1,2", 3 or ["n1", 2]: the seed members, as node numbers. */
const seedList = z
  .union([z.number(), z.string(), z.array(z.union([z.number(), z.string()]))])
  .transform((v) => (Array.isArray(v) ? v : typeof v === 'number' ? [v] : v.split(',').map((s) => s.trim())))
  .pipe(z.array(nodeRef).min(1, 'expected at least one seed member'));

export const swimConfigSchema = z
  .object({
    period: durationUs.default(500_000),
    pingTimeout: durationUs.default(200_000),
    k: z.number().int('expected a whole number of indirect probers').min(0).max(16).default(3),
    suspicionMult: z.number().positive('expected a positive suspicion multiplier').max(100).default(4),
    lambda: z.number().positive('expected a positive retransmit multiplier').max(100).default(4),
    piggyback: z.number().int('expected a whole number of updates').min(1).max(64).default(6),
    sync: durationUs.default(5_000_000),
    seeds: seedList.optional(),
  })
  .strict()
  .refine((c) => c.period >= 2, { message: 'expected a period of at least 2us', path: ['period'] })
  .refine((c) => c.pingTimeout >= 1 && c.pingTimeout < c.period, { message: 'expected a ping timeout above 0 and below the period', path: ['pingTimeout'] })
  .refine((c) => c.sync >= c.period, { message: 'expected a sync interval of at least one period', path: ['sync'] });

export type SwimConfig = z.output<typeof swimConfigSchema>;

/** The seed members of a cluster of n nodes. */
export function seedsOf(config: SwimConfig, nodes: number): number[] {
  return config.seeds ? [...new Set(config.seeds)].sort((a, b) => a - b) : Array.from({ length: Math.min(3, nodes) }, (_, i) => i + 1);
}

export function suspicionTimeoutUs(config: SwimConfig, nodes: number): number {
  return Math.round(config.suspicionMult * Math.max(1, Math.log10(nodes)) * config.period);
}

/** The push-pull interval for n members: `sync`, scaled up above 32 members (memberlist's rule). */
export function syncIntervalUs(config: SwimConfig, nodes: number): number {
  return nodes <= 32 ? config.sync : config.sync * (Math.ceil(Math.log2(nodes) - 5) + 1);
}

export function retransmitLimit(config: SwimConfig, nodes: number): number {
  return Math.max(1, Math.ceil(config.lambda * Math.ceil(Math.log10(nodes + 1))));
}
