// The worker's loaded traces ("slots"): each keeps its bytes, line offsets, state checkpoints and
// collected notes, and answers the page's questions about it (node states at an event, one event's
// fields, where lesson anchors fall). Building a slot also builds what the page draws: columns,
// fault spans, markers and chart series.
// Leaves out: messaging (traceWorker.ts) and simulation (simulate.ts).
import { findAnchors, type Anchor } from '../lessons/anchor.ts';
import { genericCharts } from '../charts/genericCharts.ts';
import type { ChartContext, Marker, ProtocolView } from '../protocols/protocolView.ts';
import { viewFor } from '../protocols/views.ts';
import { KIND_NAMES, trimColumns, type TraceColumns } from '../trace/columns.ts';
import { faultSpans } from '../trace/faultSpans.ts';
import { lineText } from '../trace/lineIndex.ts';
import { preview } from '../trace/preview.ts';
import { indexTrace, type IndexedTrace } from '../trace/traceIndexer.ts';
import type { EventView, LoadedTrace, NodeView } from './messages.ts';

const CHART_BINS = 150;
const MAX_MARKERS = 200_000;

export class Slot {
  private readonly decoder = new TextDecoder();
  readonly view: ProtocolView;

  /** The trace's name (a file name, a URL, a run's or a fork's label): exports name it so. */
  constructor(readonly trace: IndexedTrace, readonly source = 'trace') {
    this.view = viewFor(trace.header.protocol);
  }

  static index(bytes: Uint8Array, source: string, onProgress: (done: number, total: number) => void): Slot {
    const probe = peekProtocol(bytes);
    const view = viewFor(probe);
    const keep = new Set(view.notes);
    return new Slot(indexTrace(bytes, { source, keepNote: (name) => keep.has(name), onProgress }), source);
  }

  read(index: number): Record<string, unknown> {
    return JSON.parse(lineText(this.trace.bytes, this.trace.lineStart, index + 1, this.decoder)) as Record<string, unknown>;
  }

  /** What the page keeps: a copy of the columns (the worker keeps its own for anchors). */
  loaded(slot: number, name: string, workerMs: number): LoadedTrace {
    const { header, footer, columns, strings, faults, violations, maxLatency } = this.trace;
    const endT = columns.count > 0 ? (columns.t[columns.count - 1] as number) : 0;
    const { spans, life } = faultSpans(faults, columns, endT);
    const bins = CHART_BINS;
    const ctx: ChartContext = { nodes: header.options.nodes, endT, bins, binUs: Math.max(1000, Math.ceil((endT + 1) / bins)), lifeChanges: life, config: header.options.config };
    const charts = [...genericCharts(columns, strings, ctx), ...(this.view.charts?.(this.trace.notes, ctx) ?? [])];
    return {
      slot, name, header, footer, columns: trimColumns(columns), strings: [...strings.list], faults, violations, spans, markers: this.markers(), charts,
      endT, maxLatency, bytes: this.trace.bytes.length, workerMs,
    };
  }

  private markers(): Marker[] {
    const out: Marker[] = [];
    const marker = this.view.marker;
    if (!marker) return out;
    for (const note of this.trace.notes) {
      const m = marker(note);
      if (m) out.push({ index: note.index, t: note.t, node: note.node, label: m.label, tone: m.tone });
      if (out.length >= MAX_MARKERS) break;
    }
    return out;
  }

  states(index: number): NodeView[] {
    const out: NodeView[] = [];
    const config = this.trace.header.options.config;
    for (let node = 1; node <= this.trace.header.options.nodes; node++) {
      const { state, since } = this.trace.states.stateAt(node, index, (i) => this.read(i) as never);
      out.push({ node, since, summary: since < 0 ? undefined : safe(() => this.view.summarize(state, node, config)), preview: since < 0 ? null : preview(state) });
    }
    return out;
  }

  event(index: number): EventView {
    const c: TraceColumns = this.trace.columns;
    if (!(index >= 0 && index < c.count)) throw new Error(`no event ${index} (the trace has ${c.count})`);
    const event = this.read(index);
    const kind = KIND_NAMES[c.kind[index] as number];
    const send = c.link[index] as number;
    const msg = (kind === 'deliver' || kind === 'drop') && send >= 0 ? this.read(send).msg : undefined;
    return { index, event: preview(event), ...(msg !== undefined ? { msg: preview(msg) } : {}) };
  }

  anchors(anchors: Anchor[]): number[] {
    const c = this.trace.columns;
    return findAnchors(anchors, c.count, (i) => KIND_NAMES[c.kind[i] as number] as string, (i) => this.read(i));
  }
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** The protocol named in the header line, without validating it (the indexer does that). */
function peekProtocol(bytes: Uint8Array): string {
  const end = bytes.indexOf(10);
  try {
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(0, end < 0 ? Math.min(bytes.length, 1 << 20) : end))) as { protocol?: unknown };
    return typeof header.protocol === 'string' ? header.protocol : '';
  } catch {
    return '';
  }
}
