// The per-node part of the Perfetto export: on each node's "messages" thread, one slice per boot,
// timer firing, send and delivery, and an arrow (a flow event from the send's slice to the
// delivery's) per delivered copy; on its "notes" thread, an instant per note and per dropped
// message; and the cluster's in-flight message counter. Slices are SLICE_US wide and a node's
// slices never overlap: events a node handles in the same microsecond are laid one after the
// other (and a delivery never starts before its send), so a slice may start a few microseconds
// after its event's virtual time, which its args.t keeps exactly. Flow ends sit at the middle of
// their slices, so each binds to exactly one enclosing slice in Perfetto and chrome://tracing.
// Leaves out: state patches and durable writes (shown by the viewer, not here).
import type { TraceEvent } from '../traceEvents.ts';
import { hostName, type NumberedEvent } from './exportInput.ts';
import type { ChromeEvent, ChromeTraceBuilder } from './perfettoBuilder.ts';

export const SLICE_US = 2;
export const MESSAGES_TID = 1;
export const NOTES_TID = 2;

interface Sent {
  start: number;
  slice: ChromeEvent;
  type: string;
}

export function addMessageTracks(builder: ChromeTraceBuilder, events: readonly NumberedEvent[], clusterPid: number): void {
  const cursor = new Map<number, number>();
  const sent = new Map<number, Sent>();
  const copies = fatesById(events);
  let inFlight = 0;
  let counterT = -1;
  let shown = -1;
  let nextFlow = 1;
  const place = (node: number, t: number, notBefore = 0): number => {
    const start = Math.max(t, cursor.get(node) ?? 0, notBefore);
    cursor.set(node, start + SLICE_US);
    builder.thread(node, MESSAGES_TID, 'messages & timers');
    return start;
  };
  // Called before each event: when time moves on, the count after the last microsecond's events, if it changed.
  const counter = (t: number) => {
    if (t !== counterT && counterT >= 0 && inFlight !== shown) {
      builder.push({ name: 'in-flight messages', ph: 'C', pid: clusterPid, tid: 0, ts: counterT, args: { messages: inFlight } });
      shown = inFlight;
    }
    counterT = t;
  };
  for (const { event } of events) {
    counter(event.t);
    switch (event.kind) {
      case 'boot':
        builder.slice(event.node, MESSAGES_TID, 'boot', place(event.node, event.t), SLICE_US, 'node', { t: event.t, disk: event.disk });
        break;
      case 'timer':
        builder.slice(event.node, MESSAGES_TID, `timer ${typeof event.timer === 'string' ? event.timer : JSON.stringify(event.timer)}`, place(event.node, event.t), SLICE_US, 'timer', { t: event.t, timer: event.timer });
        break;
      case 'send': {
        const type = (event.msg as { type: string }).type;
        const start = place(event.from, event.t);
        const args = { t: event.t, id: event.id, to: hostName(event.to), msg: event.msg, ...(event.byzantine ? { byzantine: event.byzantine } : {}) };
        sent.set(event.id, { start, type, slice: builder.slice(event.from, MESSAGES_TID, `send ${type}`, start, SLICE_US, 'message', args) });
        inFlight += Math.max(1, copies.get(event.id) ?? 0);
        break;
      }
      case 'deliver':
        inFlight--;
        nextFlow = deliver(builder, event, sent.get(event.id), place, nextFlow);
        break;
      case 'drop':
        inFlight--;
        dropped(builder, event, sent.get(event.id));
        break;
      case 'note':
        builder.thread(event.node, NOTES_TID, 'notes');
        builder.instant(event.node, NOTES_TID, event.name, event.t, 't', 'note', event.data === undefined ? { t: event.t } : { t: event.t, data: event.data });
        break;
      default:
        break;
    }
  }
  counter(-2);
}

type Place = (node: number, t: number, notBefore?: number) => number;
type DeliverEvent = Extract<TraceEvent, { kind: 'deliver' }>;

/** The delivery's slice and, when its send is known, the arrow from the send's slice to it. */
function deliver(builder: ChromeTraceBuilder, event: DeliverEvent, send: Sent | undefined, place: Place, flow: number): number {
  const type = send?.type ?? 'message';
  const start = place(event.to, event.t, send?.start ?? 0);
  builder.slice(event.to, MESSAGES_TID, `recv ${type}`, start, SLICE_US, 'message', { t: event.t, id: event.id, from: hostName(event.from) });
  if (!send) return flow;
  builder.push({ name: type, ph: 's', pid: event.from, tid: MESSAGES_TID, ts: send.start + SLICE_US / 2, cat: 'message', id: flow });
  builder.push({ name: type, ph: 'f', bp: 'e', pid: event.to, tid: MESSAGES_TID, ts: start + SLICE_US / 2, cat: 'message', id: flow });
  return flow + 1;
}

function dropped(builder: ChromeTraceBuilder, event: Extract<TraceEvent, { kind: 'drop' }>, send: Sent | undefined): void {
  if (send?.slice.args) send.slice.args.dropped = event.reason;
  builder.thread(event.from, NOTES_TID, 'notes');
  builder.instant(event.from, NOTES_TID, `drop ${send?.type ?? 'message'} to ${hostName(event.to)}`, event.t, 't', 'drop', { t: event.t, id: event.id, reason: event.reason });
}

/** How many deliveries and drops each message id has (copies of a duplicated message each have one). */
function fatesById(events: readonly NumberedEvent[]): Map<number, number> {
  const fates = new Map<number, number>();
  for (const { event } of events) if (event.kind === 'deliver' || event.kind === 'drop') fates.set(event.id, (fates.get(event.id) ?? 0) + 1);
  return fates;
}
