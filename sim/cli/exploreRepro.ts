// After a sweep found a failing run: shrink it (with a progress line), turn the counterexample into
// a repro file, write the file (reproFile.ts) and give back what the report prints; and the replay
// command. Leaves out: the report (exploreReport.ts).
import { reproOf, type Repro } from '../explore/repro.ts';
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
  return { shrunk, repro, path: opts.out, replay: replayCommandFor(opts.out, opts.specModule) };
}
