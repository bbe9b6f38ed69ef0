// `faultlab explore <protocol>`: a sweep of generated schedules (strategy random, swarm or pct)
// over the runs of one shard, on worker threads, with a progress line; on a failure it shrinks the
// lowest failing run to a 1-minimal counterexample, writes a repro file and prints the replay
// command. Output is the same for the same flags except the final timing line (with --time, which
// runs fit in the time is itself timing). Exit code: 0 no failure, 1 failure found (repro
// written); bad input throws InputError (exit 2 in main.ts). Leaves out: resuming a sweep.
import { availableParallelism } from 'node:os';
import { PROTOCOLS, protocolNames } from '../../protocols/registry.ts';
import { DEFAULT_EXPLORE_RUNS, sweepSetup, sometimesNames } from '../explore/sweepSetup.ts';
import { probeRun } from '../explore/probe.ts';
import type { Strategy, SweepSetup } from '../explore/strategies.ts';
import { shardSize, WHOLE, type Shard } from '../explore/sweepRuns.ts';
import type { AnySpec } from '../protocolSpec.ts';
import { InputError } from '../schemaHelpers.ts';
import { CONTROL_SLOTS, C_DONE, C_FAILS, C_MIN_FAIL, C_REACHED, NO_FAILURE, type ExploreChunk, type ExploreJob } from './exploreJob.ts';
import { exploreProgress } from './exploreProgress.ts';
import { findCounterexample } from './exploreRepro.ts';
import { printSweep, sweepOutcome, type SweepOutcome } from './exploreReport.ts';
import { loadSpecModule, isModulePath } from './exploreSpecModule.ts';
import { settingValues } from './flags.ts';
import { runPool } from './workerPool.ts';

export interface ExploreFlags {
  bug?: string;
  runs?: number;
  /** --time, in microseconds. */
  time?: number;
  strategy?: Strategy;
  workers?: number;
  shard?: Shard;
  seed?: number;
  nodes?: number;
  duration?: number;
  depth?: number;
  maxFaults?: number;
  maxShrinks?: number;
  set?: Record<string, string>;
  clients?: number;
  clientOps?: number;
  out?: string;
  json?: boolean;
}

/** Most chunks a sweep is cut into (the pool's queue stays small). */
const MAX_JOBS = 20_000;
/** Wall time one chunk should take, so the progress line moves. */
const CHUNK_MS = 400;

/** Runs the command; a protocol module makes it asynchronous (the module loads first). */
export function exploreCommand(protocol: string, flags: ExploreFlags): number | Promise<number> {
  if (isModulePath(protocol)) {
    return loadSpecModule(protocol).then((spec) => {
      process.env.FAULTLAB_SPEC_MODULE = protocol;
      return explore(spec, protocol, flags);
    });
  }
  const spec = PROTOCOLS[protocol];
  if (!spec) throw new InputError(`explore: unknown protocol ${JSON.stringify(protocol)}; expected one of ${protocolNames().join(', ')}, or a path to a module that exports a protocol spec`);
  return explore(spec, null, flags);
}

function explore(spec: AnySpec, specModule: string | null, flags: ExploreFlags): number {
  if (flags.bug === 'list') return listBugs(spec);
  if (flags.runs !== undefined && flags.time !== undefined) throw new InputError('--time: cannot be combined with --runs; give one of --runs N or --time 60s');
  const setup = sweepSetup(spec, {
    bug: flags.bug ?? null, strategy: flags.strategy, nodes: flags.nodes, faultPhaseUs: flags.duration,
    config: settingValues(flags.set ?? {}), maxFaults: flags.maxFaults, depth: flags.depth,
    clients: { count: flags.clients, ops: flags.clientOps },
  });
  const sweepSeed = flags.seed ?? 1;
  const shard = flags.shard ?? WHOLE;
  const started = performance.now();
  const outcome = sweep(spec, specModule, setup, sweepSeed, shard, flags);
  const sweepMs = performance.now() - started;
  const found = outcome.failure ? findCounterexample(spec, setup, sweepSeed, shard, outcome.failure.id, { out: flags.out ?? 'repro.json', maxShrinks: flags.maxShrinks, specModule }) : undefined;
  printSweep({ spec, setup, sweepSeed, shard, flags, outcome, found, sweepMs, shrinkMs: performance.now() - started - sweepMs });
  return outcome.failure ? 1 : 0;
}

function listBugs(spec: AnySpec): number {
  const bugs = Object.entries(spec.bugs);
  if (bugs.length === 0) process.stdout.write(`${spec.name} has no buggy variants\n`);
  const width = Math.max(0, ...bugs.map(([name]) => name.length));
  for (const [name, what] of bugs) process.stdout.write(`${name.padEnd(width)}  ${what}\n`);
  return 0;
}

function sweep(spec: AnySpec, specModule: string | null, setup: SweepSetup, sweepSeed: number, shard: Shard, flags: ExploreFlags): SweepOutcome {
  const sometimes = sometimesNames(spec, setup);
  const timed = flags.time !== undefined;
  const calibration = performance.now();
  probeRun(spec, setup, sweepSeed, shard.index - 1); // warms up this thread's code too; its wall time sizes the chunks
  const runMs = Math.max(0.01, performance.now() - calibration);
  const chunk = Math.max(1, Math.min(1_000, Math.round(CHUNK_MS / runMs)));
  const total = timed ? chunk * MAX_JOBS : shardSize(shard, flags.runs ?? DEFAULT_EXPLORE_RUNS);
  const control = new SharedArrayBuffer(4 * CONTROL_SLOTS);
  const view = new Int32Array(control);
  Atomics.store(view, C_MIN_FAIL, NO_FAILURE);
  const deadlineMs = timed ? Date.now() + (flags.time as number) / 1000 : null;
  const jobs: ExploreJob[] = [];
  for (let from = 0; from < total; from += chunk) {
    jobs.push({ protocol: spec.name, specModule, setup, sweepSeed, shard, from, to: Math.min(total, from + chunk), control, deadlineMs, sometimes });
  }
  const what = `explore ${spec.name}${setup.bug ? ` --bug ${setup.bug}` : ''}`;
  const progress = exploreProgress(what, process.stderr, sometimes.length, timed ? { ms: (flags.time as number) / 1000 } : { runs: total });
  const onDone = (): void => progress.sweep({ done: Atomics.load(view, C_DONE), failures: Atomics.load(view, C_FAILS), reached: popCount(Atomics.load(view, C_REACHED)) });
  const workers = Math.max(1, flags.workers ?? availableParallelism());
  const chunks = runPool<ExploreJob, ExploreChunk>(new URL('./exploreJob.ts', import.meta.url), jobs, workers, onDone);
  progress.close();
  return sweepOutcome(chunks, sometimes);
}

function popCount(bits: number): number {
  let n = 0;
  for (let b = bits >>> 0; b !== 0; b &= b - 1) n++;
  return n;
}
