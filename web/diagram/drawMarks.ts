// Marks on the diagram besides messages: protocol markers (a flag with a label: a new leader, a
// suspicion, a compensation), timers firing (small ticks), boots after a crash (with the disk's
// state: a corrupt disk is red), failed disk writes, client operations (a bar per operation from
// invoke to completion, coloured by outcome), and the cursor.
// Leaves out: fault spans and vertical lines (drawBackground.ts).
import { FLAG, KIND, lowerBound, upperBound } from '../trace/columns.ts';
import type { LoadedTrace } from '../worker/messages.ts';
import { TONE } from '../ui/palette.ts';
import { GUTTER, type Layout } from './layout.ts';

const MAX_SPARSE_MARKERS = 400;

export function drawMarkers(g: CanvasRenderingContext2D, L: Layout, tr: LoadedTrace, detailed: boolean): void {
  const m = tr.markers;
  let lo = 0;
  let hi = m.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((m[mid]?.t ?? 0) < L.t0) lo = mid + 1;
    else hi = mid;
  }
  // Zoomed out, a dense run's markers (a 2PC decision every few ms) would paint the lane solid.
  if (!detailed && m.length - lo > MAX_SPARSE_MARKERS && (m[lo + MAX_SPARSE_MARKERS]?.t ?? Infinity) <= L.t1) return;
  const lastLabelEnd = new Float64Array(L.nodes + 1).fill(-Infinity);
  g.font = '11px system-ui, sans-serif';
  g.textBaseline = 'bottom';
  let drawn = 0;
  for (let i = lo; i < m.length && drawn < 4000; i++) {
    const mk = m[i];
    if (!mk || mk.t > L.t1) break;
    const x = L.x(mk.t);
    const top = L.laneTop(mk.node);
    const colour = TONE[mk.tone];
    g.fillStyle = colour;
    g.fillRect(Math.round(x) - 1, top + 3, 2, L.laneH / 2 - 3);
    drawn++;
    if (!detailed || L.laneH < 24 || x < lastLabelEnd[mk.node]!) continue;
    const w = g.measureText(mk.label).width + 6;
    g.fillStyle = 'rgba(255,255,255,0.85)';
    g.fillRect(x + 1, top + 2, w, 14);
    g.fillStyle = colour;
    g.fillText(mk.label, x + 4, top + 15);
    lastLabelEnd[mk.node] = x + w + 4;
  }
}

export function drawEventMarks(g: CanvasRenderingContext2D, L: Layout, tr: LoadedTrace): void {
  const c = tr.columns;
  const lo = lowerBound(c.t, c.count, L.t0);
  const hi = upperBound(c.t, c.count, L.t1);
  g.font = '10px system-ui, sans-serif';
  g.textBaseline = 'top';
  for (let i = lo; i < hi; i++) {
    const k = c.kind[i];
    if (k === KIND.timer) {
      const x = Math.round(L.x(c.t[i] as number)) + 0.5;
      const y = L.laneY(c.a[i] as number);
      g.strokeStyle = '#7a8394';
      g.beginPath();
      g.moveTo(x, y - 6);
      g.lineTo(x, y + 6);
      g.stroke();
      g.fillStyle = '#7a8394';
      g.beginPath();
      g.arc(x, y - 7, 2, 0, Math.PI * 2);
      g.fill();
    } else if (k === KIND.boot && (c.t[i] as number) > 0) {
      const disk = tr.strings[c.s[i] as number] ?? '';
      const x = L.x(c.t[i] as number);
      const y = L.laneY(c.a[i] as number);
      g.fillStyle = disk === 'corrupt' ? TONE.bad : TONE.ok;
      g.beginPath();
      g.moveTo(x, y - 7);
      g.lineTo(x + 8, y);
      g.lineTo(x, y + 7);
      g.fill();
      if (L.laneH >= 24) g.fillText(disk === 'corrupt' ? 'restart: disk corrupt' : `restart (disk ${disk})`, x + 10, y + 4);
    } else if (k === KIND.persist && ((c.f[i] as number) & FLAG.OK) === 0) {
      const x = L.x(c.t[i] as number);
      const y = L.laneY(c.a[i] as number);
      g.fillStyle = TONE.bad;
      g.fillRect(x - 3, y + 4, 6, 6);
      if (L.laneH >= 24) g.fillText('write failed', x + 5, y + 4);
    }
  }
}

const OUTCOME_COLOUR: Record<string, string> = { ok: TONE.ok, fail: TONE.bad, info: TONE.warn };

export function drawClients(g: CanvasRenderingContext2D, L: Layout, tr: LoadedTrace): void {
  if (L.clientRows === 0) return;
  const c = tr.columns;
  const timeout = tr.header.options.clients.timeoutUs;
  const lo = lowerBound(c.t, c.count, L.t0 - timeout * 2);
  const hi = upperBound(c.t, c.count, L.t1);
  const right = GUTTER + L.plotWidth;
  // Zoomed out, many operations share a pixel: draw at most one bar per row and pixel.
  const drawnTo = new Float64Array(L.clientRows + 1).fill(-Infinity);
  let style = '';
  for (let i = lo; i < hi; i++) {
    if (c.kind[i] !== KIND.invoke) continue;
    const done = c.link[i] as number;
    const end = done >= 0 ? (c.t[done] as number) : tr.endT;
    if (end < L.t0) continue;
    const row = ((c.a[i] as number) - 1) % L.clientRows + 1;
    const x0 = Math.max(GUTTER, L.x(c.t[i] as number), drawnTo[row] as number);
    const x1 = Math.min(right, Math.max(L.x(c.t[i] as number) + 1.5, L.x(end)));
    if (x1 - x0 < 1) continue;
    const colour = done >= 0 ? (OUTCOME_COLOUR[tr.strings[c.s[done] as number] ?? ''] ?? TONE.neutral) : TONE.down;
    if (colour !== style) g.fillStyle = style = colour;
    g.fillRect(x0, L.clientY(c.a[i] as number) - 3, Math.max(1, x1 - x0 - 1), 6);
    drawnTo[row] = x1;
  }
}

export function drawCursor(g: CanvasRenderingContext2D, L: Layout, tr: LoadedTrace, cursor: number): void {
  const c = tr.columns;
  const t = c.t[cursor] as number;
  if (t < L.t0 || t > L.t1) return;
  const x = Math.round(L.x(t)) + 0.5;
  g.strokeStyle = '#1a56db';
  g.lineWidth = 2;
  g.beginPath();
  g.moveTo(x, 18);
  g.lineTo(x, L.height);
  g.stroke();
  g.lineWidth = 1;
  g.fillStyle = '#1a56db';
  g.beginPath();
  g.moveTo(x - 6, 12);
  g.lineTo(x + 6, 12);
  g.lineTo(x, 20);
  g.fill();
  const k = c.kind[cursor];
  const node = k === KIND.send || k === KIND.deliver || k === KIND.drop ? (k === KIND.send ? c.a[cursor] : c.b[cursor]) : k === KIND.invoke || k === KIND.fault ? c.b[cursor] : k === KIND.complete || k === KIND.phase || k === KIND.violation ? 0 : c.a[cursor];
  if (node && node >= 1 && node <= L.nodes) {
    g.strokeStyle = '#1a56db';
    g.lineWidth = 2;
    g.beginPath();
    g.arc(x, L.laneY(node), 6, 0, Math.PI * 2);
    g.stroke();
    g.lineWidth = 1;
  }
}
