// The space-time (Lamport) diagram: a canvas with one lane per node, redrawn on the next animation
// frame whenever the run or the window changes, drawing only what is in the visible window; the
// cursor (and a lesson's hidden future) sit on a second canvas on top, so scrubbing redraws only
// that. Wheel zooms around the mouse, dragging pans, a click moves the cursor (and selects a
// message under the mouse), hovering shows what is under the mouse in a tooltip built from text.
// Leaves out: the timeline under it (ui/timeline.ts).
import type { Session } from '../app/session.ts';
import type { WorkerClient } from '../app/workerClient.ts';
import { KIND, upperBound } from '../trace/columns.ts';
import { drawAxis, drawLanes, drawSpans, drawVertical } from './drawBackground.ts';
import { drawClients, drawCursor, drawEventMarks, drawMarkers } from './drawMarks.ts';
import { DETAIL_LIMIT, drawDensity, drawMessages, eventsInView, type Segments } from './drawMessages.ts';
import { hitTest, type Hit } from './hitTest.ts';
import { Layout } from './layout.ts';
import { Tooltip } from './tooltip.ts';

export class Diagram {
  private readonly g: CanvasRenderingContext2D;
  private readonly overlay: HTMLCanvasElement;
  private readonly og: CanvasRenderingContext2D;
  private baseDirty = false;
  private overlayDirty = false;
  private layout: Layout | undefined;
  private segments: Segments = { event: [], coords: [] };
  private dirty = false;
  private tones: (string | undefined)[] = [];
  private down: boolean[] = [];
  private drag: { x: number; t0: number; t1: number; moved: boolean } | undefined;
  private readonly tooltip: Tooltip;
  /** Milliseconds the last frame took to draw (the benchmark reads it). */
  lastFrameMs = 0;
  frames = 0;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly session: Session, workers: WorkerClient) {
    this.overlay = document.createElement('canvas');
    this.overlay.className = 'diagram-overlay';
    canvas.after(this.overlay);
    const g = canvas.getContext('2d');
    const og = this.overlay.getContext('2d');
    if (!g || !og) throw new Error('this browser cannot draw on a canvas');
    this.g = g;
    this.og = og;
    this.tooltip = new Tooltip(canvas.parentElement as HTMLElement, session, workers);
    session.subscribe((change) => this.invalidate(change !== 'cursor'));
    new ResizeObserver(() => this.invalidate()).observe(canvas.parentElement as HTMLElement);
    this.listen();
  }

  setNodeTones(tones: (string | undefined)[], down: boolean[]): void {
    this.tones = tones;
    this.down = down;
    this.invalidate();
  }

  /** Schedules a redraw of the overlay (cursor), and of the whole diagram unless only the cursor moved. */
  invalidate(base = true): void {
    this.baseDirty ||= base;
    this.overlayDirty = true;
    if (this.dirty) return;
    this.dirty = true;
    requestAnimationFrame(() => {
      this.dirty = false;
      if (this.baseDirty) this.draw();
      if (this.overlayDirty) this.drawOverlay();
    });
  }

  private drawOverlay(): void {
    this.overlayDirty = false;
    const tr = this.session.current;
    const L = this.layout;
    if (!tr || !L) return;
    const g = this.og;
    g.clearRect(0, 0, L.width, L.height);
    g.save();
    g.beginPath();
    g.rect(L.x(L.t0), 0, L.plotWidth, L.height);
    g.clip();
    drawCursor(g, L, tr, this.session.cursor);
    this.fog(L);
    g.restore();
  }

  private draw(): void {
    this.baseDirty = false;
    const tr = this.session.current;
    if (!tr) return;
    const started = performance.now();
    const width = (this.canvas.parentElement as HTMLElement).clientWidth;
    const L = new Layout(width, tr.header.options.nodes, tr.header.options.clients.count, this.session.t0, this.session.t1);
    this.resize(L);
    const g = this.g;
    drawLanes(g, L, this.tones, this.down);
    drawSpans(g, L, tr.spans);
    const { lo, hi } = eventsInView(tr, L);
    const detailed = hi - lo <= DETAIL_LIMIT;
    g.save();
    g.beginPath();
    g.rect(L.x(L.t0), 0, L.plotWidth, L.height);
    g.clip();
    if (detailed) {
      drawEventMarks(g, L, tr);
      this.segments = drawMessages(g, L, tr, this.session.selected);
    } else {
      drawDensity(g, L, tr);
      this.segments = { event: [], coords: [] };
    }
    drawMarkers(g, L, tr, detailed);
    drawClients(g, L, tr);
    this.drawLines(L);
    g.restore();
    drawAxis(g, L);
    if (!detailed) this.note(L, `${(hi - lo).toLocaleString('en-US')} events in view: zoom in to see single messages`);
    this.layout = L;
    this.overlayDirty = true;
    this.lastFrameMs = performance.now() - started;
    this.frames++;
  }

  private drawLines(L: Layout): void {
    const tr = this.session.current;
    if (!tr) return;
    const heal = tr.header.options.faultPhaseUs;
    if (heal <= tr.endT) drawVertical(this.g, L, heal, '#2e8b57', 'heal phase', true, 0);
    for (const v of tr.violations) drawVertical(this.g, L, v.t, '#c62828', `${v.verdict}: ${v.checker}`, false, 1);
    const d = tr.divergence;
    if (d && d.index >= 0 && d.index < tr.columns.count) drawVertical(this.g, L, tr.columns.t[d.index] as number, '#b83280', 'branches diverge here', false, 2);
  }

  private note(L: Layout, text: string): void {
    const g = this.g;
    g.font = '11px system-ui, sans-serif';
    g.textBaseline = 'middle';
    g.textAlign = 'right';
    const w = g.measureText(text).width;
    g.fillStyle = '#ffffff';
    g.fillRect(L.width - w - 16, 2, w + 14, 18);
    g.fillStyle = '#5b6472';
    g.fillText(text, L.width - 8, 11);
    g.textAlign = 'left';
  }

  /** In a lesson, the future stays hidden until the step is revealed. */
  private fog(L: Layout): void {
    const h = this.session.horizon;
    if (h === undefined || h > L.t1) return;
    const x = Math.max(L.x(L.t0), L.x(h) + 1);
    const g = this.og;
    g.fillStyle = 'rgba(236, 239, 245, 0.94)';
    g.fillRect(x, 0, L.width - x, L.height);
    g.fillStyle = '#5b6472';
    g.font = '600 15px system-ui, sans-serif';
    g.textBaseline = 'middle';
    const text = 'What happens next? Predict, then press Reveal.';
    if (L.width - x > g.measureText(text).width + 24) g.fillText(text, x + 16, L.height / 2);
  }

  private resize(L: Layout): void {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(L.width * dpr);
    const h = Math.round(L.height * dpr);
    for (const c of [this.canvas, this.overlay]) {
      if (c.width === w && c.height === h) continue;
      c.width = w;
      c.height = h;
      c.style.width = `${L.width}px`;
      c.style.height = `${L.height}px`;
    }
    this.g.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.og.setTransform(dpr, 0, 0, dpr, 0, 0);
  }

  private listen(): void {
    const c = this.canvas;
    c.addEventListener('wheel', (e) => this.wheel(e), { passive: false });
    c.addEventListener('pointerdown', (e) => {
      this.drag = { x: e.clientX, t0: this.session.t0, t1: this.session.t1, moved: false };
      c.setPointerCapture(e.pointerId);
    });
    c.addEventListener('pointermove', (e) => this.move(e));
    c.addEventListener('pointerup', (e) => {
      const drag = this.drag;
      this.drag = undefined;
      if (drag && !drag.moved) this.click(e);
    });
    c.addEventListener('pointerleave', () => this.tooltip.hide());
    c.addEventListener('dblclick', () => this.session.setView(0, this.session.current?.endT ?? 1));
  }

  private wheel(e: WheelEvent): void {
    const L = this.layout;
    if (!L) return;
    e.preventDefault();
    const { offsetX } = e;
    const factor = Math.exp((e.deltaY + e.deltaX * 0) * 0.0015);
    const pivot = L.time(offsetX);
    this.session.setView(pivot - (pivot - this.session.t0) * factor, pivot + (this.session.t1 - pivot) * factor);
  }

  private move(e: PointerEvent): void {
    const L = this.layout;
    if (!L) return;
    const drag = this.drag;
    if (drag) {
      const dx = e.clientX - drag.x;
      if (Math.abs(dx) > 3) drag.moved = true;
      if (drag.moved) {
        const dt = (dx / L.plotWidth) * (drag.t1 - drag.t0);
        this.session.setView(drag.t0 - dt, drag.t1 - dt);
        this.tooltip.hide();
        return;
      }
    }
    this.tooltip.show(this.hit(e), e.offsetX, e.offsetY, L);
  }

  private hit(e: MouseEvent): Hit {
    const tr = this.session.current;
    if (!tr || !this.layout) return undefined;
    return hitTest(e.offsetX, e.offsetY, this.layout, this.segments, tr.markers, tr.spans);
  }

  private click(e: PointerEvent): void {
    const tr = this.session.current;
    const L = this.layout;
    if (!tr || !L || e.offsetX < L.x(L.t0)) return;
    const hit = this.hit(e);
    if (hit?.kind === 'message') {
      const c = tr.columns;
      const send = c.kind[hit.event] === KIND.send ? hit.event : (c.link[hit.event] as number);
      this.session.select(send);
      this.session.setCursor(hit.event);
      return;
    }
    if (hit?.kind === 'marker') return this.session.setCursor(hit.marker.index);
    this.session.setCursor(upperBound(tr.columns.t, tr.columns.count, L.time(e.offsetX)) - 1);
  }
}
