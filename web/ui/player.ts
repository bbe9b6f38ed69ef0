// Plays the run: moves the cursor forward in virtual time at a chosen speed (a multiple of real
// time, chosen on a log scale), keeping the cursor in view, until paused or the run ends.
// Leaves out: the buttons (timeline.ts).
import type { Session } from '../app/session.ts';

export class Player {
  playing = false;
  /** Virtual seconds per real second. */
  speed = 1;
  private virtualT = 0;
  private last = 0;
  /** The cursor this player set last; anything else means someone moved it. */
  private placed = -1;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly session: Session) {}

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  play(): void {
    const tr = this.session.current;
    if (!tr || this.playing) return;
    if (this.session.cursor >= tr.columns.count - 1) this.session.setCursor(0);
    this.playing = true;
    this.virtualT = this.session.cursorTime;
    this.placed = this.session.cursor;
    this.last = performance.now();
    this.changed();
    requestAnimationFrame((now) => this.tick(now));
  }

  pause(): void {
    if (!this.playing) return;
    this.playing = false;
    this.changed();
  }

  private tick(now: number): void {
    if (!this.playing) return;
    const tr = this.session.current;
    if (!tr) return this.pause();
    // If someone moved the cursor meanwhile (a step, the scrubber), continue from there.
    if (this.session.cursor !== this.placed) this.virtualT = this.session.cursorTime;
    this.virtualT += (now - this.last) * 1000 * this.speed;
    this.last = now;
    this.session.setCursorTime(this.virtualT);
    this.placed = this.session.cursor;
    this.session.follow();
    if (this.virtualT >= tr.endT) return this.pause();
    requestAnimationFrame((t) => this.tick(t));
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
