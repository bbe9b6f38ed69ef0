// End-to-end benchmark: the heartbeat detector with its default config, no faults and the default
// network (only the virtual-time guard is raised for runs longer than its 1 h default), run by runSimulation exactly as the CLI runs it, with tracing off or on. Tracing on is a
// real Tracer writing every line to a file in os.tmpdir() through the CLI's FileSink (1 MiB chunks
// written by a worker thread, then renamed into place); the file is deleted afterwards. One case per process:
//   node --expose-gc --import tsx test/bench/heartbeatEndToEnd.ts <nodes> <virtualSeconds> <on|off>
// A short warm-up run of the same shape comes first, then a full GC, then the measured run. Peak
// heap is sampled through the run's root Rng (a pass-through wrapper: same draws, same run; the
// trace hash is printed so that can be checked), peak RSS is the process's getrusage maxrss.
import os from 'node:os';
import path from 'node:path';
import { runSimulation } from '../../sim/engine.ts';
import { setFreezing } from '../../sim/freezing.ts';
import { parseFaultPlan, type FaultPlan } from '../../sim/faultPlan.ts';
import { resolveRun } from '../../sim/resolveRun.ts';
import { SeedRng } from '../../sim/rng.ts';
import { DEFAULT_LIMITS, type RunOptions } from '../../sim/runOptions.ts';
import { Tracer } from '../../sim/tracer.ts';
import { heartbeatSpec } from '../../protocols/heartbeat/spec.ts';
import { collect, heapUsedNow, isMain, PeakHeap, report, rssPeakNow, type MemoryFigures, SamplingRng, benchHeader, timedRun } from './common.ts';

const SEED = 1;
/** Heap is sampled every this many random draws (about one draw per message in this workload). */
const SAMPLE_EVERY = 1 << 14;


export interface EndToEndResult extends MemoryFigures {
  nodes: number;
  virtualSeconds: number;
  tracing: boolean;
  wallSeconds: number;
  steps: number;
  events: number;
  virtualUs: number;
  verdict: string;
  traceHash: string | undefined;
  traceBytes: number;
  traceLines: number;
  heapSamples: number;
}

function setup(nodes: number, virtualSeconds: number): { options: RunOptions; plan: FaultPlan } {
  const faultPhaseUs = Math.round(virtualSeconds * 1_000_000);
  const plan = parseFaultPlan({ faults: [] }, nodes, faultPhaseUs);
  // The virtual-time guard (1 h by default) is raised when the run is meant to be longer.
  const limits = { maxVirtualUs: Math.max(DEFAULT_LIMITS.maxVirtualUs, 2 * faultPhaseUs) };
  return { options: resolveRun(heartbeatSpec, { seed: SEED, nodes, faultPhaseUs, limits }, plan), plan };
}


export function runCase(nodes: number, virtualSeconds: number, tracing: boolean): EndToEndResult {
  // Warm-up: same cluster, about 1/20 of the measured virtual time (at least one second), traced
  // into a discarding sink when the measured run is traced, so the same code gets optimised.
  {
    const warm = setup(nodes, Math.max(1, virtualSeconds / 20));
    const tracer = tracing ? new Tracer({ write() {} }, benchHeader(heartbeatSpec, warm.options, warm.plan)) : undefined;
    runSimulation(heartbeatSpec, warm.options, warm.plan, tracer ? { tracer } : {});
  }
  const { options, plan } = setup(nodes, virtualSeconds);
  const file = path.join(os.tmpdir(), `faultlab-bench-${process.pid}-${nodes}n.jsonl`);
  collect();
  const heap = new PeakHeap();
  const heapBefore = heapUsedNow();
  const rssBefore = process.memoryUsage().rss;
  heap.sample();
  const rng = new SamplingRng(SeedRng.fromSeed(options.seed), { draws: 0, heap, every: SAMPLE_EVERY });
  const { result, wallSeconds, traceBytes, traceLines } = timedRun(heartbeatSpec, options, plan, file, tracing, rng);
  heap.sample();
  return {
    nodes,
    virtualSeconds,
    tracing,
    wallSeconds,
    steps: result.metrics.steps,
    events: result.metrics.events,
    virtualUs: result.endUs,
    verdict: result.verdict.kind,
    traceHash: result.traceHash,
    traceBytes,
    traceLines,
    heapSamples: heap.samples,
    heapBefore,
    heapPeak: heap.peak,
    rssBefore,
    rssPeak: rssPeakNow(),
  };
}

if (isMain(import.meta.url)) {
  const [nodes, seconds, mode] = process.argv.slice(2);
  const n = Number(nodes);
  const s = Number(seconds);
  if (!(Number.isInteger(n) && n >= 1 && s > 0 && (mode === 'on' || mode === 'off'))) {
    console.error('usage: heartbeatEndToEnd.ts <nodes> <virtualSeconds> <on|off>');
    process.exit(2);
  }
  setFreezing(false); // as the CLI runs faultlab's own protocols (sim/freezing.ts)
  report(runCase(n, s, mode === 'on'));
}
