// One chunk of an explore sweep, run on a worker thread (the module each worker of workerPool.ts
// loads): the runs of a shard from k = from to k = to - 1, each probed (generated from its run
// seed, run, judged) and reduced to a compact record. The chunk shares an Int32Array with the
// main thread and the other workers: a stop flag (time is up), the lowest failing run id so far
// (runs above it are skipped: the sweep reports its lowest failing run, the same whatever the
// workers' timing), and live counters for the progress line. A user's protocol module named by
// FAULTLAB_SPEC_MODULE is loaded once per worker. Leaves out: shrinking (the main thread does it).
import { PROTOCOLS } from '../../protocols/registry.ts';
import { probeRun, type ProbeResult } from '../explore/probe.ts';
import type { SweepSetup } from '../explore/strategies.ts';
import { shardRunId, type Shard } from '../explore/sweepRuns.ts';
import type { AnySpec } from '../protocolSpec.ts';
import { loadSpecModule } from './exploreSpecModule.ts';

export const C_STOP = 0;
export const C_MIN_FAIL = 1;
export const C_DONE = 2;
export const C_FAILS = 3;
export const C_REACHED = 4;
export const CONTROL_SLOTS = 5;
export const NO_FAILURE = 0x7fffffff;

export interface ExploreJob {
  /** A registered protocol name, or (with specModule) the user's spec name. */
  protocol: string;
  specModule: string | null;
  setup: SweepSetup;
  sweepSeed: number;
  shard: Shard;
  from: number;
  to: number;
  control: SharedArrayBuffer;
  /** Wall-clock deadline (Date.now() milliseconds) for --time, or null. */
  deadlineMs: number | null;
  /** Sometimes-check names in bit order (bit i: reached). */
  sometimes: string[];
}

/** One explored run: [run id, bits of the sometimes-checks it reached]; failures carry their probe. */
export interface ExploreChunk {
  runs: [number, number][];
  failures: ProbeResult[];
}

const userSpec: AnySpec | undefined = process.env.FAULTLAB_SPEC_MODULE ? await loadSpecModule(process.env.FAULTLAB_SPEC_MODULE) : undefined;
const setups = new Map<string, SweepSetup>();

function specOf(job: ExploreJob): AnySpec {
  const spec = job.specModule ? userSpec : PROTOCOLS[job.protocol];
  if (!spec) throw new Error(`explore: no protocol ${job.protocol} in this worker`);
  return spec;
}

/** The same setup object for every chunk of a sweep (probe.ts caches its arbitrary per object). */
function setupOf(job: ExploreJob): SweepSetup {
  const key = JSON.stringify(job.setup);
  let setup = setups.get(key);
  if (!setup) setups.set(key, (setup = job.setup));
  return setup;
}

export function runJob(job: ExploreJob): ExploreChunk {
  const spec = specOf(job);
  const setup = setupOf(job);
  const control = new Int32Array(job.control);
  const out: ExploreChunk = { runs: [], failures: [] };
  for (let k = job.from; k < job.to; k++) {
    const id = shardRunId(job.shard, k);
    if (Atomics.load(control, C_STOP) !== 0 || id > Atomics.load(control, C_MIN_FAIL)) continue;
    if (job.deadlineMs !== null && k > 0 && Date.now() >= job.deadlineMs) { // the shard's first run always runs
      Atomics.store(control, C_STOP, 1);
      continue;
    }
    const probe = probeRun(spec, setup, job.sweepSeed, id);
    let bits = 0;
    job.sometimes.forEach((name, i) => void (probe.reached.includes(name) && (bits |= 1 << i)));
    out.runs.push([id, bits]);
    Atomics.or(control, C_REACHED, bits);
    Atomics.add(control, C_DONE, 1);
    if (probe.failure) {
      out.failures.push(probe);
      Atomics.add(control, C_FAILS, 1);
      lowerMin(control, id);
    }
  }
  return out;
}

function lowerMin(control: Int32Array, id: number): void {
  for (let seen = Atomics.load(control, C_MIN_FAIL); id < seen; seen = Atomics.load(control, C_MIN_FAIL)) {
    if (Atomics.compareExchange(control, C_MIN_FAIL, seen, id) === seen) return;
  }
}
