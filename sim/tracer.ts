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

/** Keeps lines in memory (tests, the browser). */
export class MemorySink implements TraceSink {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
}
