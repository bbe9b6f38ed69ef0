// Which deliberate bugs the explore benchmark calls ordering bugs, and how that was decided.
// Criterion: the bug fails in fault-free runs (no fault plan: only message order and timing vary),
// and its fault-free failure rate falls to under a tenth when no message can overtake another:
// the same schedules (seed, loss, duplicates) with one fixed latency on FIFO links and no PCT,
// tried at the link's minimum latency and at its maximum (so that a bug that only needs every
// message fast, or every message slow, does not pass for one that needs an order). Rates over the
// random strategy's fault-free drafts (sweep seed 1), with reordering / fixed min / fixed max:
//   2pc ignore-early-abort          39.5% / 0%    / 0%      (256 drafts)   an ordering bug
//   2pc forget-before-acks          73%   / 54%   / 53%     (123)   reordering adds some failures
//   2pc commit-on-timeout           14.3% / 12.7% / 10.6%   (237)
//   raft vote-without-log-check     1.75% / 1.13% / 2.88%   (800)
//   raft stale-read                 0.38% / 0.38% / 0.25%   (800)
//   raft truncate-on-append         67%   / 85%   / 76%     (594)
//   swim forget-tombstones          0.6%  / 0.8%  / 0.9%    (1000)
//   gcounter overwrite-merge        49.5% / 27.5% / 59%     (1000)  a peer's older view arrives
//                                   after a newer one at one fixed latency too (staleness, not order)
// Every other bug fails in no fault-free run, or every one of its fault-free failures (in 300
// drafts) still fails at a fixed latency on FIFO links. A single failing run is also checked one at
// a time (needsReordering, the benchmark's "reordering" column), but one run is a poor witness: a
// rare failure that hinges on exact timing vanishes under any change of latency, reordering or not.
// Reproduce a line: node --import tsx test/bench/exploreBenchOrdering.ts --bug 2pc:ignore-early-abort --runs 300
// Leaves out: finding the list anew on each benchmark run (the rates above took about an hour).
import { sameFailure, signatureOf, type FailureSignature } from '../../sim/explore/failure.ts';
import { probeRun, scheduleOfRun } from '../../sim/explore/probe.ts';
import { requestOf, resolveSchedule, runSchedule, withoutBug, type Schedule } from '../../sim/explore/schedule.ts';
import type { Strategy } from '../../sim/explore/strategies.ts';
import { sweepSetup } from '../../sim/explore/sweepSetup.ts';
import type { AnySpec } from '../../sim/protocolSpec.ts';
import { isMain } from './common.ts';
import { spec as gcounterSpec } from '../../examples/gcounter/spec.ts';
import { PROTOCOLS } from '../../protocols/registry.ts';

/** "protocol bug" names of the ordering bugs (the criterion above). */
export const ORDERING_BUGS: readonly string[] = ['2pc ignore-early-abort'];

/**
 * A unit-test-sized scenario per ordering bug, where each run has few chances to hit the bug (the
 * default workload runs about a thousand 2PC transactions, so a per-transaction chance of a
 * fraction of a percent still fails most runs whatever the strategy). 2PC: three clients, one
 * transaction each, participants refusing half the time so that aborts happen at all.
 */
export const SMALL_SCENARIOS: Readonly<Record<string, { clients: { count: number; ops: number }; config: Record<string, unknown> }>> = {
  '2pc ignore-early-abort': { clients: { count: 3, ops: 1 }, config: { refuse: 0.5 } },
};

/** How many of runs 0..`runs` - 1 of sweep seed `sweepSeed` of a bug's small scenario fail, fault-free. */
export function smallScenarioFailing(spec: AnySpec, name: string, strategy: Strategy, sweepSeed: number, runs: number): number {
  const bug = name.split(' ')[1] as string;
  const small = SMALL_SCENARIOS[name] as (typeof SMALL_SCENARIOS)[string];
  const setup = sweepSetup(spec, { bug, strategy, maxFaults: 0, clients: small.clients, config: small.config });
  let failing = 0;
  for (let id = 0; id < runs; id++) if (probeRun(spec, setup, sweepSeed, id).failure) failing++;
  return failing;
}

/**
 * The share of failing runs of a bug's small scenario, fault-free, over the first `runs` runs of
 * each of sweep seeds 1..`sweeps`: a steadier figure than the median run to the first failure.
 */
export function smallScenarioShare(spec: AnySpec, name: string, strategy: Strategy, sweeps: number, runs: number): number {
  let failing = 0;
  for (let seed = 1; seed <= sweeps; seed++) failing += smallScenarioFailing(spec, name, strategy, seed, runs);
  return failing / (sweeps * runs);
}

/** The schedule with every message taking the link's minimum (or maximum) latency on FIFO links and no PCT: nothing is reordered (loss and duplicates stay). */
export function withoutReordering(spec: AnySpec, schedule: Schedule, at: 'minUs' | 'maxUs'): Schedule {
  const net = schedule.options.network;
  const us = net.latency[at];
  const network = { ...net, latency: { dist: 'uniform' as const, minUs: us, maxUs: us }, ordering: 'fifo' as const };
  return resolveSchedule(spec, { ...requestOf(schedule.options), network }, schedule.plan, schedule.tape, null);
}

/** Whether the failure goes away when nothing is reordered, at the fastest and at the slowest fixed latency alike. */
export function needsReordering(spec: AnySpec, schedule: Schedule, failure: FailureSignature): boolean {
  return (['minUs', 'maxUs'] as const).every((at) => !sameFailure(runSchedule(spec, withoutReordering(spec, schedule, at)).verdict, failure));
}

/** A failure the correct protocol does not share (the bug's doing). */
function bugFails(spec: AnySpec, schedule: Schedule): boolean {
  const failure = signatureOf(runSchedule(spec, schedule).verdict);
  return failure !== undefined && !sameFailure(runSchedule(spec, withoutBug(schedule)).verdict, failure);
}

/** Failing runs among the first `runs` fault-free drafts of sweep 1: as drawn, and with nothing reordered at the min and at the max latency. */
export function faultFreeRates(spec: AnySpec, bug: string, runs: number): { runs: number; reordered: number; fixedMin: number; fixedMax: number } {
  const setup = sweepSetup(spec, { bug, strategy: 'random', maxFaults: 0 });
  const counts = { runs, reordered: 0, fixedMin: 0, fixedMax: 0 };
  for (let id = 0; id < runs; id++) {
    const schedule = scheduleOfRun(spec, setup, 1, id);
    if (bugFails(spec, schedule)) counts.reordered++;
    if (bugFails(spec, withoutReordering(spec, schedule, 'minUs'))) counts.fixedMin++;
    if (bugFails(spec, withoutReordering(spec, schedule, 'maxUs'))) counts.fixedMax++;
  }
  return counts;
}

if (isMain(import.meta.url)) {
  const at = (flag: string): string | undefined => (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1] : undefined);
  const [protocol, bug] = (at('--bug') ?? '2pc:ignore-early-abort').split(':') as [string, string];
  const spec = ({ ...PROTOCOLS, gcounter: gcounterSpec } as Record<string, AnySpec>)[protocol];
  if (!spec || !(bug in spec.bugs)) throw new Error(`--bug: expected protocol:bug, like 2pc:ignore-early-abort; got ${protocol}:${bug}`);
  const r = faultFreeRates(spec, bug, Number(at('--runs') ?? 300));
  const pc = (k: number) => `${((100 * k) / r.runs).toFixed(2)}%`;
  process.stdout.write(`${protocol} ${bug}: ${r.runs} fault-free drafts fail ${pc(r.reordered)} as drawn, ${pc(r.fixedMin)} at a fixed min latency, ${pc(r.fixedMax)} at a fixed max latency (FIFO links)\n`);
}
