// Turns a trace's fault events into spans the page shades: a crashed node is down from the crash
// until its next boot; a transient fault lasts from its start event to its matching end event (or
// the end of the run); instant faults (clock skew, disk corruption, restart) are spans of zero
// length. Also lists every crash and restart as a life change, for charts.
// Leaves out: colours (the page picks them by fault type).
import type { Fault } from '../../sim/faultPlan.ts';
import { describeFault } from '../../sim/faultPlan.ts';
import { KIND, type TraceColumns } from './columns.ts';
import type { FaultEvent } from './traceIndexer.ts';

export interface Span {
  start: number;
  end: number;
  type: string;
  label: string;
  /** Lanes it shades; empty: all of them. */
  nodes: number[];
  /** Partitions: the sides, for drawing. */
  groups?: number[][];
}

const INSTANT = new Set(['clock-skew', 'disk-corrupt', 'restart']);

export function faultSpans(faults: readonly FaultEvent[], columns: TraceColumns, endT: number): { spans: Span[]; life: [number, number, boolean][] } {
  const spans: Span[] = [];
  const open = new Map<string, { e: FaultEvent; span: Span }[]>();
  for (const e of faults) {
    const key = JSON.stringify(e.fault);
    if (e.phase === 'end') {
      const match = open.get(key)?.shift();
      if (match) match.span.end = e.t;
      continue;
    }
    if (e.fault.type === 'crash') continue; // down spans come from crashes and boots below
    const span: Span = { start: e.t, end: INSTANT.has(e.fault.type) ? e.t : endT, type: e.fault.type, label: label(e.fault), nodes: nodesOf(e.fault) };
    if (e.fault.type === 'partition' && Array.isArray(e.fault.groups)) span.groups = e.fault.groups;
    spans.push(span);
    if (!INSTANT.has(e.fault.type)) open.set(key, [...(open.get(key) ?? []), { e, span }]);
  }
  const life = downSpans(faults, columns, endT, spans);
  spans.sort((a, b) => a.start - b.start);
  return { spans, life };
}

/** Crash start to the node's next boot. */
function downSpans(faults: readonly FaultEvent[], c: TraceColumns, endT: number, spans: Span[]): [number, number, boolean][] {
  const life: [number, number, boolean][] = [];
  const down = new Map<number, Span>();
  let f = 0;
  for (let i = 0; i < c.count; i++) {
    const k = c.kind[i];
    if (k === KIND.fault) {
      const e = faults[f++];
      const node = e?.fault && 'node' in e.fault ? e.fault.node : undefined;
      if (!e || e.phase !== 'start' || e.fault.type !== 'crash' || typeof node !== 'number' || down.has(node)) continue;
      const span: Span = { start: e.t, end: endT, type: 'crash', label: `n${node} crashed`, nodes: [node] };
      down.set(node, span);
      spans.push(span);
      life.push([e.t, node, false]);
    } else if (k === KIND.boot) {
      const span = down.get(c.a[i] as number);
      if (!span) continue;
      span.end = c.t[i] as number;
      down.delete(c.a[i] as number);
      life.push([c.t[i] as number, c.a[i] as number, true]);
    }
  }
  return life;
}

function nodesOf(fault: Fault): number[] {
  if ('node' in fault && typeof fault.node === 'number') return [fault.node];
  if (fault.type === 'partition' && Array.isArray(fault.groups)) return [];
  if (fault.type === 'partition-one-way') return [...fault.from, ...fault.to].filter((n) => typeof n === 'number');
  if (fault.type === 'clog') return [fault.from, fault.to];
  return [];
}

function label(fault: Fault): string {
  try {
    return describeFault(fault).replace(/^at [^:]*: /, '');
  } catch {
    return String(fault.type);
  }
}
