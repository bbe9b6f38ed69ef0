// Durations as users write them ("250us", "1.5ms", "30s", "2m") and as faultlab prints them. All
// virtual time is an integer number of microseconds. Leaves out: hours and calendar units.

const UNIT_US: Record<string, number> = { us: 1, 'µs': 1, ms: 1_000, s: 1_000_000, m: 60_000_000 };

/** Parses "30s" into 30_000_000; throws an Error naming what was expected. */
export function parseDuration(text: string, field = 'duration'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m)\s*$/.exec(text);
  if (!match) {
    throw new Error(`${field}: expected a duration with a unit (us, ms, s or m), like 250ms or 30s; got ${JSON.stringify(text)}`);
  }
  const exact = Number(match[1]) * (UNIT_US[match[2] as string] as number);
  const us = Math.round(exact);
  if (!Number.isSafeInteger(us) || Math.abs(us - exact) > 1e-6) {
    throw new Error(`${field}: ${JSON.stringify(text)} is not a whole number of microseconds`);
  }
  return us;
}

/** Parses "1ms..10ms" into [1000, 10000]; a single duration gives a fixed range. */
export function parseDurationRange(text: string, field = 'range'): [number, number] {
  const parts = text.split('..');
  if (parts.length > 2) throw new Error(`${field}: expected MIN..MAX like 1ms..10ms; got ${JSON.stringify(text)}`);
  const min = parseDuration(parts[0] as string, field);
  const max = parts.length === 2 ? parseDuration(parts[1] as string, field) : min;
  if (max < min) throw new Error(`${field}: the maximum ${parts[1]} is below the minimum ${parts[0]}`);
  return [min, max];
}

/** Exact, round-trippable form: the largest unit that divides the value. */
export function formatDuration(us: number): string {
  if (us !== 0 && us % 60_000_000 === 0) return `${us / 60_000_000}m`;
  if (us !== 0 && us % 1_000_000 === 0) return `${us / 1_000_000}s`;
  if (us !== 0 && us % 1_000 === 0) return `${us / 1_000}ms`;
  return `${us}us`;
}

/** Human form for summaries: 1.234s, 12.5ms. */
export function humanDuration(us: number): string {
  if (Math.abs(us) >= 1_000_000) return `${+(us / 1_000_000).toFixed(3)}s`;
  if (Math.abs(us) >= 1_000) return `${+(us / 1_000).toFixed(3)}ms`;
  return `${us}us`;
}
