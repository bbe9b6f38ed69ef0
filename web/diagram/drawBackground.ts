// The diagram's background: lanes with node labels (a dot in each node's current tone), the time
// axis, fault spans shaded on the lanes they affect (crashes dark, pauses amber, partitions red
// with their sides labelled, clock and disk faults in their own colours), the heal phase and
// violations as vertical lines.
// Leaves out: messages and marks (drawMessages.ts, drawMarks.ts).
import type { Span } from '../trace/faultSpans.ts';
import { niceStep, timeText } from '../util/format.ts';
import { faultColour, faultSolid } from '../ui/palette.ts';
import { AXIS, GUTTER, type Layout } from './layout.ts';

export function drawLanes(g: CanvasRenderingContext2D, L: Layout, tones: readonly (string | undefined)[], down: readonly boolean[]): void {
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, L.width, L.height);
  for (let n = 1; n <= L.nodes; n++) {
    const top = L.laneTop(n);
    g.fillStyle = n % 2 ? '#f7f8fb' : '#ffffff';
    g.fillRect(GUTTER, top, L.plotWidth, L.laneH);
    g.strokeStyle = '#c9ced8';
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(GUTTER, Math.round(L.laneY(n)) + 0.5);
    g.lineTo(GUTTER + L.plotWidth, Math.round(L.laneY(n)) + 0.5);
    g.stroke();
    if (L.laneH >= 10) {
      g.fillStyle = down[n] ? '#8a8f98' : '#1d2330';
      g.font = `${L.laneH >= 30 ? 'bold 13px' : '11px'} system-ui, sans-serif`;
      g.textBaseline = 'middle';
      g.textAlign = 'left';
      g.fillText(`n${n}`, 22, L.laneY(n));
      g.fillStyle = down[n] ? '#8a8f98' : (tones[n] ?? '#5b6472');
      g.beginPath();
      g.arc(12, L.laneY(n), Math.min(5, L.laneH / 3), 0, Math.PI * 2);
      g.fill();
    }
  }
  if (L.clientRows > 0) {
    g.fillStyle = '#5b6472';
    g.font = '11px system-ui, sans-serif';
    g.textBaseline = 'top';
    g.fillText('clients', 8, L.clientTop + 10);
  }
}

export function drawAxis(g: CanvasRenderingContext2D, L: Layout): void {
  const step = niceStep(L.t1 - L.t0, Math.max(2, L.plotWidth / 110));
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, L.width, AXIS);
  g.strokeStyle = '#e3e6ec';
  g.fillStyle = '#4a5262';
  g.font = '11px system-ui, sans-serif';
  g.textBaseline = 'middle';
  g.textAlign = 'center';
  for (let t = Math.ceil(L.t0 / step) * step; t <= L.t1; t += step) {
    const x = Math.round(L.x(t)) + 0.5;
    if (x < GUTTER) continue;
    g.beginPath();
    g.moveTo(x, AXIS - 4);
    g.lineTo(x, L.lanesBottom);
    g.stroke();
    g.fillText(timeText(t), x, AXIS / 2);
  }
  g.textAlign = 'left';
}

export function drawSpans(g: CanvasRenderingContext2D, L: Layout, spans: readonly Span[]): void {
  for (const s of spans) {
    if (s.end < L.t0 || s.start > L.t1) continue;
    const x0 = Math.max(GUTTER, L.x(s.start));
    const x1 = Math.min(GUTTER + L.plotWidth, L.x(s.end));
    const lanes = s.groups ? s.groups.flat() : s.nodes.length ? s.nodes : allNodes(L.nodes);
    if (x1 - x0 < 1.5) {
      drawInstant(g, L, s, lanes);
      continue;
    }
    g.fillStyle = faultColour(s.type);
    for (const n of lanes) if (n >= 1 && n <= L.nodes) g.fillRect(x0, L.laneTop(n), x1 - x0, L.laneH);
    if (s.type === 'crash') hatch(g, x0, L.laneTop(s.nodes[0] ?? 1), x1 - x0, L.laneH);
    labelSpan(g, L, s, x0, x1, lanes);
  }
}

function drawInstant(g: CanvasRenderingContext2D, L: Layout, s: Span, lanes: readonly number[]): void {
  const x = Math.round(L.x(s.start)) + 0.5;
  g.strokeStyle = faultSolid(s.type);
  g.lineWidth = 2;
  for (const n of lanes) {
    g.beginPath();
    g.moveTo(x, L.laneTop(n) + 2);
    g.lineTo(x, L.laneTop(n) + L.laneH - 2);
    g.stroke();
  }
  g.lineWidth = 1;
  if (L.laneH >= 24 && lanes.length === 1) {
    g.fillStyle = faultSolid(s.type);
    g.font = '11px system-ui, sans-serif';
    g.textBaseline = 'top';
    g.fillText(s.label, x + 3, L.laneTop(lanes[0] as number) + 2);
  }
}

function labelSpan(g: CanvasRenderingContext2D, L: Layout, s: Span, x0: number, x1: number, lanes: readonly number[]): void {
  if (L.laneH < 20 || x1 - x0 < 40) return;
  g.save();
  g.beginPath();
  g.rect(x0, 0, x1 - x0, L.height);
  g.clip();
  g.fillStyle = faultSolid(s.type);
  g.font = '11px system-ui, sans-serif';
  g.textBaseline = 'bottom';
  const top = Math.min(...lanes.map((n) => L.laneTop(n)));
  const text = s.groups ? `partition ${s.groups.map((grp) => `{${grp.map((n) => `n${n}`).join(',')}}`).join(' | ')}` : s.label;
  g.fillText(text, x0 + 4, top + L.laneH - 2);
  g.restore();
}

function hatch(g: CanvasRenderingContext2D, x: number, y: number, w: number, h: number): void {
  g.save();
  g.beginPath();
  g.rect(x, y, w, h);
  g.clip();
  g.strokeStyle = 'rgba(60, 64, 72, 0.35)';
  g.beginPath();
  for (let k = x - h; k < x + w; k += 8) {
    g.moveTo(k, y + h);
    g.lineTo(k + h, y);
  }
  g.stroke();
  g.restore();
}

export function drawVertical(g: CanvasRenderingContext2D, L: Layout, t: number, colour: string, label: string, dashed = false, row = 0): void {
  if (t < L.t0 || t > L.t1) return;
  const x = Math.round(L.x(t)) + 0.5;
  g.save();
  g.strokeStyle = colour;
  g.lineWidth = 2;
  if (dashed) g.setLineDash([5, 4]);
  g.beginPath();
  g.moveTo(x, AXIS);
  g.lineTo(x, L.lanesBottom);
  g.stroke();
  g.restore();
  if (!label) return;
  g.font = 'bold 11px system-ui, sans-serif';
  const w = g.measureText(label).width + 8;
  const lx = Math.min(x + 3, L.width - w - 2);
  const ly = AXIS + 2 + row * 16;
  g.fillStyle = 'rgba(255,255,255,0.9)';
  g.fillRect(lx, ly, w, 15);
  g.fillStyle = colour;
  g.textBaseline = 'top';
  g.fillText(label, lx + 4, ly + 2);
}

function allNodes(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}
