import { describe, expect, it } from 'vitest';
import { chance, pick, randInt, SeedRng, shuffled, type Rng } from '../../sim/rng.ts';
import { constRng } from '../helpers.ts';

const draws = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.next());

describe('SeedRng', () => {
  it('gives the same draws for the same seed', () => {
    expect(draws(SeedRng.fromSeed(42), 20)).toEqual(draws(SeedRng.fromSeed(42), 20));
    expect(draws(SeedRng.fromSeed(42).fork('network'), 20)).toEqual(draws(SeedRng.fromSeed('42').fork('network'), 20));
  });

  it('gives different draws for different seeds', () => {
    expect(draws(SeedRng.fromSeed(1), 20)).not.toEqual(draws(SeedRng.fromSeed(2), 20));
  });

  it('draws uniformly in [0, 1)', () => {
    const xs = draws(SeedRng.fromSeed(7), 10_000);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.47);
    expect(mean).toBeLessThan(0.53);
  });

  it("fork('network') and fork('node:3') are independent streams", () => {
    const reference = draws(SeedRng.fromSeed(9).fork('node:3'), 50);

    const root = SeedRng.fromSeed(9);
    const network = root.fork('network');
    const node3 = root.fork('node:3');
    draws(network, 1_000); // heavy use of one stream...
    draws(root, 100); // ...and of the parent...
    expect(draws(node3, 50)).toEqual(reference); // ...does not move the other

    expect(draws(SeedRng.fromSeed(9).fork('network'), 50)).not.toEqual(reference);
  });

  it('forking the same name twice repeats the stream; nested forks differ from their parent', () => {
    const root = SeedRng.fromSeed(3);
    expect(draws(root.fork('faults'), 10)).toEqual(draws(root.fork('faults'), 10));
    expect(draws(root.fork('faults').fork('x'), 10)).not.toEqual(draws(root.fork('faults'), 10));
  });
});

describe('draw helpers', () => {
  it('chance: p=0 never, p=1 always, a draw of 0 is the quiet choice (false)', () => {
    const rng = SeedRng.fromSeed(5);
    const zeros = Array.from({ length: 1_000 }, () => chance(rng, 0));
    const ones = Array.from({ length: 1_000 }, () => chance(rng, 1));
    expect(zeros.some(Boolean)).toBe(false);
    expect(ones.every(Boolean)).toBe(true);
    expect(chance(constRng(0), 0.99)).toBe(false);
    expect(chance(constRng(0), 1)).toBe(true); // p=1 holds even on the quiet draw
    expect(chance(constRng(0.999999), 0)).toBe(false);
    expect(chance(constRng(0.999), 0.01)).toBe(true);
  });

  it('chance: frequency follows p', () => {
    const rng = SeedRng.fromSeed(6);
    let hits = 0;
    for (let i = 0; i < 20_000; i++) if (chance(rng, 0.3)) hits++;
    expect(hits / 20_000).toBeGreaterThan(0.28);
    expect(hits / 20_000).toBeLessThan(0.32);
  });

  it('randInt stays in [min, max] inclusive and reaches both ends', () => {
    const rng = SeedRng.fromSeed(11);
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const v = randInt(rng, -3, 4);
      expect(Number.isInteger(v)).toBe(true);
      seen.add(v);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3, 4]);
    expect(randInt(constRng(0), 10, 20)).toBe(10);
    expect(randInt(constRng(0.999999), 10, 20)).toBe(20);
  });

  it('pick returns every element sometimes, the first on a draw of 0, and rejects an empty list', () => {
    const rng = SeedRng.fromSeed(12);
    const items = ['a', 'b', 'c'];
    const seen = new Set(Array.from({ length: 300 }, () => pick(rng, items)));
    expect([...seen].sort()).toEqual(items);
    expect(pick(constRng(0), items)).toBe('a');
    expect(() => pick(rng, [])).toThrow(/empty/);
  });

  it('shuffled is a seeded permutation that leaves its input alone', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const a = shuffled(SeedRng.fromSeed(1), items);
    const b = shuffled(SeedRng.fromSeed(1), items);
    const c = shuffled(SeedRng.fromSeed(2), items);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(items);
    expect([...a].sort((x, y) => x - y)).toEqual(items);
    expect(items).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
