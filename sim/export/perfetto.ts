// Writes a run as Chrome Trace Event JSON, which Perfetto (ui.perfetto.dev) and chrome://tracing
// open: each node is a process (pid = node number) with a "messages & timers" thread (a slice per
// boot, timer, send and delivery, an arrow per delivered message), a "notes" thread (instants for
// notes and drops) and "faults" threads (crashes, pauses and other node faults as slices); a
// "cluster" process holds network faults (partitions, clogs) as slices, the heal phase and
// violations as global instants and an "in-flight messages" counter; a "clients" process has one
// thread per client with a slice per operation. ts and dur are virtual microseconds.
// Pure: the browser viewer calls it for downloads. Leaves out: state patches, durable writes.
import { hostName, runLabel, sourceOf, windowEvents, type ExportInput, type ExportOptions } from './exportInput.ts';
import { ChromeTraceBuilder, type ChromeEvent } from './perfettoBuilder.ts';
import { addMessageTracks } from './perfettoMessages.ts';
import { addClientSpans, addFaultSpans, addRunInstants } from './perfettoSpans.ts';

export interface ChromeTrace {
  traceEvents: ChromeEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, string>;
}

/** The trace as a JSON object (perfettoJson writes it as text). */
export function exportPerfettoTrace(input: ExportInput, options: ExportOptions = {}): ChromeTrace {
  const events = windowEvents(input, options);
  const nodes = events.reduce((max, n) => Math.max(max, 'node' in n.event ? n.event.node : 0), input.header.options.nodes);
  const clusterPid = nodes + 1;
  const clientsPid = nodes + 2;
  const endUs = events.length > 0 ? (events[events.length - 1]?.event.t ?? 0) : 0;
  const builder = new ChromeTraceBuilder();
  builder.process(clusterPid, 'cluster', 0);
  for (let n = 1; n <= nodes; n++) builder.process(n, hostName(n), n);
  addMessageTracks(builder, events, clusterPid);
  addFaultSpans(builder, events, clusterPid, endUs);
  addRunInstants(builder, events, clusterPid);
  if (addClientSpans(builder, events, clientsPid, endUs)) builder.process(clientsPid, 'clients', nodes + 1);
  const { header } = input;
  const otherData: Record<string, string> = {
    run: runLabel(header),
    source: sourceOf(input),
    protocol: header.protocol,
    seed: String(header.seed),
    nodes: String(header.options.nodes),
    exporter: 'faultlab export --format perfetto',
    timeline: 'virtual time: ts and dur are simulated microseconds',
  };
  if (options.untilUs !== undefined) otherData.until = `${options.untilUs}us`;
  return { traceEvents: builder.finish(), displayTimeUnit: 'ms', otherData };
}

/** The JSON text, one event per line. */
export function exportPerfetto(input: ExportInput, options: ExportOptions = {}): string {
  const trace = exportPerfettoTrace(input, options);
  const events = trace.traceEvents.map((e) => JSON.stringify(e)).join(',\n');
  return `{"displayTimeUnit":"ms","otherData":${JSON.stringify(trace.otherData)},"traceEvents":[\n${events}\n]}\n`;
}
