// The event queue: a binary min-heap ordered by (virtual time, sequence number). The sequence
// number is global and increasing, assigned at push, so the order is total and never depends on
// heap internals; equal times pop in push order. Keys live in parallel number arrays (as in
// flatqueue) so comparisons touch no objects. Leaves out: cancellation, which the engine does by
// checking a token when an item pops (see timerTable.ts).

export class EventQueue<T> {
  private readonly times: number[] = [];
  private readonly seqs: number[] = [];
  private readonly items: (T | undefined)[] = [];
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
    let pos = this.count++;
    const seq = this.nextSeq++;
    const { times, seqs, items } = this;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const pt = times[parent] as number;
      if (pt < time || (pt === time && (seqs[parent] as number) < seq)) break;
      times[pos] = pt;
      seqs[pos] = seqs[parent] as number;
      items[pos] = items[parent];
      pos = parent;
    }
    times[pos] = time;
    seqs[pos] = seq;
    items[pos] = item;
  }

  /** Time of the earliest item; Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? (this.times[0] as number) : Infinity;
  }

  pop(): T | undefined {
    if (this.count === 0) return undefined;
    const { times, seqs, items } = this;
    const top = items[0];
    const last = --this.count;
    if (last > 0) this.siftDown(times[last] as number, seqs[last] as number, items[last] as T, last);
    items[last] = undefined;
    return top;
  }

  private siftDown(time: number, seq: number, item: T, length: number): void {
    const { times, seqs, items } = this;
    const half = length >> 1;
    let pos = 0;
    while (pos < half) {
      let child = 2 * pos + 1;
      let ct = times[child] as number;
      let cs = seqs[child] as number;
      const right = child + 1;
      if (right < length) {
        const rt = times[right] as number;
        if (rt < ct || (rt === ct && (seqs[right] as number) < cs)) {
          child = right;
          ct = rt;
          cs = seqs[right] as number;
        }
      }
      if (ct > time || (ct === time && cs > seq)) break;
      times[pos] = ct;
      seqs[pos] = cs;
      items[pos] = items[child];
      pos = child;
    }
    times[pos] = time;
    seqs[pos] = seq;
    items[pos] = item;
  }
}
