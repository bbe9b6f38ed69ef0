// Shrinks the failing run of a sweep to a small counterexample. fast-check regenerates the run's
// draft from the run's seed and shrinks it with its own shrinkers (fewer faults, shorter
// durations, earlier starts, a smaller cluster, a quieter network, a tape of choices toward 0 and
// toward empty), accepting a candidate only when it fails the same way (failure.ts) and is no
// bigger than the best counterexample so far, by size = (faults, events) in that order: fewer
// faults, or as many faults in no more events. It tries at most `maxShrinks` candidates;
// minimize.ts then makes the result 1-minimal in faults. A candidate runs with an event budget
// (the best's events, or four times that with fewer faults): one that has not failed by then cannot
// be accepted, so it stops there instead of running its whole heal phase (a run that fails within
// the budget is the same run with or without it). Every candidate is a deterministic run, so the
// outcome depends only on the sweep and the run id.
// Leaves out: parallel shrinking (fast-check's shrinker walks one path).
import fc from 'fast-check';
import type { RunResult } from '../engine.ts';
import type { AnySpec } from '../protocolSpec.ts';
import { sameFailure, signatureOf, type FailureSignature } from './failure.ts';
import { minimizeFaults } from './minimize.ts';
import { arbitraryOf } from './probe.ts';
import { runSchedule, type Schedule } from './schedule.ts';
import { scheduleOf, type SweepSetup } from './strategies.ts';
import { runSeed } from './sweepRuns.ts';

export interface Shrunk {
  original: Schedule;
  originalResult: RunResult;
  schedule: Schedule;
  result: RunResult;
  signature: FailureSignature;
  /** Candidate runs fast-check tried, and runs of the 1-minimal pass. */
  shrinkRuns: number;
  minimizeRuns: number;
}

export const DEFAULT_MAX_SHRINKS = 300;

/** The schedule with a lower event budget (the guard ends the run there, with a guard verdict). */
function withEventBudget(schedule: Schedule, maxEvents: number): Schedule {
  const { options } = schedule;
  if (maxEvents >= options.limits.maxEvents) return schedule;
  return { ...schedule, options: { ...options, limits: { ...options.limits, maxEvents } } };
}

export interface ShrinkOptions {
  /** Most candidate runs fast-check may try (default 300). */
  maxShrinks?: number;
  /** Called after each candidate run (progress). */
  onCandidate?: (tried: number) => void;
}

export function shrinkRun(spec: AnySpec, setup: SweepSetup, sweepSeed: number, id: number, opts: ShrinkOptions = {}): Shrunk {
  const maxShrinks = opts.maxShrinks ?? DEFAULT_MAX_SHRINKS;
  let target: FailureSignature | undefined;
  let first: { schedule: Schedule; result: RunResult } | undefined;
  let best: { schedule: Schedule; result: RunResult } | undefined;
  let tried = 0;
  const property = fc.property(arbitraryOf(setup), (draft) => {
    if (target && tried >= maxShrinks) return true; // budget spent: no further candidate counts as failing
    const schedule = scheduleOf(spec, setup, draft);
    if (!target || !best) {
      const result = runSchedule(spec, schedule);
      target = signatureOf(result.verdict);
      first = best = { schedule, result };
      return target === undefined;
    }
    const fewer = schedule.plan.faults.length < best.schedule.plan.faults.length;
    if (!fewer && schedule.plan.faults.length > best.schedule.plan.faults.length) return true; // bigger: no run needed
    tried++;
    opts.onCandidate?.(tried);
    const budget = best.result.metrics.events * (fewer ? 4 : 1);
    // A guard failure is itself about budgets: its candidates run as they are.
    const result = runSchedule(spec, target.kind === 'guard' ? schedule : withEventBudget(schedule, budget));
    if (!sameFailure(result.verdict, target) || result.metrics.events > budget) return true;
    best = { schedule, result };
    return false;
  });
  fc.check(property, { seed: runSeed(sweepSeed, id), numRuns: 1 });
  if (!target || !first || !best) throw new Error(`explore: run ${id} of sweep ${sweepSeed} passed when shrinking began; it failed when it was first run`);
  const minimized = minimizeFaults(spec, best.schedule, best.result, target);
  return { original: first.schedule, originalResult: first.result, schedule: minimized.schedule, result: minimized.result, signature: target, shrinkRuns: tried, minimizeRuns: minimized.runs };
}
