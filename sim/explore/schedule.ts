// One explored run, complete and replayable: resolved run options (seed, nodes, network, protocol
// settings, bug), a fault plan, a choice tape and, for the PCT strategy, its settings. Running a
// schedule twice gives the same run, event for event: the root randomness is the choice tape over
// the run's seed, and the PCT scheduler (if any) draws from its "pct" stream.
// Leaves out: how schedules are generated (strategies.ts) and stored (repro.ts).
import { runSimulation, type RunResult } from '../engine.ts';
import { formatFaultPlan, parseFaultPlan, type FaultPlan } from '../faultPlan.ts';
import type { AnySpec } from '../protocolSpec.ts';
import { resolveRun, type RunRequest } from '../resolveRun.ts';
import type { RunOptions } from '../runOptions.ts';
import type { Tracer } from '../tracer.ts';
import { ChoiceTapeRng, type ChoiceTape } from './choiceTape.ts';
import { PctScheduler, type PctSettings } from './pctScheduler.ts';

export interface Schedule {
  options: RunOptions;
  plan: FaultPlan;
  tape: ChoiceTape;
  pct: PctSettings | null;
}

export function runSchedule(spec: AnySpec, schedule: Schedule, tracer?: Tracer): RunResult {
  const rng = new ChoiceTapeRng(schedule.tape, schedule.options.seed);
  const delivery = schedule.pct ? new PctScheduler(schedule.options.nodes, schedule.pct, rng.fork('pct')) : undefined;
  return runSimulation(spec, schedule.options, schedule.plan, { rng, ...(delivery ? { delivery } : {}), ...(tracer ? { tracer } : {}) });
}

/**
 * Resolves a schedule: the heal phase follows from the plan (as for `faultlab run`). The plan goes
 * through its written form and back, so it is exactly the plan its repro file will hold (the same
 * order, the same fields in the same order: the trace records faults as they are).
 */
export function resolveSchedule(spec: AnySpec, request: RunRequest, plan: FaultPlan, tape: ChoiceTape, pct: PctSettings | null): Schedule {
  const options = resolveRun(spec, request, plan);
  const canonical = parseFaultPlan(formatFaultPlan(plan), options.nodes, options.faultPhaseUs, 'generated fault plan');
  return { options, plan: canonical, tape, pct };
}

/** The request that resolves to these options again (the heal phase recomputed from the plan). */
export function requestOf(options: RunOptions): RunRequest {
  const { protocol: _protocol, healUs: _healUs, ...rest } = options;
  return rest;
}

/** The same schedule with a different plan (its heal phase recomputed). */
export function withPlan(spec: AnySpec, schedule: Schedule, plan: FaultPlan): Schedule {
  return resolveSchedule(spec, requestOf(schedule.options), plan, schedule.tape, schedule.pct);
}

/** The same schedule without fault i. */
export function withoutFault(spec: AnySpec, schedule: Schedule, i: number): Schedule {
  return withPlan(spec, schedule, { faults: schedule.plan.faults.filter((_, j) => j !== i) });
}

/** The same schedule run by the correct protocol (no deliberate bug). */
export function withoutBug(schedule: Schedule): Schedule {
  return { ...schedule, options: { ...schedule.options, bug: null } };
}
