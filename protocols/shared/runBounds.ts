// Bounds every protocol's liveness checks share: the longest a message can take in a run (the
// latest latency, byzantine delay or slow-node step of its network and fault plan) and how far
// clocks are set back by skews. Leaves out: anything protocol-specific.
import type { FaultPlan } from '../../sim/faultPlan.ts';
import type { RunOptions } from '../../sim/runOptions.ts';

/** The longest one message can take in this run (latency, byzantine delay, a slow receiver). */
export function maxMessageDelayUs(options: RunOptions, plan: FaultPlan): number {
  const latencies = [options.network.latency, ...options.network.links.flatMap((l) => (l.latency ? [l.latency] : []))];
  let extra = 0;
  for (const f of plan.faults) {
    if (f.type === 'byzantine' && f.behaviour === 'delay') extra = Math.max(extra, f.delay ?? 0);
    if (f.type === 'slow') extra = Math.max(extra, f.stepCost);
  }
  return Math.max(...latencies.map((l) => l.maxUs)) + extra;
}

/** The total a clock was set back by skews: local timers fire that much later. */
export function clockSetBackUs(plan: FaultPlan): number {
  return plan.faults.reduce((sum, f) => sum + (f.type === 'clock-skew' && f.offset < 0 ? -f.offset : 0), 0);
}
