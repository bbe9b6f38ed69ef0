// What is under the mouse on the diagram: the nearest message arrow within a few pixels (from the
// segments the last frame drew), else a protocol marker, else a fault span, else nothing.
// Leaves out: drawing the tooltip (diagram.ts does that with text only).
import type { Span } from '../trace/faultSpans.ts';
import type { Marker } from '../protocols/protocolView.ts';
import type { Layout } from './layout.ts';
import type { Segments } from './drawMessages.ts';

export type Hit =
  | { kind: 'message'; event: number }
  | { kind: 'marker'; marker: Marker }
  | { kind: 'span'; span: Span }
  | undefined;

export function hitTest(x: number, y: number, L: Layout, seg: Segments, markers: readonly Marker[], spans: readonly Span[]): Hit {
  let best = -1;
  let bestD = 36; // 6 px squared
  const c = seg.coords;
  for (let k = 0; k < seg.event.length; k++) {
    const d = distSq(x, y, c[4 * k] as number, c[4 * k + 1] as number, c[4 * k + 2] as number, c[4 * k + 3] as number);
    if (d < bestD) [best, bestD] = [k, d];
  }
  if (best >= 0) return { kind: 'message', event: seg.event[best] as number };
  const node = L.nodeAt(y);
  if (node === 0) return undefined;
  const t = L.time(x);
  const slack = (L.t1 - L.t0) * (4 / L.plotWidth);
  for (let i = firstAtOrAfter(markers, t - slack); i < markers.length && (markers[i] as Marker).t <= t + slack; i++) {
    const m = markers[i] as Marker;
    if (m.node === node && y < L.laneY(node)) return { kind: 'marker', marker: m };
  }
  for (const s of spans) {
    const lanes = s.groups ? s.groups.flat() : s.nodes;
    if ((lanes.length === 0 || lanes.includes(node)) && t >= s.start - slack && t <= s.end + slack) return { kind: 'span', span: s };
  }
  return undefined;
}

function distSq(px: number, py: number, x0: number, y0: number, x1: number, y1: number): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len = dx * dx + dy * dy;
  const u = len === 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len));
  const ex = x0 + u * dx - px;
  const ey = y0 + u * dy - py;
  return ex * ex + ey * ey;
}

function firstAtOrAfter(markers: readonly Marker[], t: number): number {
  let lo = 0;
  let hi = markers.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((markers[mid] as Marker).t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
