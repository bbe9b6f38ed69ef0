import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../sim/eventQueue.ts';

function drain<T>(q: EventQueue<T>): T[] {
  const out: T[] = [];
  while (q.size > 0) out.push(q.pop() as T);
  return out;
}

describe('EventQueue', () => {
  it('pops in time order', () => {
    const q = new EventQueue<string>();
    q.push(30, 'c');
    q.push(10, 'a');
    q.push(20, 'b');
    expect(q.peekTime()).toBe(10);
    expect(drain(q)).toEqual(['a', 'b', 'c']);
  });

  it('pops items with equal times in push order', () => {
    const q = new EventQueue<number>();
    for (let i = 0; i < 50; i++) q.push(7, i);
    q.push(3, -1);
    expect(drain(q)).toEqual([-1, ...Array.from({ length: 50 }, (_, i) => i)]);
  });

  it('keeps push order for ties even when pushes interleave with pops', () => {
    const q = new EventQueue<string>();
    q.push(5, 'first');
    q.push(1, 'early');
    expect(q.pop()).toBe('early');
    q.push(5, 'second');
    q.push(5, 'third');
    expect(drain(q)).toEqual(['first', 'second', 'third']);
  });

  it('reports empty as Infinity and undefined', () => {
    const q = new EventQueue<number>();
    expect(q.size).toBe(0);
    expect(q.peekTime()).toBe(Infinity);
    expect(q.pop()).toBeUndefined();
    q.push(0, 1);
    expect(q.sequence).toBe(1);
    expect(q.size).toBe(1);
  });

  it('matches a sorted reference on random pushes and pops (property)', () => {
    type Op = { push: number } | { pop: true };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 20 }).map((t) => ({ push: t })) },
      { weight: 1, arbitrary: fc.constant({ pop: true as const }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const q = new EventQueue<number>();
        let reference: { time: number; seq: number }[] = [];
        let seq = 0;
        for (const o of ops) {
          if ('push' in o) {
            q.push(o.push, seq);
            reference.push({ time: o.push, seq: seq++ });
          } else {
            reference = reference.sort((a, b) => a.time - b.time || a.seq - b.seq);
            const want = reference.shift();
            expect(q.pop()).toBe(want?.seq);
          }
          expect(q.size).toBe(reference.length);
        }
        reference.sort((a, b) => a.time - b.time || a.seq - b.seq);
        expect(drain(q)).toEqual(reference.map((r) => r.seq));
      }),
      { numRuns: 300 },
    );
  });
});
