// A node's local clock as a piecewise-linear function of global virtual time: offset (skew), rate
// (drift) and stop. ctx.nowUs and timer durations are read on this clock; the engine converts a
// local deadline to the global time at which the clock reaches it. Leaves out: NTP-style
// correction and smearing (a skew is an instantaneous jump).

export class NodeClock {
  private baseGlobal = 0;
  private baseLocal = 0;
  private rate = 1;
  private stopped = false;

  /** Local reading at global time g (integer microseconds; never decreases unless skewed back). */
  local(g: number): number {
    if (this.stopped) return this.baseLocal;
    if (this.rate === 1) return this.baseLocal + (g - this.baseGlobal);
    return this.baseLocal + Math.floor((g - this.baseGlobal) * this.rate);
  }

  /** True when local time runs at global speed with no offset: timers need no conversion. */
  get isIdeal(): boolean {
    return !this.stopped && this.rate === 1 && this.baseLocal === this.baseGlobal;
  }

  get running(): boolean {
    return !this.stopped;
  }

  /** Jump the local clock by deltaUs (positive or negative) at global time g. */
  skew(g: number, deltaUs: number): void {
    this.rebase(g);
    this.baseLocal += deltaUs;
  }

  /** Run at `rate` local microseconds per global microsecond from global time g on. */
  setRate(g: number, rate: number): void {
    if (!(rate > 0)) throw new Error(`clock rate must be positive, got ${rate}`);
    this.rebase(g);
    this.rate = rate;
  }

  stop(g: number): void {
    this.rebase(g);
    this.stopped = true;
  }

  resume(g: number): void {
    this.rebase(g);
    this.stopped = false;
  }

  /** Earliest global time >= g at which the local clock reads at least `localTarget`; Infinity if stopped. */
  globalAt(localTarget: number, g: number): number {
    if (this.local(g) >= localTarget) return g;
    if (this.stopped) return Infinity;
    let candidate = this.baseGlobal + Math.ceil((localTarget - this.baseLocal) / this.rate);
    if (candidate < g) candidate = g;
    while (this.local(candidate) < localTarget) candidate++;
    return candidate;
  }

  describe(g: number): { offsetUs: number; rate: number; stopped: boolean } {
    return { offsetUs: this.local(g) - g, rate: this.rate, stopped: this.stopped };
  }

  private rebase(g: number): void {
    this.baseLocal = this.local(g);
    this.baseGlobal = g;
  }
}
