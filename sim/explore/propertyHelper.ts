// Property tests for any protocol spec, yours included, in a few lines of vitest:
//
//   import { checkProtocol } from '../sim/explore/propertyHelper.ts'; // from faultlab's root
//   it('survives generated fault schedules', () => checkProtocol(mySpec, { runs: 50, specModule: 'src/mySpec.ts' }));
//
// or, with @fast-check/vitest, one schedule per fast-check run:
//
//   test.prop([protocolSchedules(mySpec)])('survives faults', (schedule) => expectPasses(mySpec, schedule));
//
// checkProtocol runs a sweep (runs 0..runs-1 of the sweep seed, as `faultlab explore` does); on
// the first failing run it shrinks it to a 1-minimal counterexample, writes a repro file and throws
// an error that names the seed, the verdict, the counterexample, the replay command and the
// `faultlab explore` command that repeats the search. expectPasses throws the same kind of error
// for one schedule (fast-check then shrinks and prints its own seed and path). The protocol's
// invariants are its spec's checkers, so a replay from the command line judges the run the same.
// Leaves out: async protocols (runs are synchronous, as the engine is).
import type fc from 'fast-check';
import { formatDuration } from '../duration.ts';
import type { AnySpec } from '../protocolSpec.ts';
import { describeVerdict } from '../verdict.ts';
import { describeSchedule } from './describeSchedule.ts';
import { probeRun, arbitraryOf } from './probe.ts';
import { reproOf } from './repro.ts';
import { faultlabVersion, replayCommandFor, writeRepro } from './reproFile.ts';
import { runSchedule, type Schedule } from './schedule.ts';
import { shrinkRun } from './shrink.ts';
import { scheduleOf, type SweepSetup } from './strategies.ts';
import { sweepSetup, type SweepRequest } from './sweepSetup.ts';

export interface PropertyOptions extends SweepRequest {
  /** Runs in the sweep (default 100). */
  runs?: number;
  /** Sweep seed (default: FAULTLAB_SEED from the environment, else 1). */
  seed?: number;
  /** Where a failure's repro file goes (default runs/repro-<protocol>[-<bug>].json). */
  reproPath?: string;
  /** The module that exports the spec, for the replay command (protocols outside faultlab's registry). */
  specModule?: string;
  /** Most shrinking candidates (default 300). */
  maxShrinks?: number;
}

/** The error a failing property throws: its message is the whole report. */
export class ProtocolPropertyFailure extends Error {
  override name = 'ProtocolPropertyFailure';

  constructor(message: string, readonly reproPath: string, readonly replay: string) {
    super(message);
  }
}

function reproPathOf(spec: AnySpec, opts: PropertyOptions): string {
  return opts.reproPath ?? `runs/repro-${spec.name.replace(/[^\w.-]+/g, '_')}${opts.bug ? `-${opts.bug}` : ''}.json`;
}

function sweepSeedOf(opts: PropertyOptions): number {
  return opts.seed ?? (process.env.FAULTLAB_SEED ? Number(process.env.FAULTLAB_SEED) : 1);
}

/** Runs `runs` generated schedules; throws a ProtocolPropertyFailure at the first failing one. */
export function checkProtocol(spec: AnySpec, opts: PropertyOptions = {}): { runs: number; reached: Record<string, number> } {
  const setup = sweepSetup(spec, opts);
  const seed = sweepSeedOf(opts);
  const runs = opts.runs ?? 100;
  const reached: Record<string, number> = {};
  for (let id = 0; id < runs; id++) {
    const probe = probeRun(spec, setup, seed, id);
    for (const name of probe.reached) reached[name] = (reached[name] ?? 0) + 1;
    if (!probe.failure) continue;
    const shrunk = shrinkRun(spec, setup, seed, id, { maxShrinks: opts.maxShrinks });
    const header = [
      `${spec.name}${setup.bug ? ` --bug ${setup.bug}` : ''} failed at run ${id} of sweep seed ${seed} (strategy ${setup.strategy}): ${probe.verdict}`,
      `shrunk (${shrunk.shrinkRuns + shrunk.minimizeRuns} runs) to ${shrunk.schedule.plan.faults.length} fault(s), 1-minimal:`,
    ];
    throw failure(spec, shrunk.schedule, setup, opts, header, searchCommand(spec, opts, setup, seed, id + 1), seed, id);
  }
  return { runs, reached };
}

/** The `faultlab explore` command that runs the same sweep up to and including the failing run. */
function searchCommand(spec: AnySpec, opts: PropertyOptions, setup: SweepSetup, seed: number, runs: number): string {
  const flags = [`faultlab explore ${opts.specModule ?? spec.name}`];
  if (setup.bug) flags.push(`--bug ${setup.bug}`);
  flags.push(`--strategy ${setup.strategy}`, `--seed ${seed}`, `--runs ${runs}`);
  if (opts.nodes !== undefined) flags.push(`--nodes ${opts.nodes}`);
  if (opts.faultPhaseUs !== undefined) flags.push(`--duration ${formatDuration(opts.faultPhaseUs)}`);
  if (opts.maxFaults !== undefined) flags.push(`--max-faults ${opts.maxFaults}`);
  if (opts.depth !== undefined) flags.push(`--depth ${opts.depth}`);
  if (setup.clients.count !== undefined) flags.push(`--clients ${setup.clients.count}`);
  if (setup.clients.ops !== undefined) flags.push(`--client-ops ${setup.clients.ops}`);
  for (const [key, value] of Object.entries(opts.config ?? {})) flags.push(`--set ${key}=${String(value)}`);
  return flags.join(' ');
}

/** A fast-check arbitrary of the protocol's schedules (for @fast-check/vitest's test.prop). */
export function protocolSchedules(spec: AnySpec, opts: SweepRequest = {}): fc.Arbitrary<Schedule> {
  const setup = sweepSetup(spec, opts);
  return arbitraryOf(setup).map((draft) => scheduleOf(spec, setup, draft));
}

/** Runs one schedule; unless it passes, writes its repro and throws a ProtocolPropertyFailure. */
export function expectPasses(spec: AnySpec, schedule: Schedule, opts: PropertyOptions = {}): void {
  const result = runSchedule(spec, schedule);
  if (result.verdict.kind === 'pass') return;
  const setup = sweepSetup(spec, { ...opts, strategy: schedule.pct ? 'pct' : opts.strategy });
  throw failure(spec, schedule, setup, opts, [`${spec.name}${schedule.options.bug ? ` --bug ${schedule.options.bug}` : ''} failed (seed ${schedule.options.seed}): ${describeVerdict(result.verdict)}`], undefined, undefined, undefined);
}

function failure(spec: AnySpec, schedule: Schedule, setup: SweepSetup, opts: PropertyOptions, header: string[], search: string | undefined, seed: number | undefined, id: number | undefined): ProtocolPropertyFailure {
  const path = reproPathOf(spec, opts);
  const origin = seed !== undefined && id !== undefined ? { strategy: setup.strategy, sweepSeed: seed, run: id, shard: '1/1' } : null;
  const repro = reproOf(spec, schedule, faultlabVersion(), origin);
  writeRepro(path, repro, 'reproPath');
  const replay = replayCommandFor(path, opts.specModule ?? null);
  const lines = [
    ...header,
    ...describeSchedule(schedule, spec),
    `  verdict: ${describeVerdict(repro.verdict)} (${repro.events} events, trace hash ${repro.traceHash})`,
    `seed: ${schedule.options.seed}${seed !== undefined ? ` (sweep seed ${seed}, run ${id})` : ''}`,
    `repro: ${path}`,
    `replay: ${replay}`,
    ...(search ? [`search again: ${search}`] : []),
  ];
  return new ProtocolPropertyFailure(lines.join('\n'), path, replay);
}
