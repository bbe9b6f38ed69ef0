// End-to-end benchmark: SWIM with its default config on 128 members, in a steady-state scenario
// with detection work: 1% message loss on every link, n64 crashed at 1/6 and n100 at 1/3 of the
// fault phase (both stay down), seed 1. The run is cut at the end of the fault phase by the
// virtual-time guard (limits.maxVirtualUs = fault phase), so exactly `virtualSeconds` of virtual
// time are simulated: SWIM's heal phase for 128 members is about 264 s (its completeness bound
// grows with n), far beyond the budget. The verdict is therefore a time-limit guard, by design.
// The same scenario runs heartbeat (default config) for the side-by-side per-member load figure.
// Run by runSimulation exactly as the CLI runs it, with tracing off or on; tracing on is a real
// Tracer writing every line to a file in os.tmpdir() through the CLI's FileSink (1 MiB chunks
// written by a worker thread, then renamed into place); the file is deleted afterwards.
// One case per process:
//   node --expose-gc --import tsx test/bench/swimEndToEnd.ts <swim|heartbeat> <nodes> <virtualSeconds> <on|off>
// As in heartbeatEndToEnd.ts: a short warm-up run of the same shape comes first, then a full GC,
// then the measured run. Peak heap is sampled through the run's root Rng (a pass-through wrapper:
// same draws, same run; sampling more often than the heartbeat bench, since SWIM draws far fewer
// numbers per second of virtual time), peak RSS is the process's getrusage maxrss.
// Steady state: a whole run includes the join of all members, which is the costliest part of a
// short SWIM run. So after the measured run (and its figures) the process runs its first sixth
// again, up to the first crash (same options and plan; the guard stops it there, and since the
// guard's event is queued before anything else at that time, it is an exact prefix), traced the
// same way, and reports it: steps and wall time after the join are the differences. The prefix
// runs warmer than the measured run's start did, so this errs towards a lower steady-state rate.
import os from 'node:os';
import path from 'node:path';
import { runSimulation } from '../../sim/engine.ts';
import { setFreezing } from '../../sim/freezing.ts';
import { parseFaultPlan, type FaultPlan } from '../../sim/faultPlan.ts';
import type { AnySpec } from '../../sim/protocolSpec.ts';
import type { ProtocolMetricValues } from '../../sim/protocolMetrics.ts';
import { resolveRun } from '../../sim/resolveRun.ts';
import { SeedRng } from '../../sim/rng.ts';
import type { RunOptions } from '../../sim/runOptions.ts';
import { Tracer } from '../../sim/tracer.ts';
import { heartbeatSpec } from '../../protocols/heartbeat/spec.ts';
import { swimSpec } from '../../protocols/swim/spec.ts';
import { collect, heapUsedNow, isMain, PeakHeap, report, rssPeakNow, SamplingRng, benchHeader, timedRun } from './common.ts';
import type { EndToEndResult } from './heartbeatEndToEnd.ts';

export const SWIM_NODES = 128;
export const SEED = 1;
export const LOSS = 0.01;
/** The crashed members and when, as a fraction of the fault phase. */
export const CRASHES: readonly { node: number; at: number }[] = [
  { node: 64, at: 1 / 6 },
  { node: 100, at: 1 / 3 },
];
/** Heap is sampled every this many random draws (a few per message in this workload). */
const SAMPLE_EVERY = 1 << 10;
const SPECS: Record<string, AnySpec> = { swim: swimSpec, heartbeat: heartbeatSpec };


export interface SwimEndToEndResult extends EndToEndResult {
  protocol: string;
  /** Messages the protocol sent (before loss). */
  sent: number;
  protocolMetrics: ProtocolMetricValues;
  /** The same run stopped at PREFIX of its virtual time (the join), run after the measured one. */
  prefixVirtualUs: number;
  prefixSteps: number;
  prefixWallSeconds: number;
}

/** The steady-state figures are taken after this fraction of the run: the first crash. */
export const PREFIX = (CRASHES[0] as { at: number }).at;

function setup(spec: AnySpec, nodes: number, virtualSeconds: number, stopAtUs?: number): { options: RunOptions; plan: FaultPlan } {
  const faultPhaseUs = Math.round(virtualSeconds * 1_000_000);
  const faults = CRASHES.map((c) => ({ type: 'crash', node: c.node, at: Math.round(c.at * faultPhaseUs) }));
  const plan = parseFaultPlan({ faults }, nodes, faultPhaseUs);
  // The virtual-time guard stops the run where the fault phase ends: the heal phase never starts.
  const limits = { maxVirtualUs: stopAtUs ?? faultPhaseUs };
  return { options: resolveRun(spec, { seed: SEED, nodes, faultPhaseUs, network: { loss: LOSS }, limits }, plan), plan };
}

/** One traced-or-not run into a temp file (deleted), timed from sink creation to the final flush. */


export function runCase(protocol: string, nodes: number, virtualSeconds: number, tracing: boolean): SwimEndToEndResult {
  const spec = SPECS[protocol] as AnySpec;
  // Warm-up: same cluster and scenario, about 1/20 of the measured virtual time (at least one
  // second, which covers most of SWIM's join), traced into a discarding byte sink when the measured
  // run is traced, so the same code (the byte path the FileSink takes) gets optimised.
  {
    const warm = setup(spec, nodes, Math.max(1, virtualSeconds / 20));
    const tracer = tracing ? new Tracer({ writeBytes() {} }, benchHeader(spec, warm.options, warm.plan)) : undefined;
    runSimulation(spec, warm.options, warm.plan, tracer ? { tracer } : {});
  }
  const { options, plan } = setup(spec, nodes, virtualSeconds);
  const file = path.join(os.tmpdir(), `faultlab-bench-${process.pid}-${protocol}-${nodes}n.jsonl`);
  collect();
  const heap = new PeakHeap();
  const heapBefore = heapUsedNow();
  const rssBefore = process.memoryUsage().rss;
  heap.sample();
  const rng = new SamplingRng(SeedRng.fromSeed(options.seed), { draws: 0, heap, every: SAMPLE_EVERY });
  const { result, wallSeconds, traceBytes, traceLines } = timedRun(spec, options, plan, file, tracing, rng);
  heap.sample();
  const rssPeak = rssPeakNow();
  // The prefix, for the steady-state figures (see the header); after the measured run's figures.
  const prefixUs = Math.round(PREFIX * options.faultPhaseUs);
  const before = setup(spec, nodes, virtualSeconds, prefixUs);
  collect();
  // Through a sampling Rng too (its figures unused), so both runs pay the same per-draw cost.
  const prefix = timedRun(spec, before.options, before.plan, file, tracing, new SamplingRng(SeedRng.fromSeed(options.seed), { draws: 0, heap: new PeakHeap(), every: SAMPLE_EVERY }));
  if (prefix.result.endUs !== prefixUs) throw new Error(`the prefix run ended at ${prefix.result.endUs} us, not ${prefixUs} us`);
  const verdict = result.verdict;
  return {
    protocol,
    nodes,
    virtualSeconds,
    tracing,
    wallSeconds,
    steps: result.metrics.steps,
    events: result.metrics.events,
    virtualUs: result.endUs,
    sent: result.metrics.messages.sent,
    verdict: verdict.kind === 'guard' ? `guard (${verdict.reason})` : verdict.kind,
    traceHash: result.traceHash,
    traceBytes,
    traceLines,
    protocolMetrics: result.protocolMetrics,
    heapSamples: heap.samples,
    heapBefore,
    heapPeak: heap.peak,
    rssBefore,
    rssPeak,
    prefixVirtualUs: prefix.result.endUs,
    prefixSteps: prefix.result.metrics.steps,
    prefixWallSeconds: prefix.wallSeconds,
  };
}

if (isMain(import.meta.url)) {
  const [protocol, nodes, seconds, mode] = process.argv.slice(2);
  const n = Number(nodes);
  const s = Number(seconds);
  if (!(protocol !== undefined && protocol in SPECS && Number.isInteger(n) && n >= 1 && s > 0 && (mode === 'on' || mode === 'off'))) {
    console.error('usage: swimEndToEnd.ts <swim|heartbeat> <nodes> <virtualSeconds> <on|off>');
    process.exit(2);
  }
  setFreezing(false); // as the CLI runs faultlab's own protocols (sim/freezing.ts)
  report(runCase(protocol as string, n, s, mode === 'on'));
}
