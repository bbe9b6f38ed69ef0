// The Chrome Trace Event format pieces the Perfetto export writes (the JSON Perfetto and
// chrome://tracing open): event records and a builder that collects them and names every process
// and thread it used, as metadata events (process_name, process_sort_index, thread_name,
// thread_sort_index). Times are microseconds. Leaves out: the protobuf trace format, async (b/e)
// events and stack frames.

/** One record of the traceEvents array (only the fields this export uses). */
export interface ChromeEvent {
  name: string;
  /** X complete slice, i instant, C counter, s/f flow start/finish, M metadata. */
  ph: 'X' | 'i' | 'C' | 's' | 'f' | 'M';
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  /** Flow id (s and f of one arrow share it, with the same cat and name). */
  id?: number;
  /** Flow finish binding: "e" binds to the slice enclosing ts. */
  bp?: 'e';
  /** Instant scope: g global, p process, t thread. */
  s?: 'g' | 'p' | 't';
  args?: Record<string, unknown>;
}

export class ChromeTraceBuilder {
  readonly events: ChromeEvent[] = [];
  private readonly processes = new Map<number, { name: string; sort: number }>();
  private readonly threads = new Map<string, { pid: number; tid: number; name: string }>();

  /** Names a process (once; later calls are ignored). */
  process(pid: number, name: string, sort: number): void {
    if (!this.processes.has(pid)) this.processes.set(pid, { name, sort });
  }

  /** Names a thread (once; later calls are ignored). */
  thread(pid: number, tid: number, name: string): void {
    const key = `${pid}/${tid}`;
    if (!this.threads.has(key)) this.threads.set(key, { pid, tid, name });
  }

  push(event: ChromeEvent): ChromeEvent {
    this.events.push(event);
    return event;
  }

  /** A complete slice: [ts, ts + dur) on a thread. */
  slice(pid: number, tid: number, name: string, ts: number, dur: number, cat: string, args?: Record<string, unknown>): ChromeEvent {
    return this.push({ name, ph: 'X', pid, tid, ts, dur, cat, ...(args ? { args } : {}) });
  }

  instant(pid: number, tid: number, name: string, ts: number, scope: 'g' | 'p' | 't', cat: string, args?: Record<string, unknown>): ChromeEvent {
    return this.push({ name, ph: 'i', pid, tid, ts, s: scope, cat, ...(args ? { args } : {}) });
  }

  /** The metadata naming every process and thread, then every event in time order (stable). */
  finish(): ChromeEvent[] {
    const meta: ChromeEvent[] = [];
    for (const [pid, p] of [...this.processes].sort((a, b) => a[0] - b[0])) {
      meta.push({ name: 'process_name', ph: 'M', pid, tid: 0, args: { name: p.name } });
      meta.push({ name: 'process_sort_index', ph: 'M', pid, tid: 0, args: { sort_index: p.sort } });
    }
    for (const t of [...this.threads.values()].sort((a, b) => a.pid - b.pid || a.tid - b.tid)) {
      meta.push({ name: 'thread_name', ph: 'M', pid: t.pid, tid: t.tid, args: { name: t.name } });
      meta.push({ name: 'thread_sort_index', ph: 'M', pid: t.pid, tid: t.tid, args: { sort_index: t.tid } });
    }
    const timed = this.events.map((e, i) => [e, i] as const).sort((a, b) => (a[0].ts ?? 0) - (b[0].ts ?? 0) || a[1] - b[1]);
    return [...meta, ...timed.map(([e]) => e)];
  }
}
