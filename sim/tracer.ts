// Writes a trace: a versioned header line, one JSON line per event, and an end record carrying the
// event count, the verdict and the running hash of every line before it (traceHash). The sink
// decides where lines go (a file, memory, nowhere: hashing alone still works).
// Leaves out: compression and streaming to a browser (the viewer reads the same lines).
import { settled } from './freezing.ts';
import { RunningHash } from './hash.ts';
import { ascii, LineBytes } from './lineBytes.ts';
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

/** Where trace lines go: one string per line, or chunks of UTF-8 bytes (faster for files). */
export type TraceSink = LineSink | ByteSink;

export interface LineSink {
  /** One line of JSON, without the newline. */
  write(line: string): void;
}

export interface ByteSink {
  /** Whole lines, each ending in "\n", UTF-8 encoded. The buffer is reused: copy what you keep. */
  writeBytes(chunk: Uint8Array): void;
}

const CHUNK_BYTES = 1 << 20;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const OPEN = ascii('{"t":');
const SEND_KIND = ascii(',"kind":"send","id":');
const DELIVER_KIND = ascii(',"kind":"deliver","id":');
const DROP_KIND = ascii(',"kind":"drop","id":');
const TIMER_KIND = ascii(',"kind":"timer","node":');
const FROM = ascii(',"from":');
const TO = ascii(',"to":');
const MSG = ascii(',"msg":');
const REASON = ascii(',"reason":');
const TIMER = ascii(',"timer":');
const CLOSE = ascii('}');
/** Bytes a fast-path line needs besides its payload: constants plus up to 16 digits per number. */
const LINE_ROOM = 128;

export class Tracer {
  private readonly hash = new RunningHash();
  private count = 0;
  private lastMsg: unknown = undefined;
  private lastMsgJson: string | undefined = undefined;

  private readonly lineSink: LineSink | undefined;
  private readonly byteSink: ByteSink | undefined;
  /** Encoded lines not yet hashed and handed to a byte sink. */
  private readonly out = new LineBytes(CHUNK_BYTES);
  private lastTimer: unknown = undefined;
  private lastTimerBytes: Uint8Array | undefined = undefined;
  private readonly reasonBytes = new Map<string, Uint8Array>();

  constructor(sink: TraceSink | undefined, header: TraceHeader) {
    this.byteSink = sink && 'writeBytes' in sink ? sink : undefined;
    this.lineSink = sink && !('writeBytes' in sink) ? sink : undefined;
    this.line(JSON.stringify(header));
  }

  emit(event: TraceEvent): void {
    this.count++;
    this.line(JSON.stringify(event));
  }

  // Fast paths for the engine's most frequent events. Each writes exactly the line emit() would
  // write for the object literal shown (same keys in the same order), as bytes straight into the
  // buffer, without an event object, a JSON.stringify call or a line string per event, which
  // dominated the cost of tracing. A line sink gets the same line decoded from those bytes.
  // Whenever a value is not one the fast path can render identically (a number that is not a
  // safe non-negative integer, a payload with toJSON or that JSON cannot render), it falls back
  // to emit().

  /** emit({ t, kind: 'send', id, from, to, msg }) */
  emitSend(t: number, id: number, from: number, to: number, msg: unknown): void {
    // A protocol often sends one frozen message object to many peers: render it once. (Only a
    // frozen object is known not to change between two sends; with freezing off, sim/freezing.ts,
    // every protocol that runs is one whose tests show it never writes to a message it sent.)
    let m: string | undefined;
    if (msg === this.lastMsg) m = this.lastMsgJson;
    else {
      m = nestedJson(msg);
      const frozen = (typeof msg !== 'object' || msg === null || settled(msg)) && m !== undefined;
      this.lastMsg = frozen ? msg : undefined;
      this.lastMsgJson = frozen ? m : undefined;
    }
    if (m === undefined || !(isNat(t) && isNat(id) && isNat(from) && isNat(to))) return this.emit({ t, kind: 'send', id, from, to, msg });
    this.count++;
    const start = this.begin(LINE_ROOM + m.length * 3);
    const o = this.out;
    o.bytes(OPEN); o.int(t); o.bytes(SEND_KIND); o.int(id); o.bytes(FROM); o.int(from); o.bytes(TO); o.int(to); o.bytes(MSG); o.text(m); o.bytes(CLOSE);
    this.end(start);
  }

  /** emit({ t, kind: 'deliver', id, from, to }) */
  emitDeliver(t: number, id: number, from: number, to: number): void {
    if (!(isNat(t) && isNat(id) && isNat(from) && isNat(to))) return this.emit({ t, kind: 'deliver', id, from, to });
    this.count++;
    const start = this.begin(LINE_ROOM);
    const o = this.out;
    o.bytes(OPEN); o.int(t); o.bytes(DELIVER_KIND); o.int(id); o.bytes(FROM); o.int(from); o.bytes(TO); o.int(to); o.bytes(CLOSE);
    this.end(start);
  }

  /** emit({ t, kind: 'drop', id, from, to, reason }) */
  emitDrop(t: number, id: number, from: number, to: number, reason: string): void {
    if (typeof reason !== 'string' || !(isNat(t) && isNat(id) && isNat(from) && isNat(to))) return this.emit({ t, kind: 'drop', id, from, to, reason });
    this.count++;
    let r = this.reasonBytes.get(reason);
    if (!r) this.reasonBytes.set(reason, (r = encoder.encode(JSON.stringify(reason))));
    const start = this.begin(LINE_ROOM + r.length);
    const o = this.out;
    o.bytes(OPEN); o.int(t); o.bytes(DROP_KIND); o.int(id); o.bytes(FROM); o.int(from); o.bytes(TO); o.int(to); o.bytes(REASON); o.bytes(r); o.bytes(CLOSE);
    this.end(start);
  }

  /** emit({ t, kind: 'timer', node, timer }) */
  emitTimer(t: number, node: number, timer: unknown): void {
    if (timer !== this.lastTimer || typeof timer !== 'string') {
      const m = nestedJson(timer);
      this.lastTimer = typeof timer === 'string' ? timer : undefined;
      this.lastTimerBytes = m === undefined ? undefined : encoder.encode(m);
    }
    const m = this.lastTimerBytes;
    if (m === undefined || !(isNat(t) && isNat(node))) return this.emit({ t, kind: 'timer', node, timer });
    this.count++;
    const start = this.begin(LINE_ROOM + m.length);
    const o = this.out;
    o.bytes(OPEN); o.int(t); o.bytes(TIMER_KIND); o.int(node); o.bytes(TIMER); o.bytes(m); o.bytes(CLOSE);
    this.end(start);
  }

  get events(): number {
    return this.count;
  }

  /** Writes the end record and returns the trace hash. */
  finish(verdict: Verdict): string {
    this.flush();
    const traceHash = this.hash.digest();
    const footer = JSON.stringify({ end: true, events: this.count, verdict, traceHash } satisfies TraceFooter);
    this.lineSink?.write(footer);
    this.byteSink?.writeBytes(encoder.encode(`${footer}\n`));
    return traceHash;
  }

  /** Lines are encoded into a buffer; each full buffer is hashed and handed on in one piece. */
  private line(text: string): void {
    this.lineSink?.write(text);
    this.reserve(text.length * 3 + 1); // UTF-8 needs at most 3 bytes per UTF-16 unit
    this.out.text(text);
    this.out.newline();
  }

  /** Makes room for a line written straight into the buffer; returns where it starts. */
  private begin(room: number): number {
    this.reserve(room);
    return this.out.used;
  }

  /** Ends a line begun with begin(); a line sink gets it as text (decoded, so both sinks see the same line). */
  private end(start: number): void {
    const { out } = this;
    if (this.lineSink) this.lineSink.write(decoder.decode(out.buffer.subarray(start, out.used)));
    out.newline();
  }

  private reserve(room: number): void {
    if (this.out.fits(room)) return;
    this.flush();
    this.out.reset(room);
  }

  private flush(): void {
    const { out } = this;
    if (out.used === 0) return;
    this.hash.updateBytes(out.buffer, 0, out.used);
    this.byteSink?.writeBytes(out.buffer.subarray(0, out.used));
    out.used = 0;
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

/** A safe, non-negative integer: the only numbers the byte fast paths render themselves. */
function isNat(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** Keeps lines in memory (tests, the browser). */
export class MemorySink implements LineSink {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
}
