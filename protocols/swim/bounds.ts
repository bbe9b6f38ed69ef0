// The time bounds SWIM's liveness checkers use, derived from the parameters and the run:
//  - completeness: a live member probes each member it knows within two rounds of its shuffled
//    round-robin (at most 2(n-1) periods); a failed probe makes the member Suspect and the
//    suspicion timeout makes it Dead, with no message needed. One refutation of the crashed member
//    that was still in flight when the heal phase began can reset that once, so the bound is two
//    such cycles, plus message delays, the longest byzantine delay or slow-node step, and any
//    clock set back (local timers run that much later).
//  - refutation window: how long a live member may stay Suspect, Dead or unknown in another live
//    member's view: a suspicion timeout, then push-pull syncs (every `sync`) that reach the member
//    and spread its refutation, epidemic-style, in about log2 n rounds, plus six. A sync is a round
//    trip, so with loss p only (1 - p)^2 of them get through: the rounds are divided by that. This
//    bound is probabilistic (loss can in principle drop every message); above 50% loss it is not
//    owed at all, and the refutation check says so (MAX_REFUTATION_LOSS).
import type { FaultPlan } from '../../sim/faultPlan.ts';
import { clockSetBackUs, maxMessageDelayUs } from '../shared/runBounds.ts';
import type { RunOptions } from '../../sim/runOptions.ts';
import { suspicionTimeoutUs, syncIntervalUs, type SwimConfig } from './config.ts';

export function completenessBoundUs(config: SwimConfig, options: RunOptions, plan: FaultPlan): number {
  const n = options.nodes;
  const cycle = (2 * (n - 1) + 1) * config.period + suspicionTimeoutUs(config, n);
  return 2 * cycle + 4 * maxMessageDelayUs(options, plan) + clockSetBackUs(plan) + config.period;
}

export const MAX_REFUTATION_LOSS = 0.5;

/** The highest loss probability on any link of the run. */
export function maxLoss(options: RunOptions): number {
  return Math.max(options.network.loss, ...options.network.links.map((l) => l.loss ?? 0));
}

export function refutationWindowUs(config: SwimConfig, options: RunOptions, plan: FaultPlan): number {
  const n = options.nodes;
  const delivered = (1 - Math.min(maxLoss(options), MAX_REFUTATION_LOSS)) ** 2;
  const rounds = Math.ceil((Math.ceil(Math.log2(Math.max(2, n))) + 6) / delivered);
  return suspicionTimeoutUs(config, n) + 2 * config.period + rounds * syncIntervalUs(config, n) + 4 * maxMessageDelayUs(options, plan) + clockSetBackUs(plan);
}

/** Deadline of the refutation check: the window, plus time for a member restarted at the heal to rejoin. */
export function refutationDeadlineUs(config: SwimConfig, options: RunOptions, plan: FaultPlan): number {
  return refutationWindowUs(config, options, plan) + 4 * config.period;
}

export function swimHealUs(config: SwimConfig, options: RunOptions, plan: FaultPlan): number {
  return Math.max(completenessBoundUs(config, options, plan), refutationDeadlineUs(config, options, plan)) + config.period;
}
