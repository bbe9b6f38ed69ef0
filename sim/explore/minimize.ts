// The last shrinking pass, which makes a counterexample 1-minimal in faults: fast-check's shrinker
// simplifies the draft but gives no such guarantee, so this pass first tries the schedule without
// its choice tape, then removes faults one at a time, keeping each removal after which the run
// still fails the same way, and repeats until a whole pass removes nothing. Afterwards removing
// any one remaining fault makes the failure disappear (that run passes or fails differently).
// Leaves out: removing pairs of faults (2-minimality costs quadratically many runs).
import type { RunResult } from '../engine.ts';
import type { AnySpec } from '../protocolSpec.ts';
import { sameFailure, type FailureSignature } from './failure.ts';
import { runSchedule, withoutFault, type Schedule } from './schedule.ts';

export interface Minimized {
  schedule: Schedule;
  result: RunResult;
  /** Runs this pass made. */
  runs: number;
}

export function minimizeFaults(spec: AnySpec, start: Schedule, startResult: RunResult, target: FailureSignature): Minimized {
  let current = start;
  let result = startResult;
  let runs = 0;
  const attempt = (candidate: Schedule): boolean => {
    runs++;
    const r = runSchedule(spec, candidate);
    if (!sameFailure(r.verdict, target)) return false;
    current = candidate;
    result = r;
    return true;
  };
  if (Object.keys(current.tape).length > 0) attempt({ ...current, tape: {} });
  for (let removed = true; removed; ) {
    removed = false;
    for (let i = 0; i < current.plan.faults.length; ) {
      if (attempt(withoutFault(spec, current, i))) removed = true;
      else i++;
    }
  }
  return { schedule: current, result, runs };
}
