// The columnar form of a parsed trace that the page keeps: one entry per event in typed arrays
// (time, kind, two node-or-client fields, an id, a string-table index, a link to a related event,
// flag bits), so a million events cost tens of megabytes and draw without objects. The raw lines
// stay in the worker; the page asks for one when it needs its fields.
// Leaves out: payloads (message fields, states, note data), which the worker decodes on demand.
import { TRACE_EVENT_KINDS, type TraceEventKind } from '../../sim/traceEvents.ts';

export const KIND: Readonly<Record<TraceEventKind, number>> = Object.fromEntries(TRACE_EVENT_KINDS.map((k, i) => [k, i])) as Record<TraceEventKind, number>;
export const KIND_NAMES: readonly TraceEventKind[] = TRACE_EVENT_KINDS;

/** Flag bits in TraceColumns.f. */
export const FLAG = {
  /** send: a byzantine node sent it (the send line names the behaviour). */
  BYZANTINE: 1,
  /** deliver: a second or later copy of the same message (a duplicate). */
  DUPLICATE: 2,
  /** persist: the write succeeded. */
  OK: 4,
  /** fault: the fault ends here (otherwise it starts). */
  END: 8,
} as const;

/**
 * Field meaning per kind:
 *  boot      a=node  s=disk status
 *  state     a=node
 *  send      a=from  b=to  id=message id  s=message type  link=first delivery or drop (-1: none)
 *  deliver   a=from  b=to  id  s=message type  link=the send
 *  drop      a=from  b=to  id  s=reason  link=the send
 *  timer     a=node  s=timer key
 *  persist   a=node  id=token  f&OK
 *  note      a=node  s=note name
 *  fault     a=index into faults  b=node it names (0: none)  f&END
 *  phase     (the heal phase starts)
 *  invoke    a=client  b=node  id=request  link=its completion (-1: none)
 *  complete  a=client  id=request  s=outcome  link=its invocation (-1: none)
 *  violation a=index into violations
 */
export interface TraceColumns {
  count: number;
  t: Float64Array;
  kind: Uint8Array;
  a: Int32Array;
  b: Int32Array;
  id: Int32Array;
  s: Int32Array;
  link: Int32Array;
  f: Uint8Array;
}

export function allocColumns(capacity: number): TraceColumns {
  return {
    count: 0,
    t: new Float64Array(capacity),
    kind: new Uint8Array(capacity),
    a: new Int32Array(capacity),
    b: new Int32Array(capacity),
    id: new Int32Array(capacity),
    s: new Int32Array(capacity),
    link: new Int32Array(capacity).fill(-1),
    f: new Uint8Array(capacity),
  };
}

/** Copies into arrays of exactly count entries (what is sent to the page). */
export function trimColumns(c: TraceColumns): TraceColumns {
  const n = c.count;
  return { count: n, t: c.t.slice(0, n), kind: c.kind.slice(0, n), a: c.a.slice(0, n), b: c.b.slice(0, n), id: c.id.slice(0, n), s: c.s.slice(0, n), link: c.link.slice(0, n), f: c.f.slice(0, n) };
}

export function columnBuffers(c: TraceColumns): ArrayBuffer[] {
  return [c.t, c.kind, c.a, c.b, c.id, c.s, c.link, c.f].map((a) => a.buffer as ArrayBuffer);
}

/** First event index whose time is >= t (count when none). */
export function lowerBound(times: Float64Array, count: number, t: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First event index whose time is > t (count when none). */
export function upperBound(times: Float64Array, count: number, t: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
