// The messages between the page and the trace worker. Every request carries an id; the worker
// answers with progress (loads, runs, exports), then ok with a result or error with a message.
// A slot is one loaded trace (a file or a run); forks add slots. Large arrays are transferred.
// Leaves out: cancelling (a new load simply waits for the current one).
import type { ExportFormat } from '../../sim/export/formats.ts';
import type { TraceFooter, TraceHeader } from '../../sim/tracer.ts';
import type { Anchor } from '../lessons/anchor.ts';
import type { ChartSpec, Marker, NodeSummary } from '../protocols/protocolView.ts';
import type { RunSpec } from '../run/runSpec.ts';
import type { TraceColumns } from '../trace/columns.ts';
import type { Span } from '../trace/faultSpans.ts';
import type { FaultEvent, Violation } from '../trace/traceIndexer.ts';

export type WorkerRequest =
  | { type: 'load'; slot: number; name: string; bytes: ArrayBuffer }
  | { type: 'fetch'; slot: number; url: string }
  | { type: 'run'; slot: number; run: RunSpec }
  | { type: 'fork'; slot: number; from: number; plan: { faults: Record<string, unknown>[] }; label: string }
  | { type: 'states'; slot: number; index: number }
  | { type: 'event'; slot: number; index: number }
  | { type: 'anchors'; slot: number; anchors: Anchor[] }
  | { type: 'export'; slots: number[]; format: ExportFormat }
  | { type: 'free'; slot: number };

export type WorkerResponse =
  | { id: number; type: 'progress'; stage: string; done: number; total: number }
  | { id: number; type: 'ok'; result: unknown }
  | { id: number; type: 'error'; message: string };

/** What the page gets for a loaded or simulated trace. */
export interface LoadedTrace {
  slot: number;
  name: string;
  header: TraceHeader;
  footer: TraceFooter;
  columns: TraceColumns;
  strings: string[];
  faults: FaultEvent[];
  violations: Violation[];
  spans: Span[];
  markers: Marker[];
  charts: ChartSpec[];
  endT: number;
  maxLatency: number;
  bytes: number;
  /** Present when the trace was simulated here from a run description (it has a shareable link). */
  run?: RunSpec;
  /** Forks: the slot it was forked from and the first event where the two differ (-1: identical). */
  divergence?: { from: number; index: number; description: string };
  /** Parse or run time in the worker, ms. */
  workerMs: number;
}

export interface NodeView {
  node: number;
  /** The event that last changed its state (-1: not booted yet). */
  since: number;
  summary: NodeSummary | undefined;
  /** The state, shortened for display (long arrays and strings cut). */
  preview: unknown;
}

export interface EventView {
  index: number;
  event: unknown;
  /** For deliveries and drops: the message that was sent. */
  msg?: unknown;
}

/** An exported file, ready to download: its UTF-8 bytes (transferred) and what exportTraces named it. */
export interface ExportedDownload {
  bytes: ArrayBuffer;
  fileName: string;
  mimeType: string;
  /** One line saying what the file holds. */
  summary: string;
  /** Time spent in the worker, ms. */
  workerMs: number;
}
