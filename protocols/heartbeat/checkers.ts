// Checkers for the heartbeat detector, built only from observed events (status notes, boots,
// faults), never from node state:
//  - completeness (eventually): once the heal phase has run for the bound, every crashed node is
//    Failed in the view of every live node. Bound = timeout + the longest message latency + the
//    longest byzantine send delay + the longest slow-node step (the last heartbeat of a crashed
//    node can arrive that late; then the receiver's silence timers run for the timeout) + the
//    total backward clock skew (a clock set back delays the receiver's local timers by as much).
//  - accuracy (always): while the network is loss-free with latency below timeout/2 (and interval
//    at most timeout/2) and no fault other than crash/restart has happened, no node declares a peer
//    Failed that has been up for a whole timeout.
//  - false-suspicion (sometimes): some node suspects (or fails) a peer that has been up for a
//    whole timeout. Heavy loss should make this happen.
import type { AlwaysChecker, Checker, CheckerView, EventuallyChecker, SometimesChecker } from '../../sim/checker.ts';
import { humanDuration } from '../../sim/duration.ts';
import type { FaultPlan } from '../../sim/faultPlan.ts';
import type { RunOptions } from '../../sim/runOptions.ts';
import type { ObservedEvent } from '../../sim/traceEvents.ts';
import type { NodeId } from '../../sim/types.ts';
import type { HeartbeatConfig } from './config.ts';
import type { PeerStatus } from './heartbeat.ts';
import { clockSetBackUs, maxMessageDelayUs } from '../shared/runBounds.ts';

interface StatusNote {
  peer: NodeId;
  from: PeerStatus;
  to: PeerStatus;
}

/** Tracks, from events alone, each node's view of its peers and since when each node is up. */
class ViewTracker {
  readonly views = new Map<NodeId, Map<NodeId, PeerStatus>>();
  readonly upSince = new Map<NodeId, number>();

  observe(event: ObservedEvent): StatusNote | undefined {
    if (event.kind === 'boot') {
      this.views.set(event.node, new Map());
      this.upSince.set(event.node, event.t);
    } else if (event.kind === 'fault' && event.phase === 'start' && event.fault.type === 'crash') {
      this.upSince.delete(event.fault.node);
    } else if (event.kind === 'note' && event.name === 'status') {
      const note = event.data as StatusNote;
      this.views.get(event.node)?.set(note.peer, note.to);
      return note;
    }
    return undefined;
  }

  status(observer: NodeId, peer: NodeId): PeerStatus {
    return this.views.get(observer)?.get(peer) ?? 'Healthy';
  }

  /** Up, and continuously so for at least `forUs`. */
  upFor(node: NodeId, forUs: number, now: number): boolean {
    const since = this.upSince.get(node);
    return since !== undefined && now - since >= forUs;
  }
}

export function completenessBoundUs(config: HeartbeatConfig, options: RunOptions, plan: FaultPlan): number {
  return config.timeout + maxMessageDelayUs(options, plan) + clockSetBackUs(plan) + 1_000;
}

export function completeness(config: HeartbeatConfig, options: RunOptions, plan: FaultPlan): EventuallyChecker {
  const tracker = new ViewTracker();
  return {
    name: 'completeness',
    kind: 'eventually',
    description: 'in the heal phase every crashed node is Failed at every live node within the bound',
    deadlineUs: completenessBoundUs(config, options, plan),
    observe: (event) => void tracker.observe(event),
    unmet(view: CheckerView) {
      for (const crashed of view.nodes.filter((n) => !view.isUp(n))) {
        for (const observer of view.nodes.filter((n) => view.isUp(n))) {
          const status = tracker.status(observer, crashed);
          if (status !== 'Failed') return `n${observer} still sees crashed n${crashed} as ${status}`;
        }
      }
      return undefined;
    },
  };
}

const DISQUALIFYING = new Set(['partition', 'partition-one-way', 'clog', 'pause', 'slow', 'byzantine', 'clock-skew', 'clock-drift', 'clock-stop']);

export function accuracy(config: HeartbeatConfig, options: RunOptions): AlwaysChecker {
  const tracker = new ViewTracker();
  const net = options.network;
  const calm = net.loss === 0 && net.latency.maxUs < config.timeout / 2 && config.interval <= config.timeout / 2 && net.links.every((l) => (l.loss ?? 0) === 0 && (l.latency?.maxUs ?? 0) < config.timeout / 2);
  let armed = calm;
  let disarmedBy: string | undefined = calm ? undefined : `the network is not calm (loss must be 0 and latency below timeout/2)`;
  let violation: string | undefined;
  return {
    name: 'accuracy',
    kind: 'always',
    description: 'with no loss, latency below timeout/2 and no partition, pause or clock fault, no live node is ever declared Failed',
    observe(event: ObservedEvent, view: CheckerView) {
      if (event.kind === 'fault' && DISQUALIFYING.has(event.fault.type) && armed) {
        armed = false;
        disarmedBy = `checked only until ${humanDuration(view.nowUs)}, when a ${event.fault.type} fault started`;
      }
      const note = tracker.observe(event);
      if (armed && note?.to === 'Failed' && tracker.upFor(note.peer, config.timeout, view.nowUs)) {
        violation ??= `n${(event as { node: NodeId }).node} declared n${note.peer} Failed at ${humanDuration(view.nowUs)}, but n${note.peer} has been up and reachable all along`;
      }
    },
    broken: () => violation,
    inapplicable: () => (violation === undefined ? disarmedBy : undefined),
  };
}

export function falseSuspicion(config: HeartbeatConfig): SometimesChecker {
  const tracker = new ViewTracker();
  let reached = false;
  return {
    name: 'false-suspicion',
    kind: 'sometimes',
    description: 'a node suspects a peer that is up (heavy loss should cause it)',
    observe(event: ObservedEvent, view: CheckerView) {
      const note = tracker.observe(event);
      if (note && note.to !== 'Healthy' && tracker.upFor(note.peer, config.timeout, view.nowUs)) reached = true;
    },
    reached: () => reached,
  };
}

export function heartbeatCheckers(config: HeartbeatConfig, options: RunOptions, plan: FaultPlan): Checker[] {
  return [completeness(config, options, plan), accuracy(config, options), falseSuspicion(config)];
}
