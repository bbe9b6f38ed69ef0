// Small per-saga lists in state (running sagas, calls in progress, owed-event retries) as plain
// JSON arrays of entries that carry their saga id, found by a scan and changed by copying. They
// hold only the sagas in flight (a handful), so a scan beats a keyed object, whose integer-like
// keys made every copy and frozen read slow. Leaves out: large collections (buckets.ts).

export interface Keyed {
  readonly saga: number;
}

export function findSaga<T extends Keyed>(list: readonly T[], saga: number): T | undefined {
  for (const entry of list) if (entry.saga === saga) return entry;
  return undefined;
}

/** A copy with the saga's entry replaced (kept in place), added (at the end), or removed (undefined). */
export function withSaga<T extends Keyed>(list: readonly T[], saga: number, entry: T | undefined): T[] {
  const out: T[] = [];
  let placed = false;
  for (const e of list) {
    if (e.saga !== saga) out.push(e);
    else if (entry !== undefined) (out.push(entry), (placed = true));
  }
  if (entry !== undefined && !placed) out.push(entry);
  return out;
}
