// What every exporter reads: a trace already parsed and validated (sim/traceReader.ts readTrace,
// or the header and events the viewer holds), an optional name for it in labels and errors, and
// the options shared by all formats (a time window). Pure: no I/O, usable in the browser.
// Leaves out: reading files (the CLI does) and the end record (exporters need only the events).
import { formatDuration } from '../duration.ts';
import { signedDurationText } from '../schemaHelpers.ts';
import type { TraceEvent } from '../traceEvents.ts';
import type { TraceHeader } from '../tracer.ts';

export interface ExportInput {
  header: TraceHeader;
  events: readonly TraceEvent[];
  /** Names the trace in labels and error messages (a file name); default `<protocol> seed <seed>`. */
  source?: string;
}

export interface ExportOptions {
  /** Leave out every event after this virtual time (microseconds); default: the whole run. */
  untilUs?: number;
}

/** One event with its line in the trace file (the header is line 1, so event i is on line i + 2). */
export interface NumberedEvent {
  event: TraceEvent;
  line: number;
}

/** The events inside the export window, each with its trace line. */
export function windowEvents(input: ExportInput, options: ExportOptions = {}): NumberedEvent[] {
  const until = options.untilUs ?? Number.POSITIVE_INFINITY;
  const out: NumberedEvent[] = [];
  input.events.forEach((event, i) => {
    if (event.t <= until) out.push({ event, line: i + 2 });
  });
  return out;
}

/** `raft seed 1`, with the bug when the run had one: `raft seed 1 bug stale-read`. */
export function runLabel(header: TraceHeader): string {
  const bug = header.options.bug ? ` bug ${header.options.bug}` : '';
  return `${header.protocol} seed ${header.seed}${bug}`;
}

export function sourceOf(input: ExportInput): string {
  return input.source ?? runLabel(input.header);
}

export const hostName = (node: number): string => `n${node}`;

/** A virtual time as seconds with microsecond digits: 1.250000s. */
export const secondsText = (us: number): string => `${(us / 1e6).toFixed(6)}s`;

/** A short readable description of a fault: `partition {n1,n2} | {n3,n4,n5}`, `crash n2`. */
export function describeFault(fault: Record<string, unknown>): string {
  const node = (v: unknown) => (typeof v === 'number' ? hostName(v) : String(v));
  const group = (g: unknown) => (Array.isArray(g) ? `{${g.map(node).join(',')}}` : node(g));
  switch (fault.type) {
    case 'partition':
      return `partition ${(fault.groups as unknown[]).map(group).join(' | ')}`;
    case 'partition-one-way':
      return `partition-one-way ${group(fault.from)} -> ${group(fault.to)}`;
    case 'clog':
      return `clog ${node(fault.from)} -> ${node(fault.to)}`;
    default: {
      const extra = Object.entries(fault)
        .filter(([k]) => !['type', 'at', 'for', 'node'].includes(k))
        .map(([k, v]) => `${k}=${fieldText(k, v)}`);
      return [fault.type, 'node' in fault ? node(fault.node) : '', ...extra].filter((s) => s !== '').join(' ');
    }
  }
}

/** A fault field's value: durations with units (offset signed), strings bare, the rest as JSON. */
function fieldText(key: string, value: unknown): string {
  if (typeof value === 'number' && key === 'offset') return signedDurationText(value);
  if (typeof value === 'number' && ['delay', 'latency', 'stepCost'].includes(key)) return formatDuration(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The nodes a fault touches: its node, or every node of its groups / from / to. */
export function faultNodes(fault: Record<string, unknown>): number[] {
  const ids: unknown[] = [];
  if ('node' in fault) ids.push(fault.node);
  if (Array.isArray(fault.groups)) ids.push(...(fault.groups as unknown[][]).flat());
  for (const side of [fault.from, fault.to]) {
    if (Array.isArray(side)) ids.push(...side);
    else if (side !== undefined) ids.push(side);
  }
  return [...new Set(ids.filter((n): n is number => typeof n === 'number'))].sort((a, b) => a - b);
}

/** Text clipped to `max` characters (an ellipsis marks the cut). */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
