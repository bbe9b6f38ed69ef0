// One run of a sweep, found by its id: fast-check generates the run's draft from the run's seed
// (sweepRuns.ts) with the strategy's arbitrary, the draft becomes a schedule and the schedule runs.
// No shrinking here (fast-check stops at the failure); shrink.ts regenerates the same draft from
// the same seed and shrinks it. Leaves out: workers and timing (the CLI adds them).
import fc from 'fast-check';
import type { AnySpec } from '../protocolSpec.ts';
import { describeVerdict } from '../verdict.ts';
import { signatureOf, type FailureSignature } from './failure.ts';
import { runSchedule, type Schedule } from './schedule.ts';
import { draftArbitrary, scheduleOf, type Draft, type SweepSetup } from './strategies.ts';
import { runSeed } from './sweepRuns.ts';

export interface ProbeResult {
  id: number;
  failure: FailureSignature | undefined;
  /** describeVerdict of a failed run. */
  verdict: string | undefined;
  /** Names of the sometimes-checks this run reached. */
  reached: string[];
  events: number;
  faults: number;
}

const arbitraries = new WeakMap<SweepSetup, fc.Arbitrary<Draft>>();

/** The strategy's arbitrary for a setup (built once per setup object). */
export function arbitraryOf(setup: SweepSetup): fc.Arbitrary<Draft> {
  let arb = arbitraries.get(setup);
  if (!arb) arbitraries.set(setup, (arb = draftArbitrary(setup)));
  return arb;
}

/** The draft of run `id` (fast-check's first value for the run's seed). */
export function draftOf(setup: SweepSetup, sweepSeed: number, id: number): Draft {
  let draft: Draft | undefined;
  fc.check(fc.property(arbitraryOf(setup), (d) => void (draft = d)), { seed: runSeed(sweepSeed, id), numRuns: 1 });
  return draft as Draft;
}

export function scheduleOfRun(spec: AnySpec, setup: SweepSetup, sweepSeed: number, id: number): Schedule {
  return scheduleOf(spec, setup, draftOf(setup, sweepSeed, id));
}

export function probeRun(spec: AnySpec, setup: SweepSetup, sweepSeed: number, id: number): ProbeResult {
  const schedule = scheduleOfRun(spec, setup, sweepSeed, id);
  const result = runSchedule(spec, schedule);
  const failure = signatureOf(result.verdict);
  return {
    id,
    failure,
    verdict: failure ? describeVerdict(result.verdict) : undefined,
    reached: Object.keys(result.sometimes).filter((name) => result.sometimes[name]),
    events: result.metrics.events,
    faults: schedule.plan.faults.length,
  };
}
