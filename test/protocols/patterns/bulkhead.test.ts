import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../sim/schemaHelpers.ts';
import { available, createBulkhead, release, tryAcquire, type BulkheadState, type CallId } from '../../../protocols/patterns/index.ts';

function acquireAll(state: BulkheadState, ids: readonly CallId[]): { state: BulkheadState; outcomes: string[] } {
  const outcomes: string[] = [];
  for (const id of ids) {
    const r = tryAcquire(state, id);
    outcomes.push(r.admitted ? 'admitted' : r.queued ? 'queued' : 'rejected');
    state = r.state;
  }
  return { state, outcomes };
}

describe('bulkhead', () => {
  it('admits up to its limit, queues up to maxQueue, rejects beyond', () => {
    const { state, outcomes } = acquireAll(createBulkhead({ maxConcurrent: 2, maxQueue: 2 }), ['a', 'b', 'c', 'd', 'e']);
    expect(outcomes).toEqual(['admitted', 'admitted', 'queued', 'queued', 'rejected']);
    expect(state).toEqual({ config: { maxConcurrent: 2, maxQueue: 2 }, active: ['a', 'b'], queue: ['c', 'd'] });
    expect(tryAcquire(state, 'f')).toEqual({ state, admitted: false, queued: false, reason: 'full' });
    expect(available(state)).toBe(0);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('without a queue, rejects as soon as it is full (and does not reject everything)', () => {
    const { outcomes } = acquireAll(createBulkhead({ maxConcurrent: 1 }), [1, 2]);
    expect(outcomes).toEqual(['admitted', 'rejected']);
  });

  it('release admits the next queued call in FIFO order', () => {
    let { state } = acquireAll(createBulkhead({ maxConcurrent: 1, maxQueue: 3 }), ['a', 'b', 'c', 'd']);
    const order: (CallId | undefined)[] = [];
    for (const id of ['a', 'b', 'c', 'd']) {
      const r = release(state, id);
      order.push(r.admitted);
      state = r.state;
    }
    expect(order).toEqual(['b', 'c', 'd', undefined]);
    expect(state).toMatchObject({ active: [], queue: [] });
  });

  it('a freed queue slot takes a new call again', () => {
    let { state } = acquireAll(createBulkhead({ maxConcurrent: 1, maxQueue: 1 }), ['a', 'b']);
    state = release(state, 'a').state; // b runs, the queue is empty again
    expect(tryAcquire(state, 'c').queued).toBe(true);
  });

  it('double release and releasing an unknown id are harmless', () => {
    let { state } = acquireAll(createBulkhead({ maxConcurrent: 1, maxQueue: 1 }), ['a', 'b']);
    const first = release(state, 'a');
    expect(first.admitted).toBe('b');
    state = first.state;
    const again = release(state, 'a');
    expect(again).toEqual({ state });
    expect(again.state).toBe(state);
    expect(release(state, 'nobody').state).toBe(state);
  });

  it('releasing a queued call withdraws it without admitting anyone', () => {
    const { state } = acquireAll(createBulkhead({ maxConcurrent: 1, maxQueue: 2 }), ['a', 'b', 'c']);
    const r = release(state, 'b');
    expect(r.admitted).toBeUndefined();
    expect(r.state).toMatchObject({ active: ['a'], queue: ['c'] });
  });

  it('acquiring an id twice changes nothing', () => {
    const { state } = acquireAll(createBulkhead({ maxConcurrent: 1, maxQueue: 1 }), ['a', 'b']);
    expect(tryAcquire(state, 'a')).toEqual({ state, admitted: true, queued: false });
    expect(tryAcquire(state, 'b')).toEqual({ state, admitted: false, queued: true });
  });

  it('names the bad field in one line', () => {
    const error = (input: unknown): string => {
      try {
        createBulkhead(input);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error('expected the config to be rejected');
    };
    expect(error({ maxConcurrent: 0 })).toBe('bulkhead: maxConcurrent: expected at least 1 call');
    expect(error({ maxConcurrent: 2, maxQueue: -1 })).toBe('bulkhead: maxQueue: expected 0 or more calls');
    expect(error({ maxConcurrent: 2, queue: 1 })).toBe('bulkhead: unknown field "queue"');
    expect(error({})).toBe('bulkhead: maxConcurrent: expected a whole number of calls');
  });
});

type Op = { acquire: number } | { release: number };

describe('bulkhead properties', () => {
  it('never more than the limit running, never more than maxQueue waiting, FIFO, nothing lost', () => {
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.nat({ max: 15 }).map((acquire) => ({ acquire })),
      fc.nat({ max: 15 }).map((release) => ({ release })),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.nat({ max: 4 }), fc.array(opArb, { maxLength: 150 }), (maxConcurrent, maxQueue, ops) => {
        let state = createBulkhead({ maxConcurrent, maxQueue });
        // A reference model: which calls run, and the order the waiting ones arrived in.
        const running = new Set<CallId>();
        const waiting: CallId[] = [];
        for (const op of ops) {
          if ('acquire' in op) {
            const r = tryAcquire(state, op.acquire);
            state = r.state;
            if (running.has(op.acquire)) expect(r.admitted).toBe(true);
            else if (waiting.includes(op.acquire)) expect(r.queued).toBe(true);
            else if (running.size < maxConcurrent) (expect(r.admitted).toBe(true), running.add(op.acquire));
            else if (waiting.length < maxQueue) (expect(r.queued).toBe(true), waiting.push(op.acquire));
            else expect(r).toMatchObject({ admitted: false, queued: false, reason: 'full' });
          } else {
            const r = release(state, op.release);
            state = r.state;
            const queuedAt = waiting.indexOf(op.release);
            if (queuedAt >= 0) waiting.splice(queuedAt, 1);
            if (running.delete(op.release) && waiting.length > 0) {
              const next = waiting.shift() as CallId;
              running.add(next);
              expect(r.admitted).toBe(next);
            } else expect(r.admitted).toBeUndefined();
          }
          expect(state.active.length).toBeLessThanOrEqual(maxConcurrent);
          expect(state.queue.length).toBeLessThanOrEqual(maxQueue);
          expect([...state.active].sort()).toEqual([...running].sort());
          expect(state.queue).toEqual(waiting);
          // Work-conserving: nobody waits while a slot is free.
          if (state.queue.length > 0) expect(available(state)).toBe(0);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('bulkhead properties: admission up to the limit', () => {
  it('property: of k distinct calls in a row, min(k, limit) are admitted, then up to maxQueue queued, the rest rejected; releasing the admitted ones admits the queued in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.nat({ max: 5 }), fc.nat({ max: 20 }), (maxConcurrent, maxQueue, k) => {
        const ids = Array.from({ length: k }, (_, i) => i);
        const { state, outcomes } = acquireAll(createBulkhead({ maxConcurrent, maxQueue }), ids);
        const admitted = Math.min(k, maxConcurrent);
        const queued = Math.min(Math.max(0, k - maxConcurrent), maxQueue);
        expect(outcomes).toEqual([...Array(admitted).fill('admitted'), ...Array(queued).fill('queued'), ...Array(k - admitted - queued).fill('rejected')]);
        expect(available(state)).toBe(maxConcurrent - admitted);
        let s = state;
        const next: CallId[] = [];
        for (const id of ids.slice(0, admitted)) {
          const r = release(s, id);
          s = r.state;
          if (r.admitted !== undefined) next.push(r.admitted);
        }
        expect(next).toEqual(ids.slice(admitted, admitted + Math.min(queued, admitted)));
        expect(s.active.length).toBe(Math.min(queued, admitted));
      }),
      { numRuns: 300 },
    );
  });
});
