// One task of the explore benchmark, run on a worker thread (workerPool.ts loads this module):
// either a sweep (runs 0, 1, 2, ... of one sweep seed, single-threaded, until the first failure
// that the correct protocol passes, or the cap; failures the correct protocol shares are counted
// as false alarms and passed over) or the shrinking of a sweep's first failure, with a check of whether the counterexample
// needs messages to be reordered (exploreBenchOrdering.ts), or a count of the failing runs among the
// first runs of one sweep seed of an ordering bug's small scenario. A task may turn faults off
// (maxFaults 0: only delivery order and timing vary). Wall times are of this thread alone.
// Leaves out: the table (exploreBench.ts prints it).
import { spec as gcounterSpec } from '../../examples/gcounter/spec.ts';
import { PROTOCOLS } from '../../protocols/registry.ts';
import { sameFailure } from '../../sim/explore/failure.ts';
import { probeRun, scheduleOfRun } from '../../sim/explore/probe.ts';
import { runSchedule, withoutBug } from '../../sim/explore/schedule.ts';
import { shrinkRun } from '../../sim/explore/shrink.ts';
import type { Strategy } from '../../sim/explore/strategies.ts';
import { sweepSetup } from '../../sim/explore/sweepSetup.ts';
import type { AnySpec } from '../../sim/protocolSpec.ts';
import { needsReordering, SMALL_SCENARIOS, smallScenarioFailing } from './exploreBenchOrdering.ts';

export interface SweepTask {
  kind: 'sweep';
  protocol: string;
  bug: string;
  strategy: Strategy;
  sweepSeed: number;
  capMs: number;
  capRuns: number;
  /** Most faults a run draws (the sweep default when absent; 0: fault-free). */
  maxFaults?: number;
  /** Run the bug's small scenario (SMALL_SCENARIOS) instead of the default workload. */
  small?: boolean;
}

export interface ShrinkTask {
  kind: 'shrink';
  protocol: string;
  bug: string;
  strategy: Strategy;
  sweepSeed: number;
  id: number;
  maxShrinks: number;
  maxFaults?: number;
}

/** Count the failing runs among runs 0..runs - 1 of one sweep seed of a bug's small scenario, fault-free. */
export interface ShareTask {
  kind: 'share';
  protocol: string;
  bug: string;
  strategy: Strategy;
  sweepSeed: number;
  runs: number;
}

export interface SweepResult {
  runs: number;
  found: boolean;
  /** Failing runs passed over because the correct protocol fails them the same way. */
  falseAlarms: number;
  ms: number;
  id: number;
  verdict: string | undefined;
}

export interface ShrinkResult {
  faultsBefore: number;
  faultsAfter: number;
  eventsBefore: number;
  eventsAfter: number;
  candidates: number;
  ms: number;
  verdict: string;
  /** The counterexample no longer fails this way when every message takes one fixed time on FIFO links (no PCT). */
  needsReordering: boolean;
}

/** Every protocol the benchmark covers: the registry plus the user-protocol example. */
export const BENCH_SPECS: Readonly<Record<string, AnySpec>> = { ...PROTOCOLS, gcounter: gcounterSpec };

export function runJob(task: SweepTask | ShrinkTask | ShareTask): SweepResult | ShrinkResult | number {
  const spec = BENCH_SPECS[task.protocol] as AnySpec;
  if (task.kind === 'share') return smallScenarioFailing(spec, `${task.protocol} ${task.bug}`, task.strategy, task.sweepSeed, task.runs);
  const small = task.kind === 'sweep' && task.small ? SMALL_SCENARIOS[`${task.protocol} ${task.bug}`] : undefined;
  const setup = sweepSetup(spec, { bug: task.bug, strategy: task.strategy, ...(task.maxFaults !== undefined ? { maxFaults: task.maxFaults } : {}), ...(small ? { clients: small.clients, config: small.config } : {}) });
  const started = performance.now();
  if (task.kind === 'shrink') {
    const s = shrinkRun(spec, setup, task.sweepSeed, task.id, { maxShrinks: task.maxShrinks });
    return {
      faultsBefore: s.original.plan.faults.length, faultsAfter: s.schedule.plan.faults.length,
      eventsBefore: s.originalResult.metrics.events, eventsAfter: s.result.metrics.events,
      candidates: s.shrinkRuns + s.minimizeRuns, ms: performance.now() - started, verdict: s.result.verdict.kind === 'pass' ? 'pass' : `${s.result.verdict.kind}${'checker' in s.result.verdict ? ` ${s.result.verdict.checker}` : ''}`,
      needsReordering: needsReordering(spec, s.schedule, s.signature),
    };
  }
  let falseAlarms = 0;
  for (let id = 0; id < task.capRuns; id++) {
    const probe = probeRun(spec, setup, task.sweepSeed, id);
    const ms = performance.now() - started;
    if (probe.failure && !sameFailure(runSchedule(spec, withoutBug(scheduleOfRun(spec, setup, task.sweepSeed, id))).verdict, probe.failure)) return { runs: id + 1, found: true, falseAlarms, ms, id, verdict: probe.verdict };
    if (probe.failure) falseAlarms++;
    if (ms > task.capMs) return { runs: id + 1, found: false, falseAlarms, ms, id: -1, verdict: undefined };
  }
  return { runs: task.capRuns, found: false, falseAlarms, ms: performance.now() - started, id: -1, verdict: undefined };
}
