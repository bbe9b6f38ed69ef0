// Seeded randomness with named sub-streams (DESIGN.md section 3). Every draw in the simulated world
// goes through an Rng; fork(name) gives an independent stream so a new draw in one place cannot
// reshuffle another. The default source is seedrandom's Alea generator seeded with "<seed>/<path>".
// Convention shared with tape-backed Rngs: a draw of 0 is the "quiet" choice (no loss, minimum
// delay, first element), so a tape of zeros is the simplest schedule and shrinking moves toward it.
import seedrandom from 'seedrandom';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Independent stream named `name` below this one. Forking the same name twice repeats it. */
  fork(name: string): Rng;
}

/** Integer in [min, max], both inclusive. */
export function randInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng.next() * (max - min + 1));
}

/** True with probability p; a draw of 0 gives false (the quiet choice). */
export function chance(rng: Rng, p: number): boolean {
  return p > 0 && rng.next() >= 1 - p;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick: empty list');
  return items[Math.floor(rng.next() * items.length)] as T;
}

/** A new array in seeded random order (Fisher-Yates). */
export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

export class SeedRng implements Rng {
  private readonly draw: () => number;

  constructor(readonly path: string) {
    this.draw = seedrandom.alea(path);
  }

  static fromSeed(seed: number | string): SeedRng {
    return new SeedRng(String(seed));
  }

  next(): number {
    return this.draw();
  }

  fork(name: string): Rng {
    return new SeedRng(`${this.path}/${name}`);
  }
}
