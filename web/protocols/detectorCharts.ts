// Charts shared by the failure detectors (SWIM and heartbeat), built from their status notes
// ({ peer, from, to }): how many (observer, peer) pairs are suspected or declared down over time,
// and for each crash how long each live observer took to declare the crashed node down, with
// false suspicions (of a node that was up) counted separately.
// Leaves out: per-observer views (the state panels show those).
import type { CollectedNote } from '../trace/traceIndexer.ts';
import { asRecord, seconds, stepSeries, type ChartContext, type ChartSpec, type Series } from './protocolView.ts';

export interface DetectorWords {
  suspect: string;
  down: string;
  name: string;
}

export function suspicionChart(notes: readonly CollectedNote[], ctx: ChartContext, words: DetectorWords): ChartSpec {
  const status = new Map<string, string>();
  let suspect = 0;
  let down = 0;
  const suspectChanges: [number, number | null][] = [[0, 0]];
  const downChanges: [number, number | null][] = [[0, 0]];
  for (const n of notes) {
    if (n.name !== 'status') continue;
    const d = asRecord(n.data);
    const key = `${n.node}:${String(d.peer)}`;
    const before = status.get(key);
    const after = typeof d.to === 'string' ? d.to : '';
    if (before === words.suspect) suspect--;
    if (before === words.down) down--;
    if (after === words.suspect) suspect++;
    if (after === words.down) down++;
    status.set(key, after);
    suspectChanges.push([n.t, suspect]);
    downChanges.push([n.t, down]);
  }
  return {
    id: `${words.name}-suspicion`, title: `Suspicions (${words.name})`, yTitle: 'observer-peer pairs', integer: true,
    series: [stepSeries(words.suspect, suspectChanges, ctx.endT, { tone: 'warn' }), stepSeries(words.down, downChanges, ctx.endT, { tone: 'bad' })],
  };
}

export function detectionChart(notes: readonly CollectedNote[], ctx: ChartContext, words: DetectorWords): ChartSpec {
  const crashedAt = new Map<number, number>();
  const detected = new Set<string>();
  const detection: [number, number | null][] = [];
  const falseSuspicion: number[] = [];
  const life = [...ctx.lifeChanges];
  let j = 0;
  for (const n of notes) {
    while (j < life.length && (life[j] as [number, number, boolean])[0] <= n.t) {
      const [t, node, up] = life[j++] as [number, number, boolean];
      if (up) crashedAt.delete(node);
      else crashedAt.set(node, t);
    }
    if (n.name !== 'status') continue;
    const d = asRecord(n.data);
    const peer = typeof d.peer === 'number' ? d.peer : Number(String(d.peer).replace(/^n/, ''));
    const since = crashedAt.get(peer);
    if (since === undefined && (d.to === words.suspect || d.to === words.down)) falseSuspicion.push(n.t);
    if (since === undefined || d.to !== words.down || crashedAt.has(n.node)) continue;
    const key = `${n.node}:${peer}:${since}`;
    if (detected.has(key)) continue;
    detected.add(key);
    detection.push([seconds(n.t), (n.t - since) / 1000]);
  }
  const series: Series[] = [{ label: `time to ${words.down} after a crash (ms)`, points: detection, scatter: true, tone: 'bad' }];
  const wrong = `${falseSuspicion.length} suspicion${falseSuspicion.length === 1 ? '' : 's'} of a node that was up`;
  return {
    id: `${words.name}-detection`, title: `Detection times (${words.name})`, yTitle: 'ms after the crash', series,
    empty: detection.length === 0 ? `no crashed node was declared ${words.down} in this run; ${wrong}` : undefined,
  };
}
