// Writes a trace: a versioned header line, one JSON line per event, and an end record carrying the
// event count, the verdict and the running hash of every line before it (traceHash). The sink
// decides where lines go (a file, memory, nowhere: hashing alone still works).
// Leaves out: compression and streaming to a browser (the viewer reads the same lines).
import { RunningHash } from './hash.ts';
import type { RunOptions } from './runOptions.ts';
import type { TraceEvent } from './traceEvents.ts';
import type { Verdict } from './verdict.ts';

export const TRACE_VERSION = 1;

export interface TraceHeader {
  faultlab: number;
  seed: number;
  protocol: string;
  options: RunOptions;
  faultPlan: { faults: Record<string, unknown>[] };
}

export interface TraceFooter {
  end: true;
  events: number;
  verdict: Verdict;
  traceHash: string;
}

export interface TraceSink {
  /** One line of JSON, without the newline. */
  write(line: string): void;
}

export class Tracer {
  private readonly hash = new RunningHash();
  private count = 0;

  constructor(
    private readonly sink: TraceSink | undefined,
    header: TraceHeader,
  ) {
    this.line(JSON.stringify(header));
  }

  emit(event: TraceEvent): void {
    this.count++;
    this.line(JSON.stringify(event));
  }

  // Fast paths for the engine's most frequent events. Each writes exactly the line emit() would
  // write for the object literal shown (same keys in the same order), but builds it without
  // allocating the event object and without a JSON.stringify call per event, which dominates the
  // cost of tracing. Whenever a value is not one the fast path can render identically (a number
  // that is not finite, a payload with toJSON or that JSON cannot render), it falls back to emit().

  /** emit({ t, kind: 'send', id, from, to, msg }) */
  emitSend(t: number, id: number, from: number, to: number, msg: unknown): void {
    const m = nestedJson(msg);
    if (m === undefined || !(Number.isFinite(t) && Number.isFinite(id) && Number.isFinite(from) && Number.isFinite(to))) return this.emit({ t, kind: 'send', id, from, to, msg });
    this.count++;
    this.line(`{"t":${t},"kind":"send","id":${id},"from":${from},"to":${to},"msg":${m}}`);
  }

  /** emit({ t, kind: 'deliver', id, from, to }) */
  emitDeliver(t: number, id: number, from: number, to: number): void {
    if (!(Number.isFinite(t) && Number.isFinite(id) && Number.isFinite(from) && Number.isFinite(to))) return this.emit({ t, kind: 'deliver', id, from, to });
    this.count++;
    this.line(`{"t":${t},"kind":"deliver","id":${id},"from":${from},"to":${to}}`);
  }

  /** emit({ t, kind: 'drop', id, from, to, reason }) */
  emitDrop(t: number, id: number, from: number, to: number, reason: string): void {
    if (typeof reason !== 'string' || !(Number.isFinite(t) && Number.isFinite(id) && Number.isFinite(from) && Number.isFinite(to))) return this.emit({ t, kind: 'drop', id, from, to, reason });
    this.count++;
    this.line(`{"t":${t},"kind":"drop","id":${id},"from":${from},"to":${to},"reason":${JSON.stringify(reason)}}`);
  }

  /** emit({ t, kind: 'timer', node, timer }) */
  emitTimer(t: number, node: number, timer: unknown): void {
    const m = nestedJson(timer);
    if (m === undefined || !(Number.isFinite(t) && Number.isFinite(node))) return this.emit({ t, kind: 'timer', node, timer });
    this.count++;
    this.line(`{"t":${t},"kind":"timer","node":${node},"timer":${m}}`);
  }

  get events(): number {
    return this.count;
  }

  /** Writes the end record and returns the trace hash. */
  finish(verdict: Verdict): string {
    const traceHash = this.hash.digest();
    const footer: TraceFooter = { end: true, events: this.count, verdict, traceHash };
    this.sink?.write(JSON.stringify(footer));
    return traceHash;
  }

  private line(text: string): void {
    this.hash.update(text);
    this.sink?.write(text);
  }
}

/**
 * JSON.stringify(value) when that is exactly how the value renders as a property of an object
 * being stringified; undefined when it may not be (a toJSON method, which is passed the property
 * name; a value JSON omits, such as undefined; a value JSON.stringify throws on, such as a cycle).
 * Finite numbers render as String(n), which is what template literals use, so they need no help.
 */
function nestedJson(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') return undefined;
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** Keeps lines in memory (tests, the browser). */
export class MemorySink implements TraceSink {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
}
