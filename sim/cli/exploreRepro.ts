// After a sweep found a failing run: shrink it (with a progress line), turn the counterexample into
// a repro file, write the file (reproFile.ts), check (with --bug) that the correct protocol passes
// the counterexample, and give back what the report prints. Leaves out: the report (exploreReport.ts).
import { sameFailure } from '../explore/failure.ts';
import { reproOf, type Repro } from '../explore/repro.ts';
import { runSchedule, withoutBug } from '../explore/schedule.ts';
import { faultlabVersion, replayCommandFor, writeRepro } from '../explore/reproFile.ts';
import { shrinkRun, DEFAULT_MAX_SHRINKS, type Shrunk } from '../explore/shrink.ts';
import type { SweepSetup } from '../explore/strategies.ts';
import type { Shard } from '../explore/sweepRuns.ts';
import type { AnySpec } from '../protocolSpec.ts';
import { exploreProgress } from './exploreProgress.ts';

export interface Counterexample {
  shrunk: Shrunk;
  repro: Repro;
  path: string;
  replay: string;
  /** With --bug: whether the correct protocol passes the counterexample (else the failure is not the bug's doing). */
  correctPasses: boolean | null;
}

export interface CounterexampleOptions {
  out: string;
  maxShrinks?: number;
  specModule: string | null;
}

export function findCounterexample(spec: AnySpec, setup: SweepSetup, sweepSeed: number, shard: Shard, id: number, opts: CounterexampleOptions): Counterexample {
  const maxShrinks = opts.maxShrinks ?? DEFAULT_MAX_SHRINKS;
  const progress = exploreProgress(`explore ${spec.name}`, process.stderr, 0, { runs: maxShrinks });
  const shrunk = shrinkRun(spec, setup, sweepSeed, id, { maxShrinks, onCandidate: (n) => progress.shrink(n, maxShrinks) });
  progress.close();
  const origin = { strategy: setup.strategy, sweepSeed, run: id, shard: `${shard.index}/${shard.count}` };
  const repro = reproOf(spec, shrunk.schedule, faultlabVersion(), origin);
  writeRepro(opts.out, repro);
  const correctPasses = setup.bug === null ? null : !sameFailure(runSchedule(spec, withoutBug(shrunk.schedule)).verdict, shrunk.signature);
  return { shrunk, repro, path: opts.out, replay: replayCommandFor(opts.out, opts.specModule), correctPasses };
}
