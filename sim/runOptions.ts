// The complete, resolved options of a run: everything besides the fault plan that decides what
// happens, in machine form (microseconds, node numbers). A trace header stores them, so a run can
// be replayed from its trace alone; the schema here validates them on load.
// Leaves out: user-facing parsing of flags (sim/cli/) and protocol configs (each protocol's schema).
import { z } from 'zod';
import type { NetworkOptions } from './network.ts';

export interface RunOptions {
  protocol: string;
  seed: number;
  nodes: number;
  /** Length of the fault phase; faults happen only inside it. */
  faultPhaseUs: number;
  /** Length of the heal phase that follows; faults stop and eventually-checks must hold. */
  healUs: number;
  network: NetworkOptions;
  storage: { latencyUs: number };
  /** `ops`: the most operations each client invokes (absent: no limit; absent from older traces). */
  clients: { count: number; timeoutUs: number; thinkUs: number; ops?: number };
  config: Record<string, unknown>;
  bug: string | null;
  limits: { maxEvents: number; maxVirtualUs: number };
}

export const MAX_NODES = 1000;
/** The largest per-client operation budget (clients.ops) a run takes. */
export const MAX_CLIENT_OPS = 1_000_000_000;

const us = z.number().int().nonnegative();
const latencySchema = z.discriminatedUnion('dist', [
  z.object({ dist: z.literal('uniform'), minUs: us, maxUs: us }).strict(),
  z.object({ dist: z.literal('pareto'), minUs: us.min(1), maxUs: us, alpha: z.number().positive() }).strict(),
]).refine((d) => d.maxUs >= d.minUs, 'expected maxUs >= minUs');
const p = z.number().min(0).max(1);
const linkFields = { latency: latencySchema, loss: p, duplicate: p, ordering: z.enum(['fifo', 'unordered']) };

export const runOptionsSchema = z.object({
  protocol: z.string().min(1),
  seed: z.number().int().nonnegative(),
  nodes: z.number().int().min(1).max(MAX_NODES),
  faultPhaseUs: us,
  healUs: us,
  network: z.object({
    ...linkFields,
    links: z.array(z.object({ from: z.number().int().min(1), to: z.number().int().min(1), ...linkFields }).partial({ latency: true, loss: true, duplicate: true, ordering: true }).strict()),
  }).strict(),
  storage: z.object({ latencyUs: us }).strict(),
  clients: z.object({ count: z.number().int().nonnegative(), timeoutUs: us.min(1), thinkUs: us, ops: z.number().int().min(1).max(MAX_CLIENT_OPS).optional() }).strict(),
  config: z.record(z.string(), z.unknown()),
  bug: z.string().nullable(),
  limits: z.object({ maxEvents: z.number().int().positive(), maxVirtualUs: us.min(1) }).strict(),
}).strict();

export const DEFAULT_NETWORK: NetworkOptions = {
  latency: { dist: 'uniform', minUs: 1_000, maxUs: 10_000 },
  loss: 0,
  duplicate: 0,
  ordering: 'unordered',
  links: [],
};

export const DEFAULT_LIMITS = { maxEvents: 50_000_000, maxVirtualUs: 3_600_000_000 };
