// What the viewer is showing: the branches (the loaded or simulated run and its forks), which one
// is current, the cursor (an event index: states and panels show the run just after that event),
// the visible time window of the diagram, and the selected message. Panels subscribe to changes.
// Leaves out: how anything is drawn.
import type { LoadedTrace } from '../worker/messages.ts';
import { upperBound } from '../trace/columns.ts';

export type Change = 'trace' | 'cursor' | 'view' | 'selection' | 'branches';
type Listener = (change: Change) => void;

export class Session {
  branches: LoadedTrace[] = [];
  current: LoadedTrace | undefined;
  cursor = 0;
  t0 = 0;
  t1 = 1;
  /** A selected message (its send event index), or -1. */
  selected = -1;
  /** Lessons hide what happens after this time until the step is revealed (undefined: show all). */
  horizon: number | undefined;
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): void {
    this.listeners.add(listener);
  }

  private emit(change: Change): void {
    for (const l of this.listeners) l(change);
  }

  /** A new run replaces every branch. */
  open(trace: LoadedTrace): void {
    this.branches = [trace];
    this.emit('branches');
    this.show(trace, startIndex(trace));
  }

  addBranch(trace: LoadedTrace): void {
    this.branches.push(trace);
    this.emit('branches');
    this.show(trace, this.cursor);
  }

  /** Switches to a branch, keeping the cursor's time and the visible window where possible. */
  show(trace: LoadedTrace, cursor: number): void {
    const keepView = this.current !== undefined && this.branches.includes(this.current) && this.current !== trace;
    this.current = trace;
    this.selected = -1;
    if (!keepView) [this.t0, this.t1] = [0, Math.max(1, trace.endT)];
    this.cursor = clampIndex(trace, cursor);
    this.emit('trace');
    this.emit('cursor');
    this.emit('view');
  }

  get count(): number {
    return this.current?.columns.count ?? 0;
  }

  get cursorTime(): number {
    return this.current?.columns.t[this.cursor] ?? 0;
  }

  setCursor(index: number): void {
    if (!this.current) return;
    const next = clampIndex(this.current, index);
    if (next === this.cursor) return;
    this.cursor = next;
    this.emit('cursor');
  }

  /** The last event at or before time t. */
  setCursorTime(t: number): void {
    if (!this.current) return;
    this.setCursor(upperBound(this.current.columns.t, this.count, t) - 1);
  }

  setView(t0: number, t1: number): void {
    const end = Math.max(1, this.current?.endT ?? 1);
    const span = Math.min(Math.max(t1 - t0, 20), end * 1.05 + 1000);
    let a = t0;
    if (a < -end * 0.025) a = -end * 0.025;
    if (a + span > end * 1.025 + 1000) a = end * 1.025 + 1000 - span;
    if (a === this.t0 && a + span === this.t1) return;
    [this.t0, this.t1] = [a, a + span];
    this.emit('view');
  }

  /** Pans so the cursor is visible, keeping the zoom. */
  follow(): void {
    const t = this.cursorTime;
    const span = this.t1 - this.t0;
    if (t < this.t0 || t > this.t1) this.setView(t - span * 0.2, t + span * 0.8);
  }

  setHorizon(t: number | undefined): void {
    this.horizon = t;
    this.emit('view');
  }

  select(sendIndex: number): void {
    this.selected = sendIndex;
    this.emit('selection');
  }
}

/** The last event at time 0: every node has booted. */
export function startIndex(trace: LoadedTrace): number {
  return Math.max(0, upperBound(trace.columns.t, trace.columns.count, 0) - 1);
}

function clampIndex(trace: LoadedTrace, index: number): number {
  return Math.max(0, Math.min(trace.columns.count - 1, Math.floor(index)));
}
