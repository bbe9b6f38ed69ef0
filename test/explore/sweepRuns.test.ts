// Shards split a sweep with no overlap and no gap; run seeds depend only on (sweep seed, run id);
// --shard text is checked with an error that names the flag.
import { describe, expect, it } from 'vitest';
import { parseShard, runSeed, shardRunId, shardRunIds, shardSize } from '../../sim/explore/sweepRuns.ts';

describe('shards', () => {
  it.each([[1, 10], [3, 10], [4, 1000], [7, 5], [16, 999]])('%i shards of %i runs: pairwise disjoint, their union is the whole sweep', (n, total) => {
    const whole = shardRunIds({ index: 1, count: 1 }, total);
    expect(whole).toEqual(Array.from({ length: total }, (_, i) => i));
    const parts = Array.from({ length: n }, (_, i) => shardRunIds({ index: i + 1, count: n }, total));
    const union = parts.flat().sort((a, b) => a - b);
    expect(union).toEqual(whole);
    expect(new Set(parts.flat()).size).toBe(parts.flat().length);
    parts.forEach((p, i) => expect(p.length).toBe(shardSize({ index: i + 1, count: n }, total)));
  });

  it('a time-bounded shard walks its own ids, so shards never meet however long they run', () => {
    const a = Array.from({ length: 500 }, (_, k) => shardRunId({ index: 1, count: 3 }, k));
    const b = Array.from({ length: 700 }, (_, k) => shardRunId({ index: 2, count: 3 }, k));
    expect(a.filter((id) => b.includes(id))).toEqual([]);
  });

  it('parses i/n and rejects everything else naming --shard', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '2', '-1/3', '1.5/3']) expect(() => parseShard(bad)).toThrow(/^--shard: expected i\/n with 1 <= i <= n/);
  });

  it('run seeds are a fixed function of (sweep seed, run id), and spread out', () => {
    expect(runSeed(1, 0)).toBe(runSeed(1, 0));
    const seeds = new Set<number>();
    for (let sweep = 0; sweep < 20; sweep++) for (let id = 0; id < 200; id++) seeds.add(runSeed(sweep, id));
    expect(seeds.size).toBe(4000);
  });
});
