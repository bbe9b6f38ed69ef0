// A validator for Chrome Trace Event JSON (the format Perfetto and chrome://tracing read), for the
// rules the Perfetto export relies on: a {traceEvents: [...]} object; known ph types; name, integer
// pid and tid; ts (microseconds) a finite number >= 0 and X durations >= 0; instant scopes g/p/t;
// counters with numeric series; metadata events naming every process and thread used
// (process_name, thread_name; sort indexes integers); slices on one thread properly nested (B/E
// pairs close in stack order, X slices never partly overlap); flows: each (cat, name, id) has one
// s and one f, the f not before the s, each bound to a slice (s: the slice enclosing its ts; f with
// bp "e": the enclosing slice, without: the next slice on its thread). Throws an Error naming the
// event; returns counts.

export interface TraceSummary {
  events: number;
  slices: number;
  flows: number;
  counters: number;
  instants: number;
  processes: Map<number, string>;
  threads: Map<string, string>;
}

type Ev = Record<string, unknown> & { ph: string; name: string; pid: number; tid: number; ts: number; dur?: number };

const PHASES = new Set(['X', 'B', 'E', 'i', 'I', 'C', 's', 't', 'f', 'M']);
const METADATA = new Set(['process_name', 'process_labels', 'process_sort_index', 'thread_name', 'thread_sort_index']);

export function validateChromeTrace(json: unknown): TraceSummary {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { traceEvents?: unknown }).traceEvents)) throw new Error('expected an object with a traceEvents array');
  const unit = (json as { displayTimeUnit?: unknown }).displayTimeUnit;
  if (unit !== undefined && unit !== 'ms' && unit !== 'ns') throw new Error(`displayTimeUnit must be "ms" or "ns"; got ${JSON.stringify(unit)}`);
  const events = (json as { traceEvents: unknown[] }).traceEvents.map((raw, i) => checkEvent(raw, i));
  const summary: TraceSummary = { events: events.length, slices: 0, flows: 0, counters: 0, instants: 0, processes: new Map(), threads: new Map() };
  for (const e of events) if (e.ph === 'M') metadata(e, summary);
  const byThread = new Map<string, Ev[]>();
  events.forEach((e, i) => {
    if (e.ph === 'M') return;
    if (!summary.processes.has(e.pid)) throw new Error(`event ${i} (${e.name}): pid ${e.pid} has no process_name metadata`);
    if (e.ph === 'C') return void summary.counters++;
    if ((e.ph === 'i' || e.ph === 'I') && e.s === 'g') return void summary.instants++;
    const key = `${e.pid}/${e.tid}`;
    if (!summary.threads.has(key)) throw new Error(`event ${i} (${e.name}): thread ${key} has no thread_name metadata`);
    if (e.ph === 'i' || e.ph === 'I') summary.instants++;
    const list = byThread.get(key);
    if (list) list.push(e);
    else byThread.set(key, [e]);
  });
  const slicesByThread = new Map<string, Ev[]>();
  for (const [key, list] of byThread) slicesByThread.set(key, checkNesting(key, list));
  for (const list of slicesByThread.values()) summary.slices += list.length;
  summary.flows = checkFlows(events, slicesByThread);
  return summary;
}

function checkEvent(raw: unknown, i: number): Ev {
  const at = `event ${i}`;
  if (typeof raw !== 'object' || raw === null) throw new Error(`${at}: not an object`);
  const e = raw as Ev;
  if (!PHASES.has(e.ph)) throw new Error(`${at}: unknown ph ${JSON.stringify(e.ph)}`);
  if (e.ph !== 'E' && (typeof e.name !== 'string' || e.name === '')) throw new Error(`${at}: name must be a non-empty string`);
  if (!Number.isInteger(e.pid)) throw new Error(`${at} (${e.name}): pid must be an integer; got ${JSON.stringify(e.pid)}`);
  if (e.ph !== 'C' && !Number.isInteger(e.tid)) throw new Error(`${at} (${e.name}): tid must be an integer; got ${JSON.stringify(e.tid)}`);
  if (e.ph !== 'M' && !(typeof e.ts === 'number' && Number.isFinite(e.ts) && e.ts >= 0)) throw new Error(`${at} (${e.name}): ts must be a number of microseconds >= 0; got ${JSON.stringify(e.ts)}`);
  if (e.ph === 'X' && !(typeof e.dur === 'number' && Number.isFinite(e.dur) && e.dur >= 0)) throw new Error(`${at} (${e.name}): an X slice needs dur >= 0; got ${JSON.stringify(e.dur)}`);
  if ((e.ph === 'i' || e.ph === 'I') && e.s !== undefined && !['g', 'p', 't'].includes(e.s as string)) throw new Error(`${at} (${e.name}): instant scope s must be g, p or t`);
  if (e.cat !== undefined && typeof e.cat !== 'string') throw new Error(`${at} (${e.name}): cat must be a string`);
  if (e.args !== undefined && (typeof e.args !== 'object' || e.args === null || Array.isArray(e.args))) throw new Error(`${at} (${e.name}): args must be an object`);
  if (e.ph === 'C') {
    const series = Object.values((e.args ?? {}) as Record<string, unknown>);
    if (series.length === 0 || !series.every((v) => typeof v === 'number' && Number.isFinite(v))) throw new Error(`${at} (${e.name}): a counter needs args with numeric series`);
  }
  if (['s', 't', 'f'].includes(e.ph)) {
    if (!(Number.isInteger(e.id) || typeof e.id === 'string')) throw new Error(`${at} (${e.name}): a flow event needs an id`);
    if (typeof e.cat !== 'string') throw new Error(`${at} (${e.name}): a flow event needs a cat (flows match on cat, name and id)`);
  }
  return e;
}

function metadata(e: Ev, summary: TraceSummary): void {
  if (!METADATA.has(e.name)) throw new Error(`metadata event ${e.name}: unknown (expected one of ${[...METADATA].join(', ')})`);
  const args = (e.args ?? {}) as { name?: unknown; sort_index?: unknown };
  if (e.name.endsWith('_name') && typeof args.name !== 'string') throw new Error(`${e.name} of pid ${e.pid}: args.name must be a string`);
  if (e.name.endsWith('_sort_index') && !Number.isInteger(args.sort_index)) throw new Error(`${e.name} of pid ${e.pid}: args.sort_index must be an integer`);
  if (e.name === 'process_name') summary.processes.set(e.pid, args.name as string);
  if (e.name === 'thread_name') summary.threads.set(`${e.pid}/${e.tid}`, args.name as string);
}

/** B/E close in stack order; X slices (and B/E pairs) nest or are disjoint. Returns the thread's slices as X-like records. */
function checkNesting(key: string, list: readonly Ev[]): Ev[] {
  const slices: Ev[] = [];
  const open: Ev[] = [];
  for (const e of [...list].sort((a, b) => a.ts - b.ts)) {
    if (e.ph === 'B') open.push(e);
    else if (e.ph === 'E') {
      const b = open.pop();
      if (!b) throw new Error(`thread ${key}: E at ${e.ts} with no open B`);
      if (e.name !== undefined && e.name !== b.name) throw new Error(`thread ${key}: E ${e.name} closes B ${b.name}`);
      slices.push({ ...b, ph: 'X', dur: e.ts - b.ts });
    } else if (e.ph === 'X') slices.push(e);
  }
  if (open.length > 0) throw new Error(`thread ${key}: B ${open[0]?.name} at ${open[0]?.ts} is never closed`);
  slices.sort((a, b) => a.ts - b.ts || (b.dur as number) - (a.dur as number));
  const stack: Ev[] = [];
  for (const s of slices) {
    while (stack.length > 0 && end(stack[stack.length - 1] as Ev) <= s.ts) stack.pop();
    const top = stack[stack.length - 1];
    if (top && end(s) > end(top)) throw new Error(`thread ${key}: slice ${s.name} [${s.ts}, ${end(s)}) partly overlaps ${top.name} [${top.ts}, ${end(top)})`);
    stack.push(s);
  }
  return slices;
}

const end = (e: Ev) => e.ts + (e.dur ?? 0);

function checkFlows(events: readonly Ev[], slices: ReadonlyMap<string, Ev[]>): number {
  const flows = new Map<string, Ev[]>();
  for (const e of events) {
    if (e.ph !== 's' && e.ph !== 't' && e.ph !== 'f') continue;
    const key = `${e.cat}|${e.name}|${String(e.id)}`;
    const group = flows.get(key);
    if (group) group.push(e);
    else flows.set(key, [e]);
  }
  for (const [key, group] of flows) {
    const starts = group.filter((e) => e.ph === 's');
    const finishes = group.filter((e) => e.ph === 'f');
    if (starts.length !== 1 || finishes.length !== 1) throw new Error(`flow ${key}: ${starts.length} s and ${finishes.length} f events; expected one of each`);
    const s = starts[0] as Ev;
    const f = finishes[0] as Ev;
    if (f.ts < s.ts) throw new Error(`flow ${key}: finishes at ${f.ts}, before it starts at ${s.ts}`);
    if (!enclosing(slices.get(`${s.pid}/${s.tid}`), s.ts)) throw new Error(`flow ${key}: no slice on thread ${s.pid}/${s.tid} encloses its start at ${s.ts}`);
    const onThread = slices.get(`${f.pid}/${f.tid}`) ?? [];
    const bound = f.bp === 'e' ? enclosing(onThread, f.ts) : onThread.find((x) => x.ts >= f.ts);
    if (!bound) throw new Error(`flow ${key}: no slice on thread ${f.pid}/${f.tid} to bind its finish at ${f.ts}${f.bp === 'e' ? ' (bp e: enclosing)' : ' (next slice)'}`);
  }
  return flows.size;
}

function enclosing(list: readonly Ev[] | undefined, ts: number): Ev | undefined {
  if (!list) return undefined;
  // Binary search for the last slice starting at or before ts, then walk back over earlier ones.
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as Ev).ts <= ts) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo - 1; k >= 0 && k >= lo - 64; k--) if (ts < end(list[k] as Ev)) return list[k];
  return undefined;
}
