// The time controls under the diagram: an overview of the whole run (event density, fault spans,
// the visible window, the cursor) that can be clicked or dragged, a scrubber over every event,
// buttons to go to the start, step to the previous or next event, play or pause, go to the end,
// and a speed slider on a log scale. Keyboard: left/right step, space plays.
// Leaves out: what the cursor shows (the panels subscribe to the session).
import type { Session } from '../app/session.ts';
import { KIND_NAMES } from '../trace/columns.ts';
import { byId, on } from '../util/dom.ts';
import { countText, timeText } from '../util/format.ts';
import { faultSolid } from './palette.ts';
import type { Player } from './player.ts';

export class Timeline {
  private readonly scrubber = byId<HTMLInputElement>('scrubber');
  private readonly readout = byId('readout');
  private readonly overview = byId<HTMLCanvasElement>('overview');
  private readonly playButton = byId<HTMLButtonElement>('play');
  private readonly speed = byId<HTMLInputElement>('speed');
  private readonly speedText = byId('speed-text');
  private density: Float64Array = new Float64Array(0);

  constructor(private readonly session: Session, private readonly player: Player) {
    session.subscribe((change) => {
      if (change === 'trace') this.loadTrace();
      if (change === 'cursor' || change === 'trace') this.showCursor();
      if (change === 'view' || change === 'cursor' || change === 'trace') this.drawOverview();
    });
    player.onChange(() => {
      this.playButton.textContent = player.playing ? 'Pause' : 'Play';
      this.playButton.setAttribute('aria-pressed', String(player.playing));
    });
    this.wire();
  }

  private wire(): void {
    on(this.scrubber, 'input', () => this.session.setCursor(Number(this.scrubber.value)));
    on(this.scrubber, 'change', () => this.session.follow());
    on(byId('start'), 'click', () => this.jump(0));
    on(byId('end'), 'click', () => this.jump(this.session.count - 1));
    on(byId('prev'), 'click', () => this.jump(this.session.cursor - 1));
    on(byId('next'), 'click', () => this.jump(this.session.cursor + 1));
    on(this.playButton, 'click', () => this.player.toggle());
    on(this.speed, 'input', () => this.setSpeed());
    this.setSpeed();
    on(this.overview, 'pointerdown', (e) => {
      this.overview.setPointerCapture(e.pointerId);
      this.scrubTo(e.offsetX);
    });
    on(this.overview, 'pointermove', (e) => {
      if (e.buttons & 1) this.scrubTo(e.offsetX);
    });
    on(document, 'keydown', (e) => this.key(e));
    new ResizeObserver(() => this.drawOverview()).observe(this.overview.parentElement as HTMLElement);
  }

  private key(e: KeyboardEvent): void {
    const target = e.target as HTMLElement | null;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') && target !== this.scrubber) return;
    if (e.key === 'ArrowRight' && target !== this.scrubber) this.jump(this.session.cursor + 1);
    else if (e.key === 'ArrowLeft' && target !== this.scrubber) this.jump(this.session.cursor - 1);
    else if (e.key === ' ' && target?.tagName !== 'BUTTON') this.player.toggle();
    else return;
    e.preventDefault();
  }

  private jump(index: number): void {
    this.session.setCursor(index);
    this.session.follow();
  }

  private setSpeed(): void {
    this.player.speed = 10 ** Number(this.speed.value);
    const s = this.player.speed;
    this.speedText.textContent = `${s >= 1 ? +s.toFixed(s >= 10 ? 0 : 1) : +s.toPrecision(1)}x`;
  }

  private scrubTo(x: number): void {
    const tr = this.session.current;
    if (!tr) return;
    const w = this.overview.clientWidth;
    this.session.setCursorTime((Math.max(0, Math.min(w, x)) / w) * tr.endT);
    this.session.follow();
  }

  private loadTrace(): void {
    const tr = this.session.current;
    if (!tr) return;
    this.scrubber.max = String(Math.max(0, tr.columns.count - 1));
    const bins = 600;
    const d = new Float64Array(bins);
    const c = tr.columns;
    const step = Math.max(1, Math.floor(c.count / 200_000));
    for (let i = 0; i < c.count; i += step) d[Math.min(bins - 1, Math.floor(((c.t[i] as number) / (tr.endT + 1)) * bins))]! += step;
    this.density = d;
  }

  private showCursor(): void {
    const tr = this.session.current;
    if (!tr) return;
    const i = this.session.cursor;
    this.scrubber.value = String(i);
    const c = tr.columns;
    const kind = KIND_NAMES[c.kind[i] as number] ?? '?';
    this.readout.textContent = `event ${countText(i + 1)} of ${countText(c.count)} · ${timeText(c.t[i] as number)} · ${kind}`;
  }

  private drawOverview(): void {
    const tr = this.session.current;
    const canvas = this.overview;
    const w = (canvas.parentElement as HTMLElement).clientWidth;
    const hgt = 34;
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(w * dpr)) [canvas.width, canvas.height, canvas.style.width, canvas.style.height] = [Math.round(w * dpr), Math.round(hgt * dpr), `${w}px`, `${hgt}px`];
    const g = canvas.getContext('2d');
    if (!g || !tr) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.fillStyle = '#f3f4f7';
    g.fillRect(0, 0, w, hgt);
    const x = (t: number): number => (t / Math.max(1, tr.endT)) * w;
    for (const s of tr.spans) {
      g.fillStyle = faultSolid(s.type).replace(/0\.9\)$/, '0.35)');
      g.fillRect(x(s.start), 0, Math.max(2, x(s.end) - x(s.start)), hgt);
    }
    let max = 1;
    for (const v of this.density) max = Math.max(max, v);
    g.fillStyle = '#8593a8';
    const bw = w / this.density.length;
    this.density.forEach((v, k) => v > 0 && g.fillRect(k * bw, hgt - (v / max) * (hgt - 6), Math.max(1, bw), (v / max) * (hgt - 6)));
    g.strokeStyle = '#1d2330';
    g.strokeRect(x(this.session.t0) + 0.5, 0.5, Math.max(3, x(this.session.t1) - x(this.session.t0)) - 1, hgt - 1);
    g.fillStyle = '#1a56db';
    g.fillRect(x(this.session.cursorTime) - 1, 0, 2, hgt);
  }
}
