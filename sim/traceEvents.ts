// The events of a run, as recorded in a trace (one JSON line each) and as shown to checkers. Every
// event carries its global virtual time t (microseconds). Message ids tie a send to its
// deliveries and drops. State changes are Immer-format patches against the node's previous state;
// a boot carries the whole state, so a viewer can rebuild every node without protocol code.
import type { DiskStatus } from './disk.ts';
import type { Fault } from './faultPlan.ts';
import type { Patch } from './stateDiff.ts';
import type { NodeId } from './types.ts';

export type Outcome = 'ok' | 'fail' | 'info';

export type TraceEvent =
  | { t: number; kind: 'boot'; node: NodeId; disk: DiskStatus; state: unknown }
  | { t: number; kind: 'state'; node: NodeId; patches: Patch[] }
  | { t: number; kind: 'send'; id: number; from: NodeId; to: NodeId; msg: unknown; byzantine?: string }
  | { t: number; kind: 'deliver'; id: number; from: NodeId; to: NodeId }
  | { t: number; kind: 'drop'; id: number; from: NodeId; to: NodeId; reason: string }
  | { t: number; kind: 'timer'; node: NodeId; timer: unknown }
  | { t: number; kind: 'persist'; node: NodeId; token: number; ok: boolean }
  | { t: number; kind: 'note'; node: NodeId; name: string; data?: unknown }
  | { t: number; kind: 'fault'; phase: 'start' | 'end'; fault: Fault }
  | { t: number; kind: 'phase'; phase: 'heal' }
  | { t: number; kind: 'invoke'; client: number; req: number; node: NodeId; op: unknown }
  | { t: number; kind: 'complete'; client: number; req: number; outcome: Outcome; result?: unknown }
  | { t: number; kind: 'violation'; checker: string; verdict: string; message: string };

export type TraceEventKind = TraceEvent['kind'];

export const TRACE_EVENT_KINDS: readonly TraceEventKind[] = [
  'boot', 'state', 'send', 'deliver', 'drop', 'timer', 'persist', 'note', 'fault', 'phase', 'invoke', 'complete', 'violation',
];

/** The events checkers observe: rare, meaningful ones (not every send and delivery). */
export type ObservedEvent = Extract<TraceEvent, { kind: 'boot' | 'note' | 'fault' | 'phase' | 'invoke' | 'complete' }>;
