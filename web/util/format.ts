// How the viewer writes times and counts: virtual time in the largest sensible unit with a few
// significant digits, counts with thousands separators.
// Leaves out: dates (virtual time starts at 0).

export function timeText(us: number): string {
  const a = Math.abs(us);
  if (a >= 1_000_000) return `${+(us / 1_000_000).toFixed(a >= 100_000_000 ? 1 : 3)}s`;
  if (a >= 1_000) return `${+(us / 1_000).toFixed(a >= 100_000 ? 1 : 2)}ms`;
  return `${Math.round(us)}us`;
}

export function countText(n: number): string {
  return n.toLocaleString('en-US');
}

/** Tick spacing for an axis showing `span` microseconds in about `ticks` steps: 1, 2 or 5 times a power of ten. */
export function niceStep(span: number, ticks: number): number {
  const raw = Math.max(span / Math.max(1, ticks), 1);
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}
