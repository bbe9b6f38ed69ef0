// The discrete-event engine: one seeded run of a protocol on N simulated nodes. Pops events in
// (virtual time, sequence) order and routes each to a node, a client, a fault or a checker. Time is
// integer microseconds and never goes backwards. The run has a fault phase, then a heal phase
// (faults stop; eventually-checks must hold by their deadlines), and guards: an event budget and a
// virtual-time limit, so it always ends with a verdict. Effects are applied by NodeEffects; faults
// by FaultInjector. Leaves out: parallelism (a run is single-threaded; sweeps run many runs).
import { checkOutcome, type CheckOutcome, type Checker, type CheckerView } from './checker.ts';
import { ClientEvents } from './clientEvents.ts';
import { ClientDriver, type HistoryEntry } from './clients.ts';
import { EventQueue } from './eventQueue.ts';
import type { FaultPlan } from './faultPlan.ts';
import { FaultInjector } from './faultInjector.ts';
import { Metrics, type MetricsSummary } from './metrics.ts';
import { Network, type DeliveryPolicy } from './network.ts';
import { NodeEffects, ContractError } from './nodeEffects.ts';
import { NodeRuntime, type QueueItem } from './nodeRuntime.ts';
import type { AnySpec } from './protocolSpec.ts';
import type { MetricsObserver, ProtocolMetricValues } from './protocolMetrics.ts';
import { SeedRng, type Rng } from './rng.ts';
import type { RunOptions } from './runOptions.ts';
import { InputError } from './schemaHelpers.ts';
import { CheckerRoutes } from './checkerRoutes.ts';
import { diffStates } from './stateDiff.ts';
import type { ObservedEvent } from './traceEvents.ts';
import type { Tracer } from './tracer.ts';
import type { Input, AnyProtocol, Message } from './types.ts';
import type { Verdict } from './verdict.ts';
import { formatDuration, humanDuration } from './duration.ts';

export const K = {
  DELIVER: 0, TIMER: 1, PERSIST_DONE: 2, PERSIST_NOTIFY: 3, REQUEST: 4, CLIENT_REPLY: 5, CLIENT_TIMEOUT: 6,
  CLIENT_NEXT: 7, FAULT_START: 8, FAULT_END: 9, HEAL: 10, DEADLINE: 11, END: 12, LIMIT: 13, CLIENT_ATTEMPT: 14,
} as const;

export interface RunResult {
  verdict: Verdict;
  checks: CheckOutcome[];
  /** Which sometimes-checks this run reached. */
  sometimes: Record<string, boolean>;
  metrics: MetricsSummary;
  /** The protocol's own figures (empty when it defines none). */
  protocolMetrics: ProtocolMetricValues;
  history: HistoryEntry[];
  /** Present when the run was traced. */
  traceHash: string | undefined;
  endUs: number;
}

export interface RunHooks {
  tracer?: Tracer;
  /** Root randomness; defaults to seedrandom seeded with options.seed. */
  rng?: Rng;
  /** Picks message latencies (the explorer's PCT scheduling); defaults to the links' latency draws. */
  delivery?: DeliveryPolicy;
}

export class Simulation {
  readonly queue = new EventQueue<QueueItem>();
  readonly nodes: NodeRuntime[] = [];
  readonly network: Network;
  readonly metrics = new Metrics();
  readonly clients: ClientDriver | undefined;
  private readonly clientEvents: ClientEvents | undefined;
  readonly protocol: AnyProtocol;
  readonly tracer: Tracer | undefined;
  readonly rng: Rng;
  readonly effects: NodeEffects;
  readonly faults: FaultInjector;
  now = 0;
  phase: 'fault' | 'heal' = 'fault';
  verdict: Verdict | undefined;
  private readonly checkers: Checker[];
  private readonly routes: CheckerRoutes;
  private readonly observer: MetricsObserver | undefined;
  private readonly view: CheckerView;
  private readonly endUs: number;

  constructor(spec: AnySpec, readonly options: RunOptions, readonly plan: FaultPlan, hooks: RunHooks = {}) {
    this.rng = hooks.rng ?? SeedRng.fromSeed(options.seed);
    this.tracer = hooks.tracer;
    this.protocol = spec.create(options.config, options.bug);
    this.network = new Network(options.nodes, options.network, this.rng.fork('network'), hooks.delivery);
    this.checkers = spec.checkers(options.config, options, plan);
    this.routes = new CheckerRoutes(this.checkers);
    this.observer = spec.metrics?.(options.config, options, plan);
    this.endUs = options.faultPhaseUs + options.healUs;
    this.view = this.makeView();
    this.effects = new NodeEffects(this);
    this.faults = new FaultInjector(this, this.rng.fork('faults'));
    const ids = Array.from({ length: options.nodes }, (_, i) => i + 1);
    this.nodes.push(undefined as unknown as NodeRuntime);
    for (const id of ids) {
      const node = new NodeRuntime(id, ids.filter((p) => p !== id), this.rng.fork(`node:${id}`), options.config, options.storage.latencyUs);
      this.nodes.push(node);
    }
    this.clients = spec.workload && options.clients.count > 0 ? new ClientDriver(spec.workload, this.rng.fork('clients'), options.nodes) : undefined;
    this.clientEvents = this.clients ? new ClientEvents(this, this.clients) : undefined;
    this.checkDeadlines();
  }

  run(): RunResult {
    this.schedulePhases();
    for (let id = 1; id <= this.options.nodes && !this.verdict; id++) this.boot(this.nodes[id] as NodeRuntime);
    this.loop();
    const verdict = this.verdict ?? { kind: 'pass' };
    if (verdict.kind !== 'pass') this.tracer?.emit({ t: this.now, kind: 'violation', checker: 'checker' in verdict ? verdict.checker : verdict.kind, verdict: verdict.kind, message: verdict.message });
    const sometimes: Record<string, boolean> = {};
    for (const c of this.checkers) if (c.kind === 'sometimes') sometimes[c.name] = c.reached();
    const metrics = this.metrics.summary(this.now);
    return {
      verdict,
      checks: this.checkers.map((c) => checkOutcome(c, verdict, this.deadlinesChecked.has(c))),
      sometimes,
      metrics,
      protocolMetrics: this.observer?.summary(metrics, this.view) ?? {},
      history: this.clients?.history ?? [],
      traceHash: this.tracer?.finish(withoutStack(verdict)),
      endUs: this.now,
    };
  }

  private readonly deadlinesChecked = new Set<Checker>();

  private loop(): void {
    const { queue, metrics } = this;
    const maxEvents = this.options.limits.maxEvents;
    while (!this.verdict && queue.size > 0) {
      const t = queue.peekTime();
      const item = queue.pop() as QueueItem;
      this.now = t;
      if (metrics.events >= maxEvents) {
        this.stop({ kind: 'guard', reason: 'event-budget', message: `the event budget of ${maxEvents} events ran out at ${formatDuration(t)}; raise --max-events if the run is meant to be this busy`, atUs: t });
        break;
      }
      if (this.dispatch(item)) metrics.events++;
    }
  }

  /** Schedules an item; returns nothing. Times before now are a bug in the engine. */
  schedule(at: number, k: number, node: number, from: number, id: number, token: number, data: unknown): void {
    if (at < this.now) throw new Error(`engine: scheduling at ${at}us, before now (${this.now}us)`);
    this.queue.push(at, { k, node, from, id, token, data });
  }

  /** Returns true when the item was a real event (stale timers and re-arms are not counted). */
  private dispatch(item: QueueItem): boolean {
    switch (item.k) {
      case K.DELIVER: return this.effects.deliver(item);
      case K.TIMER: return this.effects.fireTimer(item);
      case K.PERSIST_DONE: return this.effects.persistDone(item);
      case K.PERSIST_NOTIFY: return this.effects.persistNotify(item);
      case K.REQUEST: return this.effects.request(item);
      case K.CLIENT_REPLY: return (this.clientEvents as ClientEvents).reply(item);
      case K.CLIENT_TIMEOUT: return (this.clientEvents as ClientEvents).timeout(item);
      case K.CLIENT_NEXT: return (this.clientEvents as ClientEvents).next(item.token);
      case K.CLIENT_ATTEMPT: return (this.clientEvents as ClientEvents).attemptTimeout(item);
      case K.FAULT_START: return this.faults.start(item);
      case K.FAULT_END: return this.faults.end(item);
      case K.HEAL: return this.heal();
      case K.DEADLINE: return this.deadline(item.data as Checker);
      case K.END: this.dueDeadlines(); this.judgeFinals(); this.stop({ kind: 'pass' }); return true;
      case K.LIMIT:
        this.stop({ kind: 'guard', reason: 'time-limit', message: `the virtual-time limit of ${formatDuration(this.options.limits.maxVirtualUs)} was reached before the run's end at ${formatDuration(this.endUs)}`, atUs: this.now });
        return true;
      default: throw new Error(`engine: unknown queue item kind ${item.k}`);
    }
  }

  /** Runs one protocol step on an up node and applies its effects. */
  step(node: NodeRuntime, input: Input<Message, unknown>): void {
    this.metrics.steps++;
    const before = node.state;
    let next;
    try {
      next = this.protocol.step(before, input, node.context(this.now));
    } catch (error) {
      this.crashed(node, error);
      return;
    }
    this.applyStep(node, before, next.state, next.effects);
  }

  boot(node: NodeRuntime): void {
    const { durable, status } = node.disk.read();
    node.up = true;
    node.state = undefined;
    let first;
    try {
      first = this.protocol.init(node.context(this.now), durable);
    } catch (error) {
      this.crashed(node, error);
      return;
    }
    node.state = first.state;
    this.record({ t: this.now, kind: 'boot', node: node.id, disk: status, state: first.state });
    this.applyStep(node, first.state, first.state, first.effects);
  }

  private applyStep(node: NodeRuntime, before: unknown, after: unknown, effects: readonly unknown[]): void {
    if (this.tracer && after !== before) {
      const patches = diffStates(before, after);
      if (patches.length > 0) this.tracer.emit({ t: this.now, kind: 'state', node: node.id, patches });
    }
    node.state = after;
    try {
      this.effects.apply(node, effects as never);
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      this.crashed(node, error);
    }
    if (node.stepCostUs > 0) node.busyUntil = this.now + node.stepCostUs;
  }

  private crashed(node: NodeRuntime, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const stack = error instanceof Error && !(error instanceof ContractError) ? error.stack?.split('\n').slice(1, 6).join('\n') : undefined;
    this.stop({ kind: 'crash', node: node.id, message, atUs: this.now, ...(stack ? { stack } : {}) });
  }

  /** Sends an observed event to the trace and to every checker; an always-check may end the run. */
  record(event: ObservedEvent): void {
    this.tracer?.emit(event);
    if (event.kind === 'note') {
      this.metrics.countNote(event.name);
      if (this.faults.watchesNotes) this.faults.onNote(event.node, event.name, event.data);
    }
    this.observer?.observe(event, this.view);
    const checkers = this.routes.for(event);
    for (let i = 0; i < checkers.length; i++) {
      const checker = checkers[i] as Checker;
      checker.observe(event, this.view);
      if (checker.kind === 'always' && !this.verdict) {
        const broken = checker.broken();
        if (broken !== undefined) this.stop({ kind: 'safety', checker: checker.name, message: broken, atUs: this.now });
      }
    }
  }

  stop(verdict: Verdict): void {
    this.verdict ??= verdict;
  }

  private schedulePhases(): void {
    const end = this.endUs;
    this.schedule(end, K.END, 0, 0, 0, 0, undefined);
    if (this.options.limits.maxVirtualUs < end) this.schedule(this.options.limits.maxVirtualUs, K.LIMIT, 0, 0, 0, 0, undefined);
    this.schedule(this.options.faultPhaseUs, K.HEAL, 0, 0, 0, 0, undefined);
    this.faults.schedulePlan(this.plan);
    this.clientEvents?.scheduleStarts();
  }

  private heal(): boolean {
    this.phase = 'heal';
    this.record({ t: this.now, kind: 'phase', phase: 'heal' });
    this.faults.endAll();
    for (const checker of this.checkers) {
      if (checker.kind === 'eventually') this.schedule(this.now + checker.deadlineUs, K.DEADLINE, 0, 0, 0, 0, checker);
    }
    return true;
  }

  /** A deadline that falls exactly at the end of the run is still checked (END was queued before it). */
  private dueDeadlines(): void {
    if (this.phase !== 'heal') return;
    for (const c of this.checkers) {
      if (c.kind === 'eventually' && !this.deadlinesChecked.has(c) && this.options.faultPhaseUs + c.deadlineUs <= this.now) this.deadline(c);
    }
  }

  /** The run reached its end: whole-run checks (e.g. linearizability of the history) judge it. */
  private judgeFinals(): void {
    for (const c of this.checkers) {
      if (c.kind !== 'final' || this.verdict) continue;
      this.deadlinesChecked.add(c);
      const wrong = c.judge(this.view, this.clients?.history ?? []);
      if (wrong !== undefined) this.stop({ kind: 'safety', checker: c.name, message: wrong, atUs: this.now });
    }
  }

  private deadline(checker: Checker): boolean {
    if (checker.kind !== 'eventually') return true;
    this.deadlinesChecked.add(checker);
    const unmet = checker.unmet(this.view);
    if (unmet !== undefined) {
      this.stop({ kind: 'liveness', checker: checker.name, message: `${unmet} (deadline: ${humanDuration(checker.deadlineUs)} after the heal phase began)`, atUs: this.now });
    }
    return true;
  }

  private checkDeadlines(): void {
    for (const c of this.checkers) {
      if (c.kind === 'eventually' && c.deadlineUs > this.options.healUs) {
        const atLeast = formatDuration(Math.ceil(c.deadlineUs / 1_000) * 1_000); // whole milliseconds read better than 263968840us
        throw new InputError(`heal: the heal phase (${formatDuration(this.options.healUs)}) is shorter than the bound of the "${c.name}" check (${humanDuration(c.deadlineUs)}); use --heal ${atLeast} or more`);
      }
    }
  }

  private makeView(): CheckerView {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const sim = this;
    const ids = Array.from({ length: this.options.nodes }, (_, i) => i + 1);
    return {
      get nowUs() { return sim.now; },
      get phase() { return sim.phase; },
      healStartUs: this.options.faultPhaseUs,
      nodes: ids,
      isUp: (id) => (sim.nodes[id] as NodeRuntime).up,
    };
  }
}

/** The verdict as a trace records it: a stack names files on this machine, so it stays out. */
function withoutStack(verdict: Verdict): Verdict {
  if (verdict.kind !== 'crash' || verdict.stack === undefined) return verdict;
  const { stack: _stack, ...rest } = verdict;
  return rest;
}

/** Runs one simulation to its verdict. */
export function runSimulation(spec: AnySpec, options: RunOptions, plan: FaultPlan, hooks: RunHooks = {}): RunResult {
  return new Simulation(spec, options, plan, hooks).run();
}
