// Which runs a sweep (or one shard of it) explores, and the fast-check seed of each run. Run ids
// are 0, 1, 2, ...; shard i of n takes the ids congruent to i - 1 modulo n, in order, so n shards
// split one sweep with no overlap and no gap, whether the sweep is bounded by a run count or by
// time (a shard that runs longer simply reaches further along its own ids). A run's schedule
// depends only on the sweep seed and its id, never on the shard, the worker or the order of runs.
// Leaves out: load balancing between shards (ids interleave, so shards see similar mixes).
import { InputError } from '../schemaHelpers.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export const WHOLE: Shard = { index: 1, count: 1 };

/** "2/8": shard 2 of 8. */
export function parseShard(text: string, flag = '--shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new InputError(`${flag}: expected i/n with 1 <= i <= n, like 2/8; got ${JSON.stringify(text)}`);
  }
  return { index, count };
}

/** The k-th run id (k = 0, 1, ...) of a shard. */
export function shardRunId(shard: Shard, k: number): number {
  return shard.index - 1 + shard.count * k;
}

/** How many of the sweep's run ids 0..total-1 belong to the shard. */
export function shardSize(shard: Shard, total: number): number {
  return Math.max(0, Math.ceil((total - (shard.index - 1)) / shard.count));
}

/** The shard's run ids among 0..total-1, in order. */
export function shardRunIds(shard: Shard, total: number): number[] {
  return Array.from({ length: shardSize(shard, total) }, (_, k) => shardRunId(shard, k));
}

/** The fast-check seed of run `id` in the sweep with seed `sweepSeed` (a 32-bit integer mix). */
export function runSeed(sweepSeed: number, id: number): number {
  let h = Math.imul(sweepSeed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(id + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h | 0;
}
