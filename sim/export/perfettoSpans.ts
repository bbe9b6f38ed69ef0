// The spans of the Perfetto export: faults as slices from their start to their end (a crash until
// the node boots again, a fault with no end until the end of the trace), on the node's "faults"
// threads or, for partitions and clogged links, on the cluster's "network faults" threads; faults
// with no duration (restart, clock-skew, disk-corrupt) as instants; each client operation as a
// slice from invoke to complete on its client's thread; the heal phase and violations as global
// instants. Overlapping spans go to separate threads (lanes), so slices on a thread never overlap.
// Leaves out: anything per message (perfettoMessages.ts).
import type { HistoryEntry } from '../clients.ts';
import { HistoryCollector } from '../linearizability/historyCollector.ts';
import type { TraceEvent } from '../traceEvents.ts';
import { describeFault, hostName, type NumberedEvent } from './exportInput.ts';
import type { ChromeTraceBuilder } from './perfettoBuilder.ts';

export const RUN_TID = 1;
export const FAULTS_TID = 3;
const ONE_SHOT = ['restart', 'clock-skew', 'disk-corrupt'];
const NETWORK = ['partition', 'partition-one-way', 'clog'];

interface Span {
  pid: number;
  name: string;
  start: number;
  end: number;
  args: Record<string, unknown>;
}

type FaultEvent = Extract<TraceEvent, { kind: 'fault' }>;

export function addFaultSpans(builder: ChromeTraceBuilder, events: readonly NumberedEvent[], clusterPid: number, endUs: number): void {
  const spans: Span[] = [];
  const list = events.map((n) => n.event);
  list.forEach((event, i) => {
    if (event.kind !== 'fault' || event.phase !== 'start') return;
    const fault = event.fault as Record<string, unknown>;
    const network = NETWORK.includes(String(fault.type));
    const onCluster = network || typeof fault.node !== 'number';
    const pid = onCluster ? clusterPid : (fault.node as number);
    const name = describeFault(fault);
    if (ONE_SHOT.includes(String(fault.type))) {
      const tid = onCluster ? RUN_TID + 1 : FAULTS_TID;
      builder.thread(pid, tid, onCluster ? 'network faults' : 'faults');
      builder.instant(pid, tid, name, event.t, 't', 'fault', { fault });
      return;
    }
    spans.push({ pid, name, start: event.t, end: faultEnd(list, i, event, endUs), args: { fault } });
  });
  const byPid = new Map<number, Span[]>();
  for (const span of spans) {
    const group = byPid.get(span.pid);
    if (group) group.push(span);
    else byPid.set(span.pid, [span]);
  }
  for (const [pid, group] of byPid) {
    const first = pid === clusterPid ? RUN_TID + 1 : FAULTS_TID;
    const label = pid === clusterPid ? 'network faults' : 'faults';
    laneOut(builder, pid, first, label, group, 'fault');
  }
}

/** The end event of the same fault; for a crash, the node's next boot if that comes first. */
function faultEnd(list: readonly TraceEvent[], from: number, start: FaultEvent, endUs: number): number {
  const key = JSON.stringify(start.fault);
  const crash = start.fault.type === 'crash';
  for (let j = from + 1; j < list.length; j++) {
    const e = list[j] as TraceEvent;
    if (e.kind === 'fault' && e.phase === 'end' && JSON.stringify(e.fault) === key) return e.t;
    if (crash && e.kind === 'boot' && e.node === (start.fault as { node: number }).node) return e.t;
  }
  return endUs;
}

/** Spans of one process on as few threads as keep each thread's slices apart: lane k is thread first + k. */
function laneOut(builder: ChromeTraceBuilder, pid: number, first: number, label: string, spans: Span[], cat: string): void {
  const laneEnds: number[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    let lane = laneEnds.findIndex((end) => end <= span.start);
    if (lane < 0) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = span.end;
    builder.thread(pid, first + lane, lane === 0 ? label : `${label} ${lane + 1}`);
    builder.slice(pid, first + lane, span.name, span.start, span.end - span.start, cat, span.args);
  }
}

/** One slice per client operation, on the client's thread of the clients process. */
export function addClientSpans(builder: ChromeTraceBuilder, events: readonly NumberedEvent[], clientsPid: number, endUs: number): boolean {
  const collector = new HistoryCollector();
  for (const { event } of events) collector.observe(event);
  for (const entry of collector.entries) {
    builder.thread(clientsPid, entry.client, `client ${entry.client}`);
    const end = entry.completeUs ?? endUs;
    const args = { req: entry.req, node: hostName(entry.node), op: entry.op, outcome: entry.outcome, ...(entry.result !== undefined ? { result: entry.result } : {}) };
    builder.slice(clientsPid, entry.client, operationName(entry), entry.invokeUs, end - entry.invokeUs, 'client', args);
  }
  return collector.entries.length > 0;
}

/** `get k1`, `append k0`, `place-order`, or `writes k3,k5` for a multi-key write. */
function operationName(entry: HistoryEntry): string {
  const op = entry.op as { f?: unknown; key?: unknown; writes?: { key?: unknown }[] } | null;
  if (op && Array.isArray(op.writes)) return `writes ${op.writes.map((w) => String(w.key)).join(',')}`;
  const f = typeof op?.f === 'string' ? op.f : 'operation';
  return typeof op?.key === 'string' ? `${f} ${op.key}` : f;
}

/** The heal phase and each violation, as global instants. */
export function addRunInstants(builder: ChromeTraceBuilder, events: readonly NumberedEvent[], clusterPid: number): void {
  for (const { event } of events) {
    if (event.kind !== 'phase' && event.kind !== 'violation') continue;
    builder.thread(clusterPid, RUN_TID, 'run');
    if (event.kind === 'phase') builder.instant(clusterPid, RUN_TID, 'heal phase begins', event.t, 'g', 'run');
    else builder.instant(clusterPid, RUN_TID, `violation: ${event.checker}`, event.t, 'g', 'run', { verdict: event.verdict, message: event.message });
  }
}
