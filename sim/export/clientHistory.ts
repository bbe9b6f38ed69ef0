// The client history of a trace as the history exporters write it: every invoke and complete, in
// an order that keeps faultlab's reading of time (operations whose call and return fall in the
// same microsecond count as concurrent, so within one microsecond calls go first, as far as each
// client's own order allows), and each with a Jepsen-style process: client c is process c - 1 until
// an operation of its ends with an unknown outcome (info), after which it continues as a fresh
// process (c - 1 + k * clients), because a process with an operation in doubt may not start another.
// Leaves out: what any operation means (the format writers decide).
import type { HistoryEntry } from '../clients.ts';
import { HistoryCollector } from '../linearizability/historyCollector.ts';
import { InputError } from '../schemaHelpers.ts';
import { sourceOf, windowEvents, type ExportInput, type ExportOptions } from './exportInput.ts';

export interface HistoryStep {
  kind: 'invoke' | 'complete';
  entry: HistoryEntry;
  /** Jepsen-style process number (from 0). */
  process: number;
  t: number;
  /** The trace line of the event. */
  line: number;
}

export interface ClientHistory {
  entries: HistoryEntry[];
  steps: HistoryStep[];
  /** The trace line of each entry's invoke (same order as entries). */
  invokeLines: number[];
  /** Number of clients (the highest client id). */
  clients: number;
}

/** The history, or an InputError naming the format when the run had no client operations. */
export function clientHistory(input: ExportInput, format: string, options: ExportOptions = {}): ClientHistory {
  const source = sourceOf(input);
  const collector = new HistoryCollector();
  const raw: { kind: 'invoke' | 'complete'; req: number; t: number; line: number }[] = [];
  for (const { event, line } of windowEvents(input, options)) {
    if (event.kind !== 'invoke' && event.kind !== 'complete') continue;
    const problem = collector.observe(event);
    if (problem) throw new InputError(`${source}: line ${line}: ${problem}`);
    raw.push({ kind: event.kind, req: event.req, t: event.t, line });
  }
  const entries = collector.entries;
  if (entries.length === 0) {
    throw new InputError(`--format ${format}: ${source}: no client operations in this ${input.header.protocol} run (the trace has no invoke events); a ${format} export is the clients' history, so it needs a run with simulated clients (a protocol with a workload, --clients above 0); --format shiviz and --format perfetto export any run`);
  }
  const byReq = new Map(entries.map((e) => [e.req, e] as const));
  const clients = entries.reduce((max, e) => Math.max(max, e.client), 1);
  const ordered = callsFirst(raw, byReq);
  const steps = assignProcesses(ordered, byReq, clients);
  const invokeLine = new Map(raw.filter((r) => r.kind === 'invoke').map((r) => [r.req, r.line] as const));
  const invokeLines = entries.map((e) => invokeLine.get(e.req) ?? 0);
  return { entries, steps, invokeLines, clients };
}

type Raw = { kind: 'invoke' | 'complete'; req: number; t: number; line: number };

/** Within each microsecond: calls before returns, except where a call must follow (its client's previous return) or a return must (its own call). */
function callsFirst(raw: readonly Raw[], byReq: ReadonlyMap<number, HistoryEntry>): Raw[] {
  const out: Raw[] = [];
  for (let start = 0; start < raw.length; ) {
    let end = start;
    while (end < raw.length && (raw[end] as Raw).t === (raw[start] as Raw).t) end++;
    out.push(...orderGroup(raw.slice(start, end), byReq));
    start = end;
  }
  return out;
}

function orderGroup(group: readonly Raw[], byReq: ReadonlyMap<number, HistoryEntry>): Raw[] {
  if (group.length < 2) return [...group];
  // The step each one must follow, if that step is in this group.
  const after = group.map((step, i) => {
    if (step.kind === 'complete') return group.findIndex((s) => s.kind === 'invoke' && s.req === step.req);
    // The return in this group, before this call, of the same client's previous operation.
    const client = byReq.get(step.req)?.client;
    let prior = -1;
    group.forEach((s, j) => {
      if (j < i && s.kind === 'complete' && byReq.get(s.req)?.client === client) prior = j;
    });
    return prior;
  });
  const done = new Array<boolean>(group.length).fill(false);
  const out: Raw[] = [];
  while (out.length < group.length) {
    const ready = (i: number) => !done[i] && ((after[i] as number) < 0 || done[after[i] as number] === true);
    let pick = group.findIndex((s, i) => s.kind === 'invoke' && ready(i));
    if (pick < 0) pick = group.findIndex((_, i) => ready(i));
    done[pick] = true;
    out.push(group[pick] as Raw);
  }
  return out;
}

function assignProcesses(ordered: readonly Raw[], byReq: ReadonlyMap<number, HistoryEntry>, clients: number): HistoryStep[] {
  const generation = new Map<number, number>();
  const processOf = new Map<number, number>();
  return ordered.map((step) => {
    const entry = byReq.get(step.req) as HistoryEntry;
    if (step.kind === 'invoke') processOf.set(entry.req, entry.client - 1 + (generation.get(entry.client) ?? 0) * clients);
    else if (entry.outcome === 'info') generation.set(entry.client, (generation.get(entry.client) ?? 0) + 1);
    return { kind: step.kind, entry, process: processOf.get(entry.req) as number, t: step.t, line: step.line };
  });
}
