// SWIM's checkers, built only from observed events (status and incarnation notes, boots, faults):
//  - completeness (eventually): within a bound after the heal phase begins, every crashed member
//    is Dead at every live member that knows it (bounds.ts derives the bound from T, n and the
//    suspicion timeout);
//  - refutation (eventually): no live member stays Suspect, Dead or unknown in a live member's
//    view for longer than the refutation window: refutation, rejoining and anti-entropy work;
//  - accuracy (always): with a calm network and no faults, no member is ever suspected. Calm: no
//    loss except on at most one pair of nodes (indirect probes route around it), and message
//    latency short enough for a direct probe within pingTimeout and an indirect one within T;
//  - no-resurrection (always): once a member has seen M Dead at incarnation i, it never sees M
//    Alive or Suspect at an incarnation <= i (Dead wins; only a rejoin with a higher one revives);
//  - own-incarnation (always): nobody holds a member at an incarnation that member never gave
//    itself (only a member raises its own incarnation);
//  - false-suspicion-refuted (sometimes): a member that is up is suspected and then refuted.
import type { AlwaysChecker, Checker, CheckerView, EventuallyChecker, SometimesChecker } from '../../sim/checker.ts';
import { humanDuration } from '../../sim/duration.ts';
import type { Fault, FaultPlan } from '../../sim/faultPlan.ts';
import type { RunOptions } from '../../sim/runOptions.ts';
import type { ObservedEvent } from '../../sim/traceEvents.ts';
import type { NodeId } from '../../sim/types.ts';
import { completenessBoundUs, MAX_REFUTATION_LOSS, maxLoss, refutationDeadlineUs, refutationWindowUs } from './bounds.ts';
import type { SwimConfig } from './config.ts';
import { SwimViews } from './views.ts';

const ids = (options: RunOptions): NodeId[] => Array.from({ length: options.nodes }, (_, i) => i + 1);

export function completeness(config: SwimConfig, options: RunOptions, plan: FaultPlan, views = new SwimViews(ids(options))): EventuallyChecker {
  return {
    name: 'completeness',
    kind: 'eventually',
    description: 'in the heal phase every crashed member is Dead at every live member that knows it, within the bound',
    deadlineUs: completenessBoundUs(config, options, plan),
    observe: (event) => void views.observe(event),
    unmet(view: CheckerView) {
      for (const crashed of view.nodes.filter((n) => !view.isUp(n))) {
        for (const observer of view.nodes.filter((n) => view.isUp(n))) {
          const seen = views.seen(observer, crashed);
          if (seen?.status && seen.status !== 'Dead') return `n${observer} still sees crashed n${crashed} as ${seen.status}`;
        }
      }
      return undefined;
    },
  };
}

export function refutation(config: SwimConfig, options: RunOptions, plan: FaultPlan, views = new SwimViews(ids(options))): EventuallyChecker {
  const windowUs = refutationWindowUs(config, options, plan);
  const lossy = maxLoss(options) > MAX_REFUTATION_LOSS;
  return {
    name: 'refutation',
    kind: 'eventually',
    description: `after the heal phase no live member stays Suspect, Dead or unknown at a live member for ${humanDuration(windowUs)} or more`,
    deadlineUs: refutationDeadlineUs(config, options, plan),
    observe: (event) => void views.observe(event),
    inapplicable: () => (lossy ? `the bound is owed only up to ${MAX_REFUTATION_LOSS * 100}% loss; this run has ${maxLoss(options) * 100}%` : undefined),
    unmet(view: CheckerView) {
      if (lossy) return undefined;
      const live = view.nodes.filter((n) => view.isUp(n));
      for (const observer of live) {
        const since = views.notAliveSince.get(observer);
        for (const member of live) {
          const t = since?.get(member);
          if (member === observer || t === undefined || view.nowUs - t < windowUs) continue;
          const seen = views.seen(observer, member);
          return `live n${member} has been ${seen?.status ?? 'unknown'} at n${observer} since ${humanDuration(t)}`;
        }
      }
      return undefined;
    },
  };
}

export function accuracy(config: SwimConfig, options: RunOptions, views = new SwimViews(ids(options))): AlwaysChecker {
  const calm = calmNetwork(config, options);
  const brokenPairs = new Set(lossyPairs(options));
  let disarmedBy = calm;
  let violation: string | undefined;
  return {
    name: 'accuracy',
    kind: 'always',
    description: 'with a calm network and no faults (but one broken or clogged pair of nodes, which indirect probes route around), no member is ever suspected',
    observe(event: ObservedEvent, view: CheckerView) {
      if (event.kind === 'fault' && event.phase === 'start' && disarmedBy === undefined) {
        const pair = singleLink(event.fault);
        if (pair !== undefined) brokenPairs.add(pair);
        if (pair === undefined || brokenPairs.size > 1) disarmedBy = `checked only until ${humanDuration(view.nowUs)}, when a ${event.fault.type} fault started`;
      }
      const seen = views.observe(event);
      if (disarmedBy === undefined && seen && (seen.note.to === 'Suspect' || seen.note.to === 'Dead')) {
        violation ??= `n${seen.observer} marked n${seen.note.peer} ${seen.note.to} at ${humanDuration(view.nowUs)}, with no fault but at most one broken pair of nodes and a calm network`;
      }
    },
    broken: () => violation,
    inapplicable: () => (violation === undefined ? disarmedBy : undefined),
  };
}

const pairKey = (a: NodeId, b: NodeId): string => `${Math.min(a, b)}-${Math.max(a, b)}`;

function lossyPairs(options: RunOptions): string[] {
  return options.network.links.filter((l) => (l.loss ?? 0) > 0).map((l) => pairKey(l.from, l.to));
}

/** The pair of nodes a fault cuts, when it cuts the link between just two nodes. */
function singleLink(fault: Fault): string | undefined {
  if (fault.type === 'clog') return pairKey(fault.from, fault.to);
  if (fault.type === 'partition-one-way' && fault.from.length === 1 && fault.to.length === 1) return pairKey(fault.from[0] as NodeId, fault.to[0] as NodeId);
  return undefined;
}

/** Undefined when the network is calm enough for accuracy to be owed; otherwise why not. */
function calmNetwork(config: SwimConfig, options: RunOptions): string | undefined {
  const net = options.network;
  const maxLatency = Math.max(net.latency.maxUs, ...net.links.map((l) => l.latency?.maxUs ?? 0));
  if (net.loss > 0) return 'the network loses messages';
  if (2 * maxLatency >= config.pingTimeout || config.pingTimeout + 4 * maxLatency >= config.period) return 'latency is too long for probes to finish in time';
  if (new Set(lossyPairs(options)).size > 1) return 'more than one pair of nodes has a lossy link';
  if (options.nodes < 3 || config.k < 1) return 'with fewer than three members or k = 0 there is no detour around a broken link';
  return undefined;
}

export function noResurrection(options: RunOptions, views = new SwimViews(ids(options))): AlwaysChecker {
  const deadAt = new Map<string, number>();
  let violation: string | undefined;
  return {
    name: 'no-resurrection',
    kind: 'always',
    description: 'once a member has seen M Dead at incarnation i, it never again sees M Alive or Suspect at incarnation i or lower',
    observe(event: ObservedEvent, view: CheckerView) {
      if (event.kind === 'boot') for (const key of [...deadAt.keys()]) if (key.startsWith(`${event.node}:`)) deadAt.delete(key);
      const seen = views.observe(event);
      if (!seen) return;
      const key = `${seen.observer}:${seen.note.peer}`;
      const dead = deadAt.get(key);
      const { to, inc, peer } = seen.note;
      if (to === 'Dead') deadAt.set(key, Math.max(dead ?? -1, inc));
      else if ((to === 'Alive' || to === 'Suspect') && dead !== undefined && inc <= dead) {
        violation ??= `n${seen.observer} saw n${peer} Dead at incarnation ${dead}, then ${to} at incarnation ${inc} (${humanDuration(view.nowUs)}): a resurrection`;
      }
    },
    broken: () => violation,
  };
}

export function ownIncarnation(options: RunOptions, views = new SwimViews(ids(options))): AlwaysChecker {
  let violation: string | undefined;
  return {
    name: 'own-incarnation',
    kind: 'always',
    description: 'no member is ever held at an incarnation it did not give itself',
    observe(event: ObservedEvent, view: CheckerView) {
      const seen = views.observe(event);
      if (!seen) return;
      const own = views.ownInc.get(seen.note.peer) ?? 0;
      if (seen.note.inc > own) {
        violation ??= `n${seen.observer} holds n${seen.note.peer} ${seen.note.to} at incarnation ${seen.note.inc} (${humanDuration(view.nowUs)}), but n${seen.note.peer} never went above ${own}`;
      }
    },
    broken: () => violation,
  };
}

export function falseSuspicionRefuted(options: RunOptions, views = new SwimViews(ids(options))): SometimesChecker {
  const suspected = new Map<string, { inc: number; upSince: number }>();
  let reached = false;
  return {
    name: 'false-suspicion-refuted',
    kind: 'sometimes',
    description: 'a member that is up is suspected, then refutes it with a higher incarnation',
    observe(event: ObservedEvent) {
      const seen = views.observe(event);
      if (!seen) return;
      const { peer, to, inc } = seen.note;
      const key = `${seen.observer}:${peer}`;
      const upSince = views.upSince.get(peer);
      if (to === 'Suspect' && upSince !== undefined) suspected.set(key, { inc, upSince });
      const before = suspected.get(key);
      if (to === 'Alive' && before && inc > before.inc && views.upSince.get(peer) === before.upSince) reached = true;
    },
    reached: () => reached,
  };
}

/** All of SWIM's checks, sharing one view of the cluster (it folds each event once, not six times). */
export function swimCheckers(config: SwimConfig, options: RunOptions, plan: FaultPlan): Checker[] {
  const views = new SwimViews(ids(options));
  return [
    completeness(config, options, plan, views),
    refutation(config, options, plan, views),
    accuracy(config, options, views),
    noResurrection(options, views),
    ownIncarnation(options, views),
    falseSuspicionRefuted(options, views),
  ];
}
