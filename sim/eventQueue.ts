// The event queue: a binary min-heap ordered by (virtual time, sequence number). The sequence
// number is global and increasing, assigned at push, so the order is total and never depends on
// heap internals; equal times pop in push order. Items live in a slot table; the heap itself is two
// parallel number arrays (as in flatqueue), the times and the slot numbers, so comparisons touch no
// objects and sifting moves only numbers. (Storing an object into an array is the costly write, a
// GC write barrier: each item is now stored once per push, not once per heap level it moves.) A
// slot's sequence number is read only to break a tie between equal times. Leaves out:
// cancellation, which the engine does by checking a token when an item pops (see timerTable.ts).

export class EventQueue<T> {
  private readonly times: number[] = [];
  /** Heap position -> slot holding that position's item and sequence number. */
  private readonly slots: number[] = [];
  private readonly store: (T | undefined)[] = [];
  private readonly seqOf: number[] = [];
  /** Slots free for reuse. */
  private readonly free: number[] = [];
  private count = 0;
  private nextSeq = 0;

  get size(): number {
    return this.count;
  }

  /** Sequence number the next push will get. */
  get sequence(): number {
    return this.nextSeq;
  }

  push(time: number, item: T): void {
    const slot = this.free.length > 0 ? (this.free.pop() as number) : this.store.length;
    this.store[slot] = item;
    this.seqOf[slot] = this.nextSeq++;
    let pos = this.count++;
    const { times, slots } = this;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const pt = times[parent] as number;
      // Every queued item has a smaller sequence number than this one, so on equal times it stays first.
      if (pt <= time) break;
      times[pos] = pt;
      slots[pos] = slots[parent] as number;
      pos = parent;
    }
    times[pos] = time;
    slots[pos] = slot;
  }

  /** Time of the earliest item; Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? (this.times[0] as number) : Infinity;
  }

  pop(): T | undefined {
    if (this.count === 0) return undefined;
    const { times, slots, store } = this;
    const slot = slots[0] as number;
    const top = store[slot];
    store[slot] = undefined;
    this.free.push(slot);
    const last = --this.count;
    if (last > 0) this.siftDown(times[last] as number, slots[last] as number, last);
    return top;
  }

  /** Places (time, slot), taken from the end, starting at the root of a heap of `length` positions. */
  private siftDown(time: number, slot: number, length: number): void {
    const { times, slots, seqOf } = this;
    const half = length >> 1;
    let pos = 0;
    while (pos < half) {
      let child = 2 * pos + 1;
      let ct = times[child] as number;
      const right = child + 1;
      if (right < length) {
        const rt = times[right] as number;
        if (rt < ct || (rt === ct && (seqOf[slots[right] as number] as number) < (seqOf[slots[child] as number] as number))) {
          child = right;
          ct = rt;
        }
      }
      if (ct > time || (ct === time && (seqOf[slots[child] as number] as number) > (seqOf[slot] as number))) break;
      times[pos] = ct;
      slots[pos] = slots[child] as number;
      pos = child;
    }
    times[pos] = time;
    slots[pos] = slot;
  }
}
