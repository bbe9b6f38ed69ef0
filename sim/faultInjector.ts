// Applies a fault plan to a running simulation: starts each fault at its time, ends it after its
// duration or when the heal phase begins, and records both in the trace and for checkers.
// Overlapping faults compose: pauses, clock stops and full disks are counted; valued faults (slow,
// byzantine, drift, slow disk) are undone only by the fault that set the current value; a link's
// clogs keep the latest end time among them.
// Crashes without a duration are permanent until an explicit restart (they survive the heal phase).
// Event-triggered faults ("after" / "until", faultTriggers.ts) are armed at their `at` and started
// or ended when their note comes; faults that name nodes by role ("leader", "noted", "others",
// faultTargets.ts) are resolved when they start. The engine passes notes here only while such a
// plan is in the fault phase, so other plans run (and trace) exactly as they did before.
// Leaves out: faults outside the fault phase (the plan parser rejects them).
import { K, type Simulation } from './engine.ts';
import { triggersOf, type Fault, type FaultPlan, type PlanFault } from './faultPlan.ts';
import { LEADER, namesIn, resolveFault } from './faultTargets.ts';
import { NoteTriggers, type Edge } from './faultTriggers.ts';
import { LeaderTracker } from './leaderTracker.ts';
import type { NodeRuntime, QueueItem } from './nodeRuntime.ts';
import type { Rng } from './rng.ts';
import type { NodeId } from './types.ts';

export class FaultInjector {
  private readonly active = new Map<number, Fault>();
  private readonly counts = new Map<string, number>();
  private readonly setBy = new Map<string, number>();
  /** Set while a plan with triggers or "leader" is in its fault phase: the engine then calls onNote. */
  watchesNotes = false;
  private leaders: LeaderTracker | undefined;
  private triggers: NoteTriggers | undefined;
  private planned: PlanFault[] = [];
  /** Triggered faults: the node whose note started each, and those whose end came before their start. */
  private readonly noted = new Map<number, NodeId>();
  private readonly started = new Set<number>();
  private readonly cancelled = new Set<number>();

  constructor(
    private readonly sim: Simulation,
    private readonly rng: Rng,
  ) {}

  schedulePlan(plan: FaultPlan): void {
    const healAt = this.sim.options.faultPhaseUs;
    // Sorted by time (stably) so a hand-built plan replays in the same order as a parsed one.
    const faults = [...plan.faults].sort((a, b) => a.at - b.at);
    this.planned = faults;
    if (faults.some((f) => namesIn(f).includes(LEADER))) this.leaders = new LeaderTracker(this.sim.nodes);
    faults.forEach((fault, i) => {
      const { after, until } = triggersOf(fault);
      if (after !== undefined || until !== undefined) this.triggers ??= new NoteTriggers((token, edge, noted, at) => this.fired(token, edge, noted, at));
      if (after !== undefined) this.triggers?.arm(i, 'start', after, fault.at);
      else this.sim.schedule(fault.at, K.FAULT_START, 0, 0, 0, i, fault);
      if (until !== undefined) this.triggers?.arm(i, 'end', until, fault.at);
      const end = after === undefined && 'for' in fault && fault.for !== undefined ? fault.at + fault.for : undefined;
      if (end !== undefined && end < healAt) this.sim.schedule(end, K.FAULT_END, 0, 0, 0, i, fault);
    });
    this.watchesNotes = this.leaders !== undefined || this.triggers !== undefined;
  }

  /** A note of the run (only while watchesNotes): feeds the leader tracker and the triggers. */
  onNote(node: NodeId, name: string, data: unknown): void {
    this.leaders?.observe(node, name, data);
    this.triggers?.observe(node, name, this.sim.now);
  }

  /** A trigger completed: its fault's start or end is due at `at` (never in the heal phase). */
  private fired(token: number, edge: Edge, noted: NodeId, at: number): void {
    if (at >= this.sim.options.faultPhaseUs) return;
    if (edge === 'start') this.noted.set(token, noted);
    this.sim.schedule(at, edge === 'start' ? K.FAULT_START : K.FAULT_END, 0, 0, 0, token, this.planned[token]);
  }

  start(item: QueueItem): boolean {
    const token = item.token;
    const planned = item.data as PlanFault;
    if (this.cancelled.has(token)) return this.skip(planned, 'ended before it started');
    const { after, until } = triggersOf(planned);
    const symbolic = after !== undefined || namesIn(planned).length > 0;
    const fault = symbolic ? this.resolve(planned, token, after !== undefined) : (planned as Fault);
    this.started.add(token);
    if ('skipped' in fault) return this.skip(fault, String(fault.skipped));
    this.sim.record({ t: this.sim.now, kind: 'fault', phase: 'start', fault });
    const lasting = 'for' in fault && fault.for !== undefined;
    if (this.apply(fault, token) && (fault.type !== 'crash' || lasting || until !== undefined)) {
      this.active.set(token, fault);
      const end = after !== undefined && lasting ? this.sim.now + (fault.for as number) : undefined;
      if (end !== undefined && end < this.sim.options.faultPhaseUs) this.sim.schedule(end, K.FAULT_END, 0, 0, 0, token, planned);
    }
    return true;
  }

  end(item: QueueItem): boolean {
    const fault = this.active.get(item.token);
    if (!fault) {
      if (!this.started.has(item.token) && triggersOf(this.planned[item.token] as PlanFault).until !== undefined) this.cancelled.add(item.token);
      return false;
    }
    this.active.delete(item.token);
    this.undo(fault, item.token);
    this.sim.record({ t: this.sim.now, kind: 'fault', phase: 'end', fault });
    return true;
  }

  /** The heal phase: every transient fault still active ends now, in the order they started. */
  endAll(): void {
    this.watchesNotes = false;
    for (const token of [...this.active.keys()]) {
      this.end({ k: K.FAULT_END, node: 0, from: 0, id: 0, token, data: undefined });
    }
  }

  /** The fault with its names resolved (a triggered one also starts now, and says whose note started it). */
  private resolve(planned: PlanFault, token: number, triggered: boolean): Fault {
    const fault = resolveFault(planned, { leader: this.leaders?.leader(), noted: this.noted.get(token) }, this.sim.options.nodes);
    return (triggered ? { ...fault, at: this.sim.now } : fault) as Fault;
  }

  /**
   * A fault that does nothing: the trace gets its start and its end at once, with the reason and
   * without nodes; checkers never see it (a skipped fault must not make a check stand down).
   */
  private skip(planned: PlanFault | Fault, why: string): boolean {
    const { node: _node, groups: _groups, skipped: _skipped, ...rest } = planned as PlanFault & { node?: unknown; groups?: unknown; skipped?: unknown };
    const fault = { ...rest, at: this.sim.now, skipped: why } as unknown as Fault;
    this.sim.tracer?.emit({ t: this.sim.now, kind: 'fault', phase: 'start', fault });
    this.sim.tracer?.emit({ t: this.sim.now, kind: 'fault', phase: 'end', fault });
    return true;
  }

  /** Returns true when the fault is transient (it has an end to undo). */
  private apply(fault: Fault, token: number): boolean {
    const sim = this.sim;
    const now = sim.now;
    switch (fault.type) {
      case 'crash': this.crash(this.node(fault.node)); return true;
      case 'restart': if (!this.node(fault.node).up) sim.boot(this.node(fault.node)); return false;
      case 'partition': this.partition(fault.groups, 1); return true;
      case 'partition-one-way': sim.network.block(fault.from, fault.to, 1); return true;
      case 'clog': sim.network.clog(fault.from, fault.to, fault.for !== undefined ? Math.min(fault.at + fault.for, sim.options.faultPhaseUs) : sim.options.faultPhaseUs); return true;
      case 'pause': if (this.bump(`pause:${fault.node}`, 1) === 1) this.node(fault.node).paused = true; return true;
      case 'slow': this.node(fault.node).stepCostUs = fault.stepCost; this.setBy.set(`slow:${fault.node}`, token); return true;
      case 'byzantine':
        this.node(fault.node).byzantine = { behaviour: fault.behaviour, probability: fault.probability ?? 1, delayUs: fault.delay ?? 0 };
        this.setBy.set(`byzantine:${fault.node}`, token);
        return true;
      case 'clock-skew': this.clockChange(fault.node, (n) => n.clock.skew(now, fault.offset)); return false;
      case 'clock-drift': this.clockChange(fault.node, (n) => n.clock.setRate(now, fault.rate)); this.setBy.set(`drift:${fault.node}`, token); return true;
      case 'clock-stop': if (this.bump(`stop:${fault.node}`, 1) === 1) this.clockChange(fault.node, (n) => n.clock.stop(now)); return true;
      case 'disk-full': if (this.bump(`full:${fault.node}`, 1) === 1) this.node(fault.node).disk.full = true; return true;
      case 'disk-slow': this.node(fault.node).disk.slowLatencyUs = fault.latency; this.setBy.set(`disk-slow:${fault.node}`, token); return true;
      case 'disk-corrupt': this.node(fault.node).disk.corrupt(this.rng); return false;
    }
  }

  private undo(fault: Fault, token: number): void {
    const now = this.sim.now;
    const mine = (key: string): boolean => this.setBy.get(key) === token && this.setBy.delete(key);
    switch (fault.type) {
      case 'crash': if (!this.node(fault.node).up) this.sim.boot(this.node(fault.node)); return;
      case 'partition': this.partition(fault.groups, -1); return;
      case 'partition-one-way': this.sim.network.block(fault.from, fault.to, -1); return;
      case 'clog': return; // expires at its own end time; unclogging here would cut short a longer overlapping clog
      case 'pause': if (this.bump(`pause:${fault.node}`, -1) === 0) this.resume(this.node(fault.node)); return;
      case 'slow': if (mine(`slow:${fault.node}`)) this.node(fault.node).stepCostUs = 0; return;
      case 'byzantine': if (mine(`byzantine:${fault.node}`)) this.node(fault.node).byzantine = undefined; return;
      case 'clock-drift': if (mine(`drift:${fault.node}`)) this.clockChange(fault.node, (n) => n.clock.setRate(now, 1)); return;
      case 'clock-stop': if (this.bump(`stop:${fault.node}`, -1) === 0) this.clockChange(fault.node, (n) => n.clock.resume(now)); return;
      case 'disk-full': if (this.bump(`full:${fault.node}`, -1) === 0) this.node(fault.node).disk.full = false; return;
      case 'disk-slow': if (mine(`disk-slow:${fault.node}`)) this.node(fault.node).disk.slowLatencyUs = undefined; return;
      default: return;
    }
  }

  /** Volatile state, timers, held inputs and unsynced writes are lost; the disk keeps what was written. */
  private crash(node: NodeRuntime): void {
    if (!node.up) return;
    const effects = this.sim.effects;
    node.up = false;
    node.epoch++;
    node.state = undefined;
    node.timers.clear();
    node.paused = false;
    node.busyUntil = 0;
    const held = node.held;
    node.held = [];
    for (const item of held) if (item.k === K.DELIVER) this.sim.schedule(this.sim.now, K.DELIVER, item.node, item.from, item.id, item.token, item.data);
    for (const write of node.pendingWrites) effects.releaseHeld(node, write, 'crash-before-persist');
    node.pendingWrites.length = 0;
    node.disk.crash(this.sim.now);
  }

  private resume(node: NodeRuntime): void {
    node.paused = false;
    const held = node.held;
    node.held = [];
    for (const item of held) this.sim.queue.push(this.sim.now, item);
  }

  private partition(groups: readonly number[][], delta: 1 | -1): void {
    for (let i = 0; i < groups.length; i++) {
      for (let j = 0; j < groups.length; j++) if (i !== j) this.sim.network.block(groups[i] as number[], groups[j] as number[], delta);
    }
  }

  private clockChange(id: number, change: (node: NodeRuntime) => void): void {
    const node = this.node(id);
    change(node);
    if (node.up) this.sim.effects.rescheduleTimers(node);
  }

  private bump(key: string, delta: number): number {
    const next = (this.counts.get(key) ?? 0) + delta;
    this.counts.set(key, next);
    return next;
  }

  private node(id: number): NodeRuntime {
    return this.sim.nodes[id] as NodeRuntime;
  }
}
