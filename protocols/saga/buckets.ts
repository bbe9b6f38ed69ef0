// Per-saga records as a small tree of plain JSON arrays: a root of up to 32 branches, each of up
// to 32 leaves of 32 slots (an empty slot is null), indexed by saga id; ids beyond 32,768 go on in
// further roots. A run holds thousands of sagas: with one flat object every change would copy all
// of them (copy-on-write state), while here a change copies one path of three short arrays. Saga
// ids are client request ids, which grow over a run, so old leaves stop changing. The copies are
// frozen here, so the step's freeze (copyOnWrite.ts) need not walk the tree. Leaves out: evicting
// old sagas (a late duplicate must still find its saga's record).
import { freezeNew } from '../shared/copyOnWrite.ts';
import { freeze } from '../../sim/freezing.ts';

type Leaf<T> = readonly (T | null)[];
type Branch<T> = readonly (Leaf<T> | null)[];
export type Buckets<T> = readonly (Branch<T> | null)[];

const FAN = 32;

const path = (id: number): [number, number, number] => [Math.floor(id / (FAN * FAN)), Math.floor(id / FAN) % FAN, id % FAN];

export function getIn<T>(buckets: Buckets<T>, id: number): T | undefined {
  const [a, b, c] = path(id);
  return buckets[a]?.[b]?.[c] ?? undefined;
}

/** `list` with `value` at `i` (padding with null), frozen. Spread, not slice(): in V8, slice() of a frozen array is some 50 times slower. */
function withAt<X>(list: readonly (X | null)[] | null | undefined, i: number, value: X): readonly (X | null)[] {
  const out = list ? [...list] : [];
  while (out.length < i) out.push(null);
  out[i] = value;
  return freeze(out);
}

/** A copy with `id` set to `value`; only the path to it is copied. */
export function putIn<T>(buckets: Buckets<T>, id: number, value: T): Buckets<T> {
  const [a, b, c] = path(id);
  freezeNew(value);
  const branch = buckets[a];
  return withAt(buckets, a, withAt(branch, b, withAt(branch?.[b], c, value)));
}

/** Every (id, value), in ascending id order. */
export function entriesOf<T>(buckets: Buckets<T>): [number, T][] {
  const out: [number, T][] = [];
  buckets.forEach((branch, a) => branch?.forEach((leaf, b) => leaf?.forEach((value, c) => value !== null && out.push([(a * FAN + b) * FAN + c, value]))));
  return out;
}
