// Reads a trace from its bytes, in one pass, in chunks: finds the lines, validates the header,
// every event (eventCheck.ts) and the end record (event count and running hash over the bytes),
// and fills the columns the page draws from, the state checkpoints, message and client pairings,
// and the notes a protocol's charts need. Errors are TraceErrors naming the line, as in
// sim/traceReader.ts. Runs in the worker; reports progress every chunk.
// Leaves out: drawing and charts (series.ts works from what this returns).
import { RunningHash } from '../../sim/hash.ts';
import type { Fault } from '../../sim/faultPlan.ts';
import { HASH_MISMATCH, TraceError } from '../../sim/traceReader.ts';
import type { TraceFooter, TraceHeader } from '../../sim/tracer.ts';
import { timerKey } from '../../sim/types.ts';
import { allocColumns, FLAG, KIND, type TraceColumns } from './columns.ts';
import { checkEvent } from './eventCheck.ts';
import { checkFooter, checkHeader } from './headerCheck.ts';
import { findLines } from './lineIndex.ts';
import { PatchError } from './patchFold.ts';
import { StateStore } from './stateStore.ts';
import { StringTable } from './stringTable.ts';

export interface CollectedNote { index: number; t: number; node: number; name: string; data: unknown }
export interface FaultEvent { index: number; t: number; phase: 'start' | 'end'; fault: Fault }
export interface Violation { index: number; t: number; checker: string; verdict: string; message: string }

export interface IndexedTrace {
  header: TraceHeader;
  footer: TraceFooter;
  columns: TraceColumns;
  strings: StringTable;
  faults: FaultEvent[];
  violations: Violation[];
  notes: CollectedNote[];
  states: StateStore;
  bytes: Uint8Array;
  /** Byte offset where line k starts (line 0 is the header; event i is line i + 1); one extra entry at the end. */
  lineStart: Float64Array;
  /** Longest time from a send to its delivery or drop. */
  maxLatency: number;
}

export interface IndexOptions {
  source?: string;
  /** Which notes to keep with their data (the protocol's charts and markers). */
  keepNote?: (name: string) => boolean;
  onProgress?: (doneBytes: number, totalBytes: number) => void;
  verifyHash?: boolean;
}

const CHUNK_BYTES = 4 << 20;
type Raw = Record<string, unknown>;

export function indexTrace(bytes: Uint8Array, opts: IndexOptions = {}): IndexedTrace {
  const source = opts.source ?? 'trace';
  const fail = (line: number, reason: string): never => {
    throw new TraceError(line, reason, source);
  };
  if (bytes.length === 0) fail(1, 'empty file; expected a faultlab trace header');
  if (bytes[bytes.length - 1] !== 10) fail(countLines(bytes), 'the last line has no newline: the file was cut short (truncated)');
  const lineStart = findLines(bytes);
  const lines = lineStart.length - 1;
  const decoder = new TextDecoder();
  const header = parseHeader(decoder.decode(bytes.subarray(0, (lineStart[1] as number) - 1)), fail);
  const b = new Builder(header, Math.max(1, lines - 2), opts.keepNote ?? (() => false), bytes, lineStart);
  let footer: TraceFooter | undefined;
  for (let first = 1; first < lines && !footer; ) {
    let last = first;
    while (last < lines && (lineStart[last + 1] as number) - (lineStart[first] as number) < CHUNK_BYTES) last++;
    if (last === first) last = first + 1;
    const text = decoder.decode(bytes.subarray(lineStart[first] as number, (lineStart[last] as number) - 1));
    const chunk = text.split('\n');
    for (let k = 0; k < chunk.length; k++) {
      const n = first + k + 1; // 1-based line number
      const raw = parseLine(chunk[k] as string, n, fail);
      if (isFooter(raw)) {
        if (n !== lines) fail(n + 1, 'lines follow the end record');
        footer = finishFooter(raw, n, b, bytes, lineStart, opts.verifyHash !== false, fail);
        break;
      }
      b.add(raw as Raw, n, fail);
    }
    opts.onProgress?.(lineStart[last] as number, bytes.length);
    first = last;
  }
  if (!footer) fail(lines + 1, 'the trace ends without its end record: the file was cut short (truncated)');
  return b.result(footer as TraceFooter);
}

function parseHeader(line: string, fail: (line: number, reason: string) => never): TraceHeader {
  const raw = parseLine(line, 1, fail);
  try {
    return checkHeader(raw);
  } catch (error) {
    return fail(1, (error as Error).message);
  }
}

function finishFooter(raw: unknown, n: number, b: Builder, bytes: Uint8Array, lineStart: Float64Array, verify: boolean, fail: (line: number, reason: string) => never): TraceFooter {
  let footer: TraceFooter;
  try {
    footer = checkFooter(raw);
  } catch (error) {
    return fail(n, (error as Error).message);
  }
  if (footer.events !== b.columns.count) fail(n, `the end record counts ${footer.events} events but the trace has ${b.columns.count}`);
  if (verify && footer.traceHash !== new RunningHash().updateBytes(bytes, 0, lineStart[n - 1] as number).digest()) fail(n, HASH_MISMATCH);
  return footer;
}

function parseLine(line: string, n: number, fail: (line: number, reason: string) => never): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return fail(n, 'not valid JSON (a damaged or truncated line)');
  }
}

function isFooter(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as { end?: unknown }).end === true;
}

function countLines(bytes: Uint8Array): number {
  let n = 1;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

/** Fills the columns and side tables event by event. */
class Builder {
  readonly columns: TraceColumns;
  readonly strings = new StringTable();
  readonly faults: FaultEvent[] = [];
  readonly violations: Violation[] = [];
  readonly notes: CollectedNote[] = [];
  readonly states: StateStore;
  private readonly sends = new Map<number, number>();
  private readonly invokes = new Map<number, number>();
  private lastT = 0;
  private maxLatency = 0;

  constructor(readonly header: TraceHeader, capacity: number, private readonly keepNote: (name: string) => boolean, private readonly bytes: Uint8Array, private readonly lineStart: Float64Array) {
    this.columns = allocColumns(capacity);
    this.states = new StateStore(header.options.nodes);
  }

  add(raw: Raw, n: number, fail: (line: number, reason: string) => never): void {
    const problem = checkEvent(raw, this.header.options.nodes);
    if (problem) fail(n, problem);
    const t = raw.t as number;
    if (t < this.lastT) fail(n, `time goes backwards (${t}us after ${this.lastT}us)`);
    this.lastT = t;
    const c = this.columns;
    const i = c.count++;
    c.t[i] = t;
    const kind = raw.kind as keyof typeof KIND;
    c.kind[i] = KIND[kind];
    try {
      this.fill(kind, raw, i, t);
    } catch (error) {
      if (error instanceof PatchError || error instanceof Error) fail(n, `${kind} event: ${error.message}`);
      throw error;
    }
  }

  private fill(kind: keyof typeof KIND, raw: Raw, i: number, t: number): void {
    const c = this.columns;
    switch (kind) {
      case 'boot': c.a[i] = raw.node as number; c.s[i] = this.strings.id(raw.disk as string); this.states.boot(i, raw.node as number, raw.state); return;
      case 'state': c.a[i] = raw.node as number; this.states.patch(i, raw.node as number, raw.patches as never); return;
      case 'send': return this.send(raw, i);
      case 'deliver': case 'drop': return this.arrival(kind, raw, i, t);
      case 'timer': c.a[i] = raw.node as number; c.s[i] = this.strings.id(timerKey(raw.timer)); return;
      case 'persist': c.a[i] = raw.node as number; c.id[i] = Math.trunc(raw.token as number) | 0; if (raw.ok) c.f[i] = (c.f[i] as number) | FLAG.OK; return;
      case 'note': return this.note(raw, i, t);
      case 'fault': return this.fault(raw, i, t);
      case 'phase': return;
      case 'invoke': c.a[i] = raw.client as number; c.b[i] = raw.node as number; c.id[i] = raw.req as number; this.invokes.set(raw.req as number, i); return;
      case 'complete': return this.complete(raw, i);
      case 'violation': c.a[i] = this.violations.length; this.violations.push({ index: i, t, checker: raw.checker as string, verdict: raw.verdict as string, message: raw.message as string }); return;
    }
  }

  private send(raw: Raw, i: number): void {
    const c = this.columns;
    c.a[i] = raw.from as number;
    c.b[i] = raw.to as number;
    c.id[i] = raw.id as number;
    c.s[i] = this.strings.id((raw.msg as { type: string }).type);
    if (raw.byzantine !== undefined) c.f[i] = (c.f[i] as number) | FLAG.BYZANTINE;
    this.sends.set(raw.id as number, i);
  }

  private arrival(kind: 'deliver' | 'drop', raw: Raw, i: number, t: number): void {
    const c = this.columns;
    c.a[i] = raw.from as number;
    c.b[i] = raw.to as number;
    c.id[i] = raw.id as number;
    const send = this.sends.get(raw.id as number);
    if (send === undefined) throw new Error(`message ${raw.id as number} was never sent`);
    c.link[i] = send;
    c.s[i] = kind === 'drop' ? this.strings.id(raw.reason as string) : (c.s[send] as number);
    if ((c.link[send] as number) < 0) c.link[send] = i;
    else if (kind === 'deliver') c.f[i] = (c.f[i] as number) | FLAG.DUPLICATE;
    this.maxLatency = Math.max(this.maxLatency, t - (c.t[send] as number));
  }

  private note(raw: Raw, i: number, t: number): void {
    const c = this.columns;
    const name = raw.name as string;
    c.a[i] = raw.node as number;
    c.s[i] = this.strings.id(name);
    if (this.keepNote(name)) this.notes.push({ index: i, t, node: raw.node as number, name, data: raw.data });
  }

  private fault(raw: Raw, i: number, t: number): void {
    const c = this.columns;
    const fault = raw.fault as Fault & { node?: unknown };
    c.a[i] = this.faults.length;
    c.b[i] = typeof fault.node === 'number' && fault.node >= 1 && fault.node <= this.header.options.nodes ? fault.node : 0;
    if (raw.phase === 'end') c.f[i] = (c.f[i] as number) | FLAG.END;
    this.faults.push({ index: i, t, phase: raw.phase as 'start' | 'end', fault });
  }

  private complete(raw: Raw, i: number): void {
    const c = this.columns;
    c.a[i] = raw.client as number;
    c.id[i] = raw.req as number;
    c.s[i] = this.strings.id(raw.outcome as string);
    const invoke = this.invokes.get(raw.req as number);
    if (invoke !== undefined) {
      c.link[i] = invoke;
      c.link[invoke] = i;
    }
  }

  result(footer: TraceFooter): IndexedTrace {
    return {
      header: this.header, footer, columns: this.columns, strings: this.strings, faults: this.faults, violations: this.violations,
      notes: this.notes, states: this.states, bytes: this.bytes, lineStart: this.lineStart, maxLatency: this.maxLatency,
    };
  }
}
