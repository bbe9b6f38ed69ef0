// One run of `faultlab compare`: a protocol on one (cluster size, seed) scenario, untraced, reduced
// to the figures the comparison needs. This module is what each worker thread loads (runJob), so a
// job and its result are plain data that cross threads by structured clone. Leaves out: wall
// time (results must not depend on the machine or the number of workers) and the client history.
import { PROTOCOLS } from '../../protocols/registry.ts';
import { runSimulation } from '../engine.ts';
import type { FaultPlan } from '../faultPlan.ts';
import type { ProtocolMetricValues } from '../protocolMetrics.ts';
import type { RunOptions } from '../runOptions.ts';
import { describeVerdict, type VerdictKind } from '../verdict.ts';

export interface CompareJob {
  options: RunOptions;
  plan: FaultPlan;
}

export interface CompareRun {
  protocol: string;
  nodes: number;
  seed: number;
  healUs: number;
  /** The permanent crashes of this scenario (the same for every protocol). */
  crashes: { node: number; atUs: number }[];
  verdict: VerdictKind;
  /** What failed, when the verdict is not pass. */
  failure?: string;
  messagesSent: number;
  virtualUs: number;
  /** The protocol's own figures, plus messagesPerMemberPerSecond derived from the per-period load. */
  metrics: ProtocolMetricValues;
}

export function runJob(job: CompareJob): CompareRun {
  const { options, plan } = job;
  const spec = PROTOCOLS[options.protocol];
  if (!spec) throw new Error(`compare: no protocol ${options.protocol} in this thread's registry`);
  const result = runSimulation(spec, options, plan);
  const run: CompareRun = {
    protocol: options.protocol,
    nodes: options.nodes,
    seed: options.seed,
    healUs: options.healUs,
    crashes: plan.faults.flatMap((f) => (f.type === 'crash' && typeof f.node === 'number' ? [{ node: f.node, atUs: f.at }] : [])),
    verdict: result.verdict.kind,
    messagesSent: result.metrics.messages.sent,
    virtualUs: result.metrics.virtualUs,
    metrics: withPerSecond(result.protocolMetrics),
  };
  if (result.verdict.kind !== 'pass') run.failure = describeVerdict(result.verdict);
  return run;
}

/** Per-member load per second of virtual time: comparable across protocols with different periods. */
function withPerSecond(metrics: ProtocolMetricValues): ProtocolMetricValues {
  const perPeriod = metrics.messagesPerMemberPerPeriod;
  const periodUs = metrics.periodUs;
  if ('messagesPerMemberPerSecond' in metrics || typeof perPeriod !== 'number' || typeof periodUs !== 'number' || periodUs <= 0) return metrics;
  return { ...metrics, messagesPerMemberPerSecond: (perPeriod * 1_000_000) / periodUs };
}
