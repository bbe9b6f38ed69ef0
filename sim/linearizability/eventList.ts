// The history as Wing and Gong's doubly linked list of call and return events, sorted by time
// (a call before a return at the same time, so operations that touch count as concurrent). Node 0
// is the head sentinel; node k (1..2n) is the k-th event. lift() takes an operation's call and
// return out of the list when the search linearizes it; unlift() puts them back (Porcupine's
// refinement of Lowe's algorithm). All links are typed arrays: no objects per event.
import type { Operation } from './operation.ts';

export const NONE = -1;

export class EventList {
  /** next[k], prev[k]: neighbours of node k (NONE past the end). */
  readonly next: Int32Array;
  readonly prev: Int32Array;
  /** For a call node, the node of its return; 0 for a return node. */
  readonly match: Int32Array;
  /** The operation (index into ops) of each node. */
  readonly opOf: Int32Array;

  constructor(ops: readonly Operation<unknown, unknown>[]) {
    const n = ops.length;
    const order = sortedEvents(ops);
    this.next = new Int32Array(2 * n + 1);
    this.prev = new Int32Array(2 * n + 1);
    this.match = new Int32Array(2 * n + 1);
    this.opOf = new Int32Array(2 * n + 1).fill(NONE);
    const returnNode = new Int32Array(n);
    order.forEach((event, k) => {
      if (event & 1) returnNode[event >> 1] = k + 1;
    });
    for (let k = 0; k <= 2 * n; k++) {
      this.prev[k] = k - 1;
      this.next[k] = k === 2 * n ? NONE : k + 1;
      if (k === 0) continue;
      const event = order[k - 1] as number;
      this.opOf[k] = event >> 1;
      this.match[k] = event & 1 ? 0 : (returnNode[event >> 1] as number);
    }
  }

  /** Takes the call node and its return out of the list. */
  lift(call: number): void {
    const { next, prev } = this;
    next[prev[call] as number] = next[call] as number;
    prev[next[call] as number] = prev[call] as number;
    const ret = this.match[call] as number;
    next[prev[ret] as number] = next[ret] as number;
    if (next[ret] !== NONE) prev[next[ret] as number] = prev[ret] as number;
  }

  /** Undoes lift(call); calls are unlifted in the reverse order they were lifted. */
  unlift(call: number): void {
    const { next, prev } = this;
    const ret = this.match[call] as number;
    next[prev[ret] as number] = ret;
    if (next[ret] !== NONE) prev[next[ret] as number] = ret;
    next[prev[call] as number] = call;
    prev[next[call] as number] = call;
  }
}

/** Event codes (2i: call of op i, 2i+1: its return) by time, calls first on ties, then by op. */
export function sortedEvents(ops: readonly Operation<unknown, unknown>[]): number[] {
  const times = new Float64Array(2 * ops.length);
  ops.forEach((op, i) => {
    if (!(op.returnUs >= op.callUs)) throw new Error(`linearizability: operation ${op.id} returns (${op.returnUs}) before it is called (${op.callUs})`);
    times[2 * i] = op.callUs;
    times[2 * i + 1] = op.returnUs;
  });
  return packedOrder(times) ?? Array.from({ length: 2 * ops.length }, (_, e) => e).sort((a, b) => (times[a] as number) - (times[b] as number) || (a & 1) - (b & 1) || a - b);
}

/**
 * The same order, by one numeric sort of packed keys (time * 2n + tie-break, the tie-break being
 * op for a call and n + op for a return) instead of a sort with a comparator, which took a fifth
 * of a raft-5 history's check. Returns that never came (time Infinity) go last, by op. Undefined
 * when a time is not a whole number >= 0 or a key would pass 2^53 (the comparator sort then).
 */
export function packedOrder(times: Float64Array): number[] | undefined {
  const span = times.length;
  const n = span / 2;
  const keys = new Float64Array(span);
  let finite = 0;
  for (let e = 0; e < span; e++) {
    const t = times[e] as number;
    if (t === Infinity && e & 1) continue;
    if (!(t >= 0 && t * span + span <= Number.MAX_SAFE_INTEGER && Math.floor(t) === t)) return undefined;
    keys[finite++] = t * span + (e & 1 ? n + (e >> 1) : e >> 1);
  }
  const sorted = keys.subarray(0, finite).sort();
  const order = new Array<number>(span);
  for (let k = 0; k < finite; k++) {
    const tie = (sorted[k] as number) % span;
    order[k] = tie < n ? 2 * tie : 2 * (tie - n) + 1;
  }
  let k = finite;
  for (let e = 1; e < span; e += 2) if (times[e] === Infinity) order[k++] = e;
  return order;
}
