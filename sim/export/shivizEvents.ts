// What a ShiViz log shows of a run: per node, the events a node itself takes part in, in trace
// order: each message send (a dropped message is a send that no receive follows, its text names
// the drop), each delivery as a receive of that send, and local events: boots, timers firing,
// notes, and the faults that touch the node (a crash, a pause, the start and end of a partition
// it is in). Texts are one line (ShiViz reads one event per line) and clipped.
// Leaves out: state patches and durable writes (too many to read as events), client requests
// (clients are not nodes here; the Perfetto export shows them), and events outside the window.
import type { TraceEvent } from '../traceEvents.ts';
import { clip, describeFault, faultNodes, hostName, windowEvents, type ExportInput, type ExportOptions } from './exportInput.ts';

export type HostEvent =
  | { kind: 'send'; host: number; t: number; id: number; text: string }
  | { kind: 'receive'; host: number; t: number; id: number; line: number; text: string }
  | { kind: 'local'; host: number; t: number; text: string };

const DETAIL_CHARS = 160;

export function hostEvents(input: ExportInput, options: ExportOptions = {}): HostEvent[] {
  const events = windowEvents(input, options);
  const drops = new Map<number, string>();
  const delivered = new Set<number>();
  const types = new Map<number, string>();
  for (const { event } of events) {
    if (event.kind === 'drop' && !drops.has(event.id)) drops.set(event.id, event.reason);
    else if (event.kind === 'deliver') delivered.add(event.id);
    else if (event.kind === 'send') types.set(event.id, (event.msg as { type: string }).type);
  }
  const out: HostEvent[] = [];
  for (const { event, line } of events) {
    switch (event.kind) {
      case 'send': {
        const drop = drops.get(event.id);
        const fate = drop === undefined ? '' : delivered.has(event.id) ? ` (a copy dropped: ${drop})` : ` (dropped: ${drop})`;
        out.push({ kind: 'send', host: event.from, t: event.t, id: event.id, text: `send ${messageText(event.msg)} #${event.id} to ${hostName(event.to)}${fate}${event.byzantine ? ` [byzantine ${event.byzantine}]` : ''}` });
        break;
      }
      case 'deliver':
        out.push({ kind: 'receive', host: event.to, t: event.t, id: event.id, line, text: `receive ${types.get(event.id) ?? 'message'} #${event.id} from ${hostName(event.from)}` });
        break;
      default:
        for (const local of localEvents(event)) out.push(local);
    }
  }
  return out;
}

function localEvents(event: TraceEvent): HostEvent[] {
  const local = (host: number, text: string): HostEvent => ({ kind: 'local', host, t: event.t, text: oneLine(text) });
  switch (event.kind) {
    case 'boot':
      return [local(event.node, `boot (disk ${event.disk})`)];
    case 'timer':
      return [local(event.node, `timer ${typeof event.timer === 'string' ? event.timer : clip(JSON.stringify(event.timer) ?? '', DETAIL_CHARS)}`)];
    case 'note':
      return [local(event.node, `note ${event.name}${event.data === undefined ? '' : ` ${clip(JSON.stringify(event.data) ?? '', DETAIL_CHARS)}`}`)];
    case 'fault': {
      const fault = event.fault as Record<string, unknown>;
      const text = `fault ${event.phase === 'start' ? 'begins' : 'ends'}: ${describeFault(fault)}`;
      return faultNodes(fault).map((node) => local(node, text));
    }
    default:
      return [];
  }
}

/** The message's type and its other fields, clipped: `AppendEntries {"term":2,...}`. */
function messageText(msg: unknown): string {
  const { type, ...rest } = msg as { type: string };
  const fields = Object.keys(rest).length > 0 ? ` ${clip(JSON.stringify(rest), DETAIL_CHARS)}` : '';
  return oneLine(`${type}${fields}`);
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
