// Runs a simulation in the worker with the same sim/ code as the CLI and collects its trace as
// bytes: from a run description (runSpec.ts), or from a loaded trace's header with one more fault
// (a fork). The tracer hashes exactly what the CLI would write, so hashes match.
// Leaves out: --swarm draws.
import { PROTOCOLS } from '../../protocols/registry.ts';
import { runSimulation } from '../../sim/engine.ts';
import { formatFaultPlan, parseFaultPlan, type FaultPlan } from '../../sim/faultPlan.ts';
import type { AnySpec } from '../../sim/protocolSpec.ts';
import { runFromHeader } from '../../sim/replay.ts';
import type { RunOptions } from '../../sim/runOptions.ts';
import { Tracer, type ByteSink, type TraceHeader } from '../../sim/tracer.ts';
import { resolveRunSpec, type RunSpec } from '../run/runSpec.ts';

class GrowingSink implements ByteSink {
  buffer = new Uint8Array(1 << 20);
  used = 0;
  writeBytes(chunk: Uint8Array): void {
    if (this.used + chunk.length > this.buffer.length) {
      const bigger = new Uint8Array(Math.max(this.buffer.length * 2, this.used + chunk.length));
      bigger.set(this.buffer.subarray(0, this.used));
      this.buffer = bigger;
    }
    this.buffer.set(chunk, this.used);
    this.used += chunk.length;
  }
}

export interface Simulated {
  bytes: Uint8Array;
  hash: string;
  ms: number;
}

export function simulateSpec(run: RunSpec): Simulated {
  const { spec, options, plan } = resolveRunSpec(run, PROTOCOLS);
  return simulate(spec, options, plan);
}

/** The run of a trace header with another fault plan (a fork). */
export function simulateFork(header: TraceHeader, written: { faults: Record<string, unknown>[] }): Simulated & { plan: { faults: Record<string, unknown>[] } } {
  const { spec, options } = runFromHeader(header, PROTOCOLS, 'fork');
  const plan = parseFaultPlan(written, options.nodes, options.faultPhaseUs, 'fork');
  return { ...simulate(spec, options, plan), plan: formatFaultPlan(plan) };
}

function simulate(spec: AnySpec, options: RunOptions, plan: FaultPlan): Simulated {
  const sink = new GrowingSink();
  const tracer = new Tracer(sink, { faultlab: 1, seed: options.seed, protocol: options.protocol, options, faultPlan: formatFaultPlan(plan) });
  const started = performance.now();
  const result = runSimulation(spec, options, plan, { tracer });
  return { bytes: sink.buffer.subarray(0, sink.used), hash: result.traceHash as string, ms: performance.now() - started };
}
