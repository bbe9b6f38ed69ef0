// The G-Counter's invariants, from observed notes only (never node state):
//  - no-overcount (always): no node's total exceeds the increments that happened (for each node,
//    the highest value its 'inc' notes reached, summed);
//  - monotonic (always): within one life of a node (between boots) its total never goes down;
//  - converged (eventually): a bound after the heal phase starts, every up node has the same total;
//  - recovered (sometimes): a node that restarted with its disk learned counts back from a peer.
// Leaves out: checking which increments a total is made of (the totals suffice for these bugs).
import type { AlwaysChecker, Checker, EventuallyChecker, SometimesChecker } from '../../sim/checker.ts';
import type { FaultPlan } from '../../sim/faultPlan.ts';
import type { RunOptions } from '../../sim/runOptions.ts';
import type { ObservedEvent } from '../../sim/traceEvents.ts';
import { clockSetBackUs, maxMessageDelayUs } from '../../protocols/shared/runBounds.ts';
import type { GCounterConfig } from './gcounter.ts';

interface TotalNote {
  total: number;
  via: 'boot' | 'tick' | 'merge';
}

const totalNote = (e: ObservedEvent): TotalNote | undefined => (e.kind === 'note' && e.name === 'total' ? (e.data as TotalNote) : undefined);

function noOvercount(): AlwaysChecker {
  const incs = new Map<number, number>();
  let broken: string | undefined;
  return {
    name: 'no-overcount', kind: 'always', description: 'no node counts more increments than happened',
    observe(e) {
      if (e.kind === 'note' && e.name === 'inc') incs.set(e.node, Math.max(incs.get(e.node) ?? 0, (e.data as { value: number }).value));
      const note = totalNote(e);
      const happened = [...incs.values()].reduce((a, b) => a + b, 0);
      if (note && e.kind === 'note' && note.total > happened) broken ??= `n${e.node}'s total is ${note.total} at ${e.t}us, but only ${happened} increment${happened === 1 ? '' : 's'} happened`;
    },
    broken: () => broken,
  };
}

function monotonic(): AlwaysChecker {
  const last = new Map<number, number>();
  let broken: string | undefined;
  return {
    name: 'monotonic', kind: 'always', description: 'within one life a node\'s total never goes down',
    observe(e) {
      if (e.kind === 'boot') last.delete(e.node);
      const note = totalNote(e);
      if (!note || e.kind !== 'note') return;
      const before = last.get(e.node);
      if (before !== undefined && note.total < before) broken ??= `n${e.node}'s total went down from ${before} to ${note.total} at ${e.t}us (${note.via})`;
      last.set(e.node, note.total);
    },
    broken: () => broken,
  };
}

export function convergenceBoundUs(config: GCounterConfig, options: RunOptions, plan: FaultPlan): number {
  return 10 * config.gossip + 2 * maxMessageDelayUs(options, plan) + clockSetBackUs(plan) + config.tick;
}

function converged(config: GCounterConfig, options: RunOptions, plan: FaultPlan): EventuallyChecker {
  const totals = new Map<number, number>();
  return {
    name: 'converged', kind: 'eventually', description: 'after the heal phase every up node has the same total',
    deadlineUs: convergenceBoundUs(config, options, plan),
    observe(e) {
      const note = totalNote(e);
      if (note && e.kind === 'note') totals.set(e.node, note.total);
    },
    unmet(view) {
      const up = view.nodes.filter((n) => view.isUp(n)).map((n) => [n, totals.get(n) ?? 0] as const);
      const differs = up.find(([, total]) => total !== up[0]?.[1]);
      return differs ? `n${up[0]?.[0]} counts ${up[0]?.[1]} but n${differs[0]} counts ${differs[1]}` : undefined;
    },
  };
}

function recovered(): SometimesChecker {
  const restarted = new Set<number>();
  let reached = false;
  return {
    name: 'recovered', kind: 'sometimes', description: 'a node that restarted with its disk learned counts back from a peer',
    observe(e) {
      if (e.kind === 'boot' && e.disk === 'ok') restarted.add(e.node);
      if (totalNote(e)?.via === 'merge' && e.kind === 'note' && restarted.has(e.node)) reached = true;
    },
    reached: () => reached,
  };
}

export function gcounterCheckers(config: GCounterConfig, options: RunOptions, plan: FaultPlan): Checker[] {
  return [noOvercount(), monotonic(), converged(config, options, plan), recovered()];
}
