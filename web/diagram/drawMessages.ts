// Messages on the diagram. Zoomed in (few events in view): an arrow per message from its send to
// its delivery, coloured by type; a duplicate copy dashed and labelled; a dropped message ends in
// a red cross with its reason; a message never delivered trails off dashed. Zoomed out (too many
// to draw one by one): a density band per lane, darker where a node sends more, with drops in red.
// Only the visible window is visited: events are found by binary search on time.
// Leaves out: hit testing (hitTest.ts reads the segments this records).
import { FLAG, KIND, lowerBound, upperBound } from '../trace/columns.ts';
import type { LoadedTrace } from '../worker/messages.ts';
import { messageColour } from '../ui/palette.ts';
import { densityIndex } from './densityIndex.ts';
import { GUTTER, type Layout } from './layout.ts';

/** Above this many events in view, the diagram draws densities instead of arrows. */
export const DETAIL_LIMIT = 8000;

export interface Segments {
  /** Per drawn arrow: the arrival (deliver or drop) event index, or the send's for undelivered ones. */
  event: number[];
  coords: number[];
}

export function eventsInView(tr: LoadedTrace, L: Layout): { lo: number; hi: number } {
  const c = tr.columns;
  return { lo: lowerBound(c.t, c.count, L.t0), hi: upperBound(c.t, c.count, L.t1) };
}

export function drawMessages(g: CanvasRenderingContext2D, L: Layout, tr: LoadedTrace, selected: number): Segments {
  const seg: Segments = { event: [], coords: [] };
  const c = tr.columns;
  const lo = lowerBound(c.t, c.count, L.t0);
  const hi = upperBound(c.t, c.count, L.t1 + tr.maxLatency);
  const heads = upperBound(c.t, c.count, L.t1) - lo < DETAIL_LIMIT / 2;
  const labels = upperBound(c.t, c.count, L.t1) - lo < 600 && L.laneH >= 24;
  const labelEnd = new Float64Array(L.nodes + 1).fill(-Infinity);
  const room = (node: number, x: number): boolean => {
    if (!labels || x < (labelEnd[node] as number)) return false;
    labelEnd[node] = x + 60;
    return true;
  };
  g.lineWidth = 1.2;
  for (let i = lo; i < hi; i++) {
    const k = c.kind[i];
    if (k !== KIND.deliver && k !== KIND.drop) continue;
    const send = c.link[i] as number;
    const ts = c.t[send] as number;
    if (ts > L.t1) continue;
    const from = c.a[i] as number;
    const to = c.b[i] as number;
    const x0 = L.x(ts);
    const y0 = L.laneY(from);
    let x1 = L.x(c.t[i] as number);
    let y1 = L.laneY(to);
    const colour = messageColour(c.s[send] as number);
    if (k === KIND.drop) {
      if (x1 - x0 < 14) {
        x1 = x0 + 14;
        y1 = y0 + (y1 - y0) * 0.35;
      }
      line(g, x0, y0, x1, y1, colour, false);
      cross(g, x1, y1);
      if (room(to, x1)) label(g, tr.strings[c.s[i] as number] ?? 'dropped', x1 + 5, y1, '#c62828');
    } else {
      const dup = ((c.f[i] as number) & FLAG.DUPLICATE) !== 0;
      line(g, x0, y0, x1, y1, colour, dup);
      if (heads) head(g, x0, y0, x1, y1, colour);
      if (dup && room(to, (x0 + x1) / 2)) label(g, 'dup', (x0 + x1) / 2 + 3, (y0 + y1) / 2, colour);
    }
    if (send === selected) highlight(g, x0, y0, x1, y1);
    seg.event.push(i);
    seg.coords.push(x0, y0, x1, y1);
  }
  undelivered(g, L, tr, lo, upperBound(c.t, c.count, L.t1), seg);
  return seg;
}

function undelivered(g: CanvasRenderingContext2D, L: Layout, tr: LoadedTrace, lo: number, hi: number, seg: Segments): void {
  const c = tr.columns;
  for (let i = lo; i < hi; i++) {
    if (c.kind[i] !== KIND.send || (c.link[i] as number) >= 0) continue;
    const x0 = L.x(c.t[i] as number);
    const y0 = L.laneY(c.a[i] as number);
    const y1 = y0 + (L.laneY(c.b[i] as number) - y0) * 0.5;
    line(g, x0, y0, x0 + 24, y1, messageColour(c.s[i] as number), true);
    seg.event.push(i);
    seg.coords.push(x0, y0, x0 + 24, y1);
  }
}

function line(g: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number, colour: string, dashed: boolean): void {
  g.strokeStyle = colour;
  if (dashed) g.setLineDash([4, 3]);
  g.beginPath();
  g.moveTo(x0, y0);
  g.lineTo(x1, y1);
  g.stroke();
  if (dashed) g.setLineDash([]);
}

function head(g: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number, colour: string): void {
  const a = Math.atan2(y1 - y0, x1 - x0);
  g.fillStyle = colour;
  g.beginPath();
  g.moveTo(x1, y1);
  g.lineTo(x1 - 7 * Math.cos(a - 0.4), y1 - 7 * Math.sin(a - 0.4));
  g.lineTo(x1 - 7 * Math.cos(a + 0.4), y1 - 7 * Math.sin(a + 0.4));
  g.fill();
}

function cross(g: CanvasRenderingContext2D, x: number, y: number): void {
  g.strokeStyle = '#c62828';
  g.lineWidth = 2;
  g.beginPath();
  g.moveTo(x - 4, y - 4);
  g.lineTo(x + 4, y + 4);
  g.moveTo(x + 4, y - 4);
  g.lineTo(x - 4, y + 4);
  g.stroke();
  g.lineWidth = 1.2;
}

function label(g: CanvasRenderingContext2D, text: string, x: number, y: number, colour: string): void {
  g.font = '10px system-ui, sans-serif';
  g.fillStyle = colour;
  g.textBaseline = 'middle';
  g.fillText(text, x, y);
}

function highlight(g: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  g.save();
  g.strokeStyle = 'rgba(255, 196, 0, 0.7)';
  g.lineWidth = 6;
  g.beginPath();
  g.moveTo(x0, y0);
  g.lineTo(x1, y1);
  g.stroke();
  g.restore();
}

/** Zoomed out: per lane, how many messages each node sends per couple of pixels; drops in red. */
export function drawDensity(g: CanvasRenderingContext2D, L: Layout, tr: LoadedTrace): void {
  const cols = Math.ceil(L.plotWidth / 2);
  const { sends, drops } = columnCounts(L, tr, cols);
  let max = 1;
  for (let j = 0; j < sends.length; j++) if ((sends[j] as number) > max) max = sends[j] as number;
  const band = Math.max(2, L.laneH * 0.5);
  // One fill style per shade (a style change is costly), cells of that shade in one pass.
  const levels = 12;
  const level = new Uint8Array(sends.length);
  const logMax = Math.log1p(max);
  for (let j = 0; j < sends.length; j++) if ((sends[j] as number) > 0) level[j] = 1 + Math.min(levels - 1, Math.floor((Math.log1p(sends[j] as number) / logMax) * levels));
  for (let v = 1; v <= levels; v++) {
    g.fillStyle = `rgba(43, 108, 176, ${(0.15 + (0.75 * v) / levels).toFixed(3)})`;
    for (let n = 1; n <= L.nodes; n++) {
      const y = L.laneY(n) - band / 2;
      for (let col = 0; col < cols; col++) if (level[n * cols + col] === v) g.fillRect(GUTTER + col * 2, y, 2, band);
    }
  }
  g.fillStyle = '#c62828';
  for (let n = 1; n <= L.nodes; n++) {
    const y = L.laneY(n) + band / 2;
    for (let col = 0; col < cols; col++) {
      const d = drops[n * cols + col] as number;
      if (d > 0) g.fillRect(GUTTER + col * 2, y, 2, Math.min(6, 2 + d));
    }
  }
}

/** Sends and drops per node and pixel column: from the bins when a column spans several, else from the events. */
function columnCounts(L: Layout, tr: LoadedTrace, cols: number): { sends: Uint32Array; drops: Uint32Array } {
  const sends = new Uint32Array(cols * (L.nodes + 1));
  const drops = new Uint32Array(cols * (L.nodes + 1));
  const index = densityIndex(tr);
  const colUs = (L.t1 - L.t0) / cols;
  if (colUs >= index.binUs * 4) {
    const first = Math.max(0, Math.floor(L.t0 / index.binUs));
    const last = Math.min(index.bins - 1, Math.floor(L.t1 / index.binUs));
    for (let n = 1; n <= L.nodes; n++) {
      for (let b = first; b <= last; b++) {
        const col = Math.min(cols - 1, Math.max(0, Math.floor(((b + 0.5) * index.binUs - L.t0) / colUs)));
        const cell = n * index.bins + b;
        sends[n * cols + col] = (sends[n * cols + col] as number) + (index.sends[cell] as number);
        drops[n * cols + col] = (drops[n * cols + col] as number) + (index.drops[cell] as number);
      }
    }
    return { sends, drops };
  }
  const c = tr.columns;
  const lo = lowerBound(c.t, c.count, L.t0);
  const hi = upperBound(c.t, c.count, L.t1);
  const scale = cols / (L.t1 - L.t0);
  const { kind, t, a } = c;
  for (let i = lo; i < hi; i++) {
    const k = kind[i];
    if (k !== KIND.send && k !== KIND.drop) continue;
    const cell = (a[i] as number) * cols + Math.min(cols - 1, (((t[i] as number) - L.t0) * scale) | 0);
    if (k === KIND.send) sends[cell] = (sends[cell] as number) + 1;
    else drops[cell] = (drops[cell] as number) + 1;
  }
  return { sends, drops };
}
