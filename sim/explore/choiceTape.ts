// A tape of choices that overrides the first draws of a run's random streams. The stream at fork
// path P (for example "/network" or "/node:2") draws its i-th value from tape[P][i] when the tape
// has one and from the run's own seeded stream otherwise; the seeded stream advances on every draw
// either way, so an entry replaces exactly one draw and an empty tape is exactly the plain seeded
// run (`faultlab run --seed`). A value of 0 is the quiet choice (no loss, the shortest delay, the
// first option; see rng.ts), so fast-check, which shrinks tape values toward 0 and tapes toward
// empty, simplifies the schedule while every run stays deterministic.
// Unlike TapeRng (tapeRng.ts), whose fallback is a stream of its own, the fallback here is the
// seed's stream itself. Leaves out: recording (RecordingRng does that).
import { z } from 'zod';
import { SeedRng, type Rng } from '../rng.ts';

export type ChoiceTape = Record<string, number[]>;

export const choiceTapeSchema = z.record(
  z.string().regex(/^(\/[^/]+)+$/, 'expected a fork path like "/network"'),
  z.array(z.number().min(0).lt(1, 'expected a choice in [0, 1)')),
);

export class ChoiceTapeRng implements Rng {
  private cursor = 0;
  private readonly seeded: Rng;
  private readonly tape: readonly number[] | undefined;

  constructor(
    private readonly tapes: Readonly<ChoiceTape>,
    private readonly seed: number,
    private readonly path = '',
  ) {
    this.seeded = path === '' ? SeedRng.fromSeed(seed) : new SeedRng(`${seed}${path}`);
    this.tape = tapes[path];
  }

  next(): number {
    const seeded = this.seeded.next();
    const tape = this.tape;
    if (tape === undefined || this.cursor >= tape.length) return seeded;
    return tape[this.cursor++] as number;
  }

  fork(name: string): Rng {
    return new ChoiceTapeRng(this.tapes, this.seed, `${this.path}/${name}`);
  }
}

/** The tape without empty streams, streams sorted by path: the form a repro stores. */
export function compactTape(tape: Readonly<ChoiceTape>): ChoiceTape {
  const out: ChoiceTape = {};
  for (const path of Object.keys(tape).sort()) {
    const values = tape[path] as number[];
    if (values.length > 0) out[path] = [...values];
  }
  return out;
}

/** How many choices the tape holds. */
export function tapeLength(tape: Readonly<ChoiceTape>): number {
  let n = 0;
  for (const values of Object.values(tape)) n += values.length;
  return n;
}
