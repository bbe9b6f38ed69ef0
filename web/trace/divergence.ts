// Where two runs of the same scenario part: the first event line that differs, found by comparing
// the bytes after the header lines (fast, no decoding). A fault event whose only change is its
// duration (a fork that heals a partition early records the new "for" at the fault's start) is
// not yet a difference in behaviour, so it is skipped. -1 when every event line is the same.
// Leaves out: aligning the runs after they part (they are shown side by side as branches).

export interface Lines {
  bytes: Uint8Array;
  lineStart: Float64Array;
}

const decoder = new TextDecoder();

/** The first event index whose line differs (an event present in one run only counts as different). */
export function firstDivergence(a: Lines, b: Lines): number {
  const aLines = a.lineStart.length - 1;
  const bLines = b.lineStart.length - 1;
  const events = Math.min(aLines, bLines) - 2; // less the header and the end record
  let line = 1;
  while (line <= events) {
    const k = firstDifferentLine(a, b, line, events);
    if (k < 0) return aLines === bLines ? -1 : events;
    if (!onlyDurationDiffers(text(a, k), text(b, k))) return k - 1;
    line = k + 1;
  }
  return aLines === bLines ? -1 : events;
}

/** The first line from `line` on (up to the last event line) whose bytes differ, or -1. */
function firstDifferentLine(a: Lines, b: Lines, line: number, events: number): number {
  const aStart = a.lineStart[line] as number;
  const bStart = b.lineStart[line] as number;
  const n = Math.min((a.lineStart[events + 1] as number) - aStart, (b.lineStart[events + 1] as number) - bStart);
  let k = 0;
  while (k < n && a.bytes[aStart + k] === b.bytes[bStart + k]) k++;
  if (k === n && (a.lineStart[events + 1] as number) - aStart === (b.lineStart[events + 1] as number) - bStart) return -1;
  return lineOf(a.lineStart, aStart + k);
}

function text(l: Lines, k: number): string {
  return decoder.decode(l.bytes.subarray(l.lineStart[k] as number, (l.lineStart[k + 1] as number) - 1));
}

function onlyDurationDiffers(x: string, y: string): boolean {
  try {
    const a = JSON.parse(x) as { kind?: string; fault?: Record<string, unknown> };
    const b = JSON.parse(y) as { kind?: string; fault?: Record<string, unknown> };
    if (a.kind !== 'fault' || b.kind !== 'fault' || !a.fault || !b.fault) return false;
    const strip = (e: { fault?: Record<string, unknown> }) => JSON.stringify({ ...e, fault: { ...e.fault, for: undefined } });
    return strip(a) === strip(b);
  } catch {
    return false;
  }
}

function lineOf(lineStart: Float64Array, offset: number): number {
  let lo = 0;
  let hi = lineStart.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((lineStart[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
