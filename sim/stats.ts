// Order statistics for summaries over many runs: nearest-rank percentiles (the value at rank
// ceil(p/100 * n) of the sorted values), so a percentile is always one of the measured values and
// counts stay whole numbers. Leaves out: interpolation, weights and streaming estimates.

/** The p-th percentile (0 < p <= 100) by nearest rank, or null when there are no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new Error(`percentile: expected p in (0, 100]; got ${p}`);
  if (values.length === 0) return null;
  for (const v of values) if (!Number.isFinite(v)) throw new Error(`percentile: expected finite numbers; got ${v}`);
  const sorted = values.slice().sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** The nearest-rank median: the lower of the two middle values when there is an even number. */
export function median(values: readonly number[]): number | null {
  return percentile(values, 50);
}

export interface Spread {
  count: number;
  median: number | null;
  p95: number | null;
  max: number | null;
}

/** Count, median, 95th percentile and maximum of some values (null figures when there are none). */
export function spread(values: readonly number[]): Spread {
  return { count: values.length, median: median(values), p95: percentile(values, 95), max: percentile(values, 100) };
}
