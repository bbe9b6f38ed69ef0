// The charts every protocol gets, built in the worker from the columns: message rate by type,
// drops by reason, client latency percentiles, client throughput, and availability (the share of
// client operations that succeeded, and the share of nodes up). Counts are per time bin and shown
// per second of virtual time.
// Leaves out: protocol-specific figures (protocols/*View.ts build those from notes).
import { KIND, type TraceColumns } from '../trace/columns.ts';
import type { StringTable } from '../trace/stringTable.ts';
import { seconds, type ChartContext, type ChartSpec, type Series } from '../protocols/protocolView.ts';

const TOP_TYPES = 6;

export function genericCharts(c: TraceColumns, strings: StringTable, ctx: ChartContext): ChartSpec[] {
  const charts = [messageChart(c, strings, ctx), dropChart(c, strings, ctx)];
  const clients = clientCharts(c, strings, ctx);
  return [...charts, ...clients];
}

function binOf(t: number, ctx: ChartContext): number {
  return Math.min(ctx.bins - 1, Math.floor(t / ctx.binUs));
}

function rateSeries(label: string, counts: ArrayLike<number>, ctx: ChartContext, extra: Partial<Series> = {}): Series {
  const perSecond = 1_000_000 / ctx.binUs;
  const points: [number, number | null][] = [];
  for (let i = 0; i < ctx.bins; i++) points.push([seconds((i + 0.5) * ctx.binUs), (counts[i] as number) * perSecond]);
  return { label, points, ...extra };
}

/** Counts per (string id, bin) for events of one kind. */
function countBy(c: TraceColumns, kind: number, ctx: ChartContext): Map<number, Float64Array> {
  const by = new Map<number, Float64Array>();
  for (let i = 0; i < c.count; i++) {
    if (c.kind[i] !== kind) continue;
    const s = c.s[i] as number;
    let bins = by.get(s);
    if (!bins) by.set(s, (bins = new Float64Array(ctx.bins)));
    const b = binOf(c.t[i] as number, ctx);
    bins[b] = (bins[b] as number) + 1;
  }
  return by;
}

function topSeries(by: Map<number, Float64Array>, strings: StringTable, ctx: ChartContext): Series[] {
  const totals = [...by.entries()].map(([s, bins]) => ({ s, bins, total: bins.reduce((a, b) => a + b, 0) })).sort((a, b) => b.total - a.total || a.s - b.s);
  const series = totals.slice(0, TOP_TYPES).map((x) => rateSeries(strings.list[x.s] ?? '?', x.bins, ctx));
  if (totals.length > TOP_TYPES) {
    const other = new Float64Array(ctx.bins);
    for (const x of totals.slice(TOP_TYPES)) x.bins.forEach((v, i) => (other[i] = (other[i] as number) + v));
    series.push(rateSeries('other', other, ctx, { dashed: true }));
  }
  return series;
}

function messageChart(c: TraceColumns, strings: StringTable, ctx: ChartContext): ChartSpec {
  const series = topSeries(countBy(c, KIND.send, ctx), strings, ctx);
  return { id: 'messages', title: 'Messages sent by type', yTitle: 'per second', series, empty: series.length ? undefined : 'no messages' };
}

function dropChart(c: TraceColumns, strings: StringTable, ctx: ChartContext): ChartSpec {
  const series = topSeries(countBy(c, KIND.drop, ctx), strings, ctx);
  return { id: 'drops', title: 'Dropped messages by reason', yTitle: 'per second', series, empty: series.length ? undefined : 'no message was dropped' };
}

function clientCharts(c: TraceColumns, strings: StringTable, ctx: ChartContext): ChartSpec[] {
  const latencies: number[][] = Array.from({ length: ctx.bins }, () => []);
  const outcome = { ok: new Float64Array(ctx.bins), fail: new Float64Array(ctx.bins), info: new Float64Array(ctx.bins) };
  const ok = strings.find('ok');
  const fail = strings.find('fail');
  let any = false;
  for (let i = 0; i < c.count; i++) {
    if (c.kind[i] !== KIND.complete) continue;
    any = true;
    const bin = binOf(c.t[i] as number, ctx);
    const s = c.s[i];
    const which = s === ok ? outcome.ok : s === fail ? outcome.fail : outcome.info;
    which[bin] = (which[bin] as number) + 1;
    const invoke = c.link[i] as number;
    if (s === ok && invoke >= 0) (latencies[bin] as number[]).push(((c.t[i] as number) - (c.t[invoke] as number)) / 1000);
  }
  const availability = availabilityChart(outcome, ctx, any);
  if (!any) return [availability];
  const pct = (q: number): Series['points'] => latencies.map((l, i) => [seconds((i + 0.5) * ctx.binUs), quantile(l, q)]);
  return [
    { id: 'latency', title: 'Client latency (answered operations)', yTitle: 'ms', series: [{ label: 'p50', points: pct(0.5), tone: 'ok' }, { label: 'p95', points: pct(0.95), tone: 'warn' }, { label: 'p99', points: pct(0.99), tone: 'bad' }] },
    { id: 'throughput', title: 'Client throughput', yTitle: 'operations per second', series: [rateSeries('ok', outcome.ok, ctx, { tone: 'ok' }), rateSeries('failed', outcome.fail, ctx, { tone: 'bad' }), rateSeries('timed out (info)', outcome.info, ctx, { tone: 'warn', dashed: true })] },
    availability,
  ];
}

function availabilityChart(outcome: { ok: Float64Array; fail: Float64Array; info: Float64Array }, ctx: ChartContext, clients: boolean): ChartSpec {
  const series: Series[] = [];
  if (clients) {
    const points: Series['points'] = [];
    for (let i = 0; i < ctx.bins; i++) {
      const total = (outcome.ok[i] as number) + (outcome.fail[i] as number) + (outcome.info[i] as number);
      points.push([seconds((i + 0.5) * ctx.binUs), total === 0 ? null : (100 * (outcome.ok[i] as number)) / total]);
    }
    series.push({ label: 'operations that succeeded (%)', points, tone: 'ok' });
  }
  const up = new Set<number>();
  for (let n = 1; n <= ctx.nodes; n++) up.add(n);
  const changes: Series['points'] = [[0, 100]];
  for (const [t, node, isUp] of ctx.lifeChanges) {
    if (isUp) up.add(node);
    else up.delete(node);
    changes.push([seconds(t), (100 * up.size) / ctx.nodes]);
  }
  changes.push([seconds(ctx.endT), (100 * up.size) / ctx.nodes]);
  series.push({ label: 'nodes up (%)', points: changes, stepped: true, tone: 'info', dashed: clients });
  return { id: 'availability', title: 'Availability', yTitle: '%', series };
}

function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.floor(q * values.length))] as number;
}
