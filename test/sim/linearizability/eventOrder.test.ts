// The order of a history's call and return events (eventList.ts): the packed-key sort must give
// exactly the comparator's order (time, calls before returns, then by operation), with returns
// that never came last, and must stand aside (the comparator sort then) for times it cannot pack.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packedOrder, sortedEvents } from '../../../sim/linearizability/eventList.ts';
import type { Operation } from '../../../sim/linearizability/operation.ts';

type Op = Operation<unknown, unknown>;

function reference(ops: readonly Op[]): number[] {
  const time = (e: number): number => (e & 1 ? (ops[e >> 1] as Op).returnUs : (ops[e >> 1] as Op).callUs);
  return Array.from({ length: 2 * ops.length }, (_, e) => e).sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1) || a - b);
}

const timesOf = (ops: readonly Op[]): Float64Array => Float64Array.from(ops.flatMap((o) => [o.callUs, o.returnUs]));

const opArb = (maxTime: number): fc.Arbitrary<Op> =>
  fc.record({ call: fc.integer({ min: 0, max: maxTime }), length: fc.integer({ min: 0, max: 5 }), never: fc.boolean() }).map(({ call, length, never }) => ({
    id: call, client: 1, input: null, output: null, callUs: call, returnUs: never ? Infinity : call + length,
  }));

describe('the order of call and return events', () => {
  it('packs whole-number times and orders them as the comparator does (ties: calls first, then by op; missing returns last)', () => {
    fc.assert(fc.property(fc.array(opArb(20), { maxLength: 60 }), (ops) => {
      expect(packedOrder(timesOf(ops))).toBeDefined();
      expect(sortedEvents(ops)).toEqual(reference(ops));
    }));
  });

  it.each<[string, Op[]]>([
    ['fractional times', [{ id: 1, client: 1, input: null, output: null, callUs: 0.5, returnUs: 2 }, { id: 2, client: 1, input: null, output: null, callUs: 0.25, returnUs: 1 }]],
    ['times too large to pack', [{ id: 1, client: 1, input: null, output: null, callUs: 2 ** 52, returnUs: 2 ** 52 + 2 }, { id: 2, client: 1, input: null, output: null, callUs: 2 ** 52, returnUs: 2 ** 52 + 1 }]],
    ['negative times', [{ id: 1, client: 1, input: null, output: null, callUs: -5, returnUs: 3 }, { id: 2, client: 1, input: null, output: null, callUs: -7, returnUs: -6 }]],
  ])('falls back to the comparator for %s, with the same order', (_what, ops) => {
    expect(packedOrder(timesOf(ops))).toBeUndefined();
    expect(sortedEvents(ops)).toEqual(reference(ops));
  });
});
