// The outcome of an explore sweep and its report: which runs count (every run of the shard, or up
// to and including the lowest failing run, so the report does not depend on how far the workers
// had got past it), how many of them reached each sometimes-check, the counterexample and the
// replay command. Text for people (every line deterministic but the last, timing, line) or one
// JSON object (--json). Leaves out: the progress line (exploreProgress.ts).
import { describeVerdict } from '../verdict.ts';
import type { ProbeResult } from '../explore/probe.ts';
import { describeClients, describeSchedule } from '../explore/describeSchedule.ts';
import type { SweepSetup } from '../explore/strategies.ts';
import { DEFAULT_EXPLORE_RUNS } from '../explore/sweepSetup.ts';
import type { Shard } from '../explore/sweepRuns.ts';
import type { AnySpec } from '../protocolSpec.ts';
import { humanDuration } from '../duration.ts';
import type { ExploreChunk } from './exploreJob.ts';
import type { Counterexample } from './exploreRepro.ts';
import type { ExploreFlags } from './exploreCommand.ts';

export interface SweepOutcome {
  /** Runs that count (see above). */
  runs: number;
  failure: ProbeResult | undefined;
  /** Sometimes-check -> runs (of those that count) that reached it. */
  reached: Record<string, number>;
  /** Runs done in all, counted or not (timing: workers run ahead of a failure). */
  executed: number;
}

export function sweepOutcome(chunks: ExploreChunk[], sometimes: string[]): SweepOutcome {
  const failures = chunks.flatMap((c) => c.failures).sort((a, b) => a.id - b.id);
  const failure = failures[0];
  const all = chunks.flatMap((c) => c.runs);
  const counted = failure ? all.filter(([id]) => id <= failure.id) : all;
  const reached = Object.fromEntries(sometimes.map((name, i) => [name, counted.filter(([, bits]) => (bits >> i) & 1).length]));
  return { runs: counted.length, failure, reached, executed: all.length };
}

export interface SweepReport {
  spec: AnySpec;
  setup: SweepSetup;
  sweepSeed: number;
  shard: Shard;
  flags: ExploreFlags;
  outcome: SweepOutcome;
  found: Counterexample | undefined;
  sweepMs: number;
  shrinkMs: number;
}

export function printSweep(r: SweepReport): void {
  if (r.flags.json) process.stdout.write(`${JSON.stringify(jsonReport(r))}\n`);
  else process.stdout.write(`${textReport(r).join('\n')}\n`);
}

function heading(r: SweepReport): string {
  const { setup, shard, flags } = r;
  const bound = flags.time !== undefined ? `for ${humanDuration(flags.time)}` : `${flags.runs ?? DEFAULT_EXPLORE_RUNS} runs`;
  const sizes = setup.nodeCounts.length === 1 ? `${setup.nodeCounts[0]} nodes` : `${setup.nodeCounts[0]}-${setup.nodeCounts.at(-1)} nodes`;
  const pct = setup.strategy === 'pct' ? ` (depth ${setup.pct.depth}, n = ${setup.pct.steps.toLocaleString('en-US')} messages)` : '';
  const { count, ops } = setup.clients;
  const clients = count === undefined && ops === undefined ? '' : `, ${describeClients(count ?? r.spec.clientDefaults?.count ?? 0, ops)}`;
  return `explore ${r.spec.name}${setup.bug ? ` --bug ${setup.bug}` : ''}: strategy ${setup.strategy}${pct}, sweep seed ${r.sweepSeed}, ${bound}, shard ${shard.index}/${shard.count}, ${sizes}, fault phase ${humanDuration(setup.faultPhaseUs)}, up to ${setup.maxFaults} faults${clients}`;
}

function reachedLines(r: SweepReport): string[] {
  const entries = Object.entries(r.outcome.reached);
  if (entries.length === 0) return [];
  const never = entries.filter(([, n]) => n === 0).map(([name]) => name);
  return [
    `sometimes-checks reached: ${entries.map(([name, n]) => `${name} ${n}/${r.outcome.runs}`).join(', ')}`,
    ...(never.length > 0 ? [`never reached: ${never.join(', ')} (the sweep did not visit these states)`] : []),
  ];
}

function textReport(r: SweepReport): string[] {
  const { outcome, found } = r;
  const lines = [heading(r)];
  if (!outcome.failure || !found) {
    lines.push(`no failure in ${outcome.runs.toLocaleString('en-US')} run${outcome.runs === 1 ? '' : 's'}`, ...reachedLines(r));
    lines.push(`time: ${outcome.executed.toLocaleString('en-US')} runs in ${(r.sweepMs / 1000).toFixed(1)}s wall time (${rate(outcome.executed, r.sweepMs)} runs/s)`);
    return lines;
  }
  const { shrunk, repro } = found;
  lines.push(
    `FAILED at run ${outcome.failure.id} (${outcome.runs.toLocaleString('en-US')} run${outcome.runs === 1 ? '' : 's'} of this shard up to it): ${outcome.failure.verdict}`,
    ...reachedLines(r),
    `shrinking: ${shrunk.shrinkRuns} candidate runs by fast-check, then ${shrunk.minimizeRuns} runs for 1-minimality; faults ${shrunk.original.plan.faults.length} -> ${shrunk.schedule.plan.faults.length}, events ${shrunk.originalResult.metrics.events.toLocaleString('en-US')} -> ${repro.events.toLocaleString('en-US')}`,
    minimality(shrunk.schedule.plan.faults.length),
    ...describeSchedule(shrunk.schedule, r.spec),
    `  verdict: ${describeVerdict(repro.verdict)}`,
    `  ${repro.events.toLocaleString('en-US')} events, trace hash ${repro.traceHash}`,
    ...(found.correctPasses === null ? [] : [found.correctPasses
      ? `  the correct ${r.spec.name} passes this schedule: the failure is the bug's`
      : `  NOTE: the correct ${r.spec.name} fails this schedule the same way: the failure is not the bug's doing (a bug in the protocol or in its checker?)`]),
    `repro: ${found.path}`,
    `replay: ${found.replay}`,
    `time: failure found in ${(r.sweepMs / 1000).toFixed(1)}s wall time (${rate(outcome.executed, r.sweepMs)} runs/s), shrunk in ${(r.shrinkMs / 1000).toFixed(1)}s`,
  );
  return lines;
}

function minimality(faults: number): string {
  if (faults === 0) return 'counterexample (it needs no fault at all):';
  if (faults === 1) return 'counterexample (1-minimal: without its only fault this failure goes away):';
  return `counterexample (1-minimal: removing any one of its ${faults} faults makes this failure go away):`;
}

function rate(runs: number, ms: number): string {
  return ms > 0 ? ((runs * 1000) / ms).toFixed(1) : '0';
}

function jsonReport(r: SweepReport): unknown {
  const { outcome, found, setup } = r;
  return {
    explore: { protocol: r.spec.name, bug: setup.bug, strategy: setup.strategy, sweepSeed: r.sweepSeed, shard: `${r.shard.index}/${r.shard.count}`, runs: r.flags.runs ?? null, timeUs: r.flags.time ?? null, nodeCounts: setup.nodeCounts, faultPhaseUs: setup.faultPhaseUs, pct: setup.strategy === 'pct' ? setup.pct : null, clients: setup.clients },
    runs: outcome.runs,
    reached: outcome.reached,
    failure: outcome.failure ? { run: outcome.failure.id, verdict: outcome.failure.verdict, faults: outcome.failure.faults, events: outcome.failure.events } : null,
    counterexample: found ? { faults: found.shrunk.schedule.plan.faults.length, events: found.repro.events, verdict: found.repro.verdict, traceHash: found.repro.traceHash, shrinkRuns: found.shrunk.shrinkRuns, minimizeRuns: found.shrunk.minimizeRuns, correctPasses: found.correctPasses, repro: found.path, replay: found.replay } : null,
    timing: { executed: outcome.executed, sweepMs: Math.round(r.sweepMs), shrinkMs: Math.round(r.shrinkMs) },
  };
}
