// The repro file: everything needed to re-run one counterexample exactly (run options with the
// seed, the fault plan in its written form, the choice tape, the PCT settings), what it gave when
// it was written (verdict, trace hash, event count) and where it came from (protocol, bug,
// strategy, sweep seed, run id, faultlab version). `faultlab replay repro.json` reads it back.
// Validation names the first bad field. Leaves out: reading and writing files (sim/cli does that).
import { z } from 'zod';
import { formatFaultPlan, parseFaultPlan } from '../faultPlan.ts';
import type { AnySpec } from '../protocolSpec.ts';
import { parseConfig, validateRunOptions } from '../resolveRun.ts';
import { runOptionsSchema, type RunOptions } from '../runOptions.ts';
import { InputError, zodErrorLine } from '../schemaHelpers.ts';
import { Tracer, type TraceHeader } from '../tracer.ts';
import type { Verdict } from '../verdict.ts';
import type { RunResult } from '../engine.ts';
import { choiceTapeSchema, compactTape, type ChoiceTape } from './choiceTape.ts';
import type { PctSettings } from './pctScheduler.ts';
import { runSchedule, type Schedule } from './schedule.ts';

export const REPRO_VERSION = 1;

export interface ReproOrigin {
  strategy: string;
  sweepSeed: number;
  run: number;
  /** "i/n". */
  shard: string;
}

export interface Repro {
  faultlabRepro: number;
  faultlabVersion: string;
  protocol: string;
  bug: string | null;
  seed: number;
  origin: ReproOrigin | null;
  options: RunOptions;
  faultPlan: { faults: Record<string, unknown>[] };
  tape: ChoiceTape;
  pct: PctSettings | null;
  verdict: Verdict;
  traceHash: string;
  events: number;
}

const reproSchema = z.object({
  faultlabRepro: z.literal(REPRO_VERSION),
  faultlabVersion: z.string(),
  protocol: z.string().min(1),
  bug: z.string().nullable(),
  seed: z.number().int().nonnegative(),
  origin: z.object({ strategy: z.string(), sweepSeed: z.number().int(), run: z.number().int().nonnegative(), shard: z.string() }).strict().nullable(),
  options: runOptionsSchema,
  faultPlan: z.object({ faults: z.array(z.record(z.string(), z.unknown())) }).strict(),
  tape: choiceTapeSchema,
  pct: z.object({ depth: z.number().int().min(1), steps: z.number().int().min(1) }).strict().nullable(),
  verdict: z.object({ kind: z.enum(['pass', 'safety', 'liveness', 'crash', 'guard']) }).loose(),
  traceHash: z.string().regex(/^[0-9a-f]{16}$/, 'expected 16 hex digits'),
  events: z.number().int().nonnegative(),
}).strict();

/** The trace header of a schedule's run (what `--trace` writes and the viewer reads). */
export function traceHeaderOf(schedule: Schedule): TraceHeader {
  const { options } = schedule;
  return { faultlab: 1, seed: options.seed, protocol: options.protocol, options, faultPlan: formatFaultPlan(schedule.plan) };
}

/** Runs the schedule traced into nowhere: the result and its trace hash. */
export function hashedRun(spec: AnySpec, schedule: Schedule): RunResult & { traceHash: string } {
  const result = runSchedule(spec, schedule, new Tracer(undefined, traceHeaderOf(schedule)));
  return result as RunResult & { traceHash: string };
}

export function reproOf(spec: AnySpec, schedule: Schedule, version: string, origin: ReproOrigin | null): Repro {
  const result = hashedRun(spec, schedule);
  const verdict = result.verdict.kind === 'crash' && result.verdict.stack ? withoutStack(result.verdict) : result.verdict;
  return {
    faultlabRepro: REPRO_VERSION,
    faultlabVersion: version,
    protocol: schedule.options.protocol,
    bug: schedule.options.bug,
    seed: schedule.options.seed,
    origin,
    options: schedule.options,
    faultPlan: formatFaultPlan(schedule.plan),
    tape: compactTape(schedule.tape),
    pct: schedule.pct,
    verdict,
    traceHash: result.traceHash,
    events: result.metrics.events,
  };
}

function withoutStack(v: Extract<Verdict, { kind: 'crash' }>): Verdict {
  const { stack: _stack, ...rest } = v;
  return rest;
}

/** Validates a parsed repro file; errors name the file and the field. */
export function parseRepro(json: unknown, source: string): Repro {
  const parsed = reproSchema.safeParse(json);
  if (!parsed.success) throw new InputError(zodErrorLine(source, parsed.error));
  const repro = parsed.data as Repro;
  if (repro.options.protocol !== repro.protocol || repro.options.seed !== repro.seed || repro.options.bug !== repro.bug) {
    throw new InputError(`${source}: protocol, seed and bug disagree with options.protocol, options.seed and options.bug`);
  }
  return repro;
}

/** The schedule a repro describes, validated against the protocol's settings schema and the cluster. */
export function scheduleOfRepro(repro: Repro, spec: AnySpec, source: string): Schedule {
  if (repro.bug !== null && !(repro.bug in spec.bugs)) throw new InputError(`${source}: bug: "${repro.bug}" is not a bug of ${spec.name}`);
  const config = parseConfig(spec, repro.options.config);
  const options = validateRunOptions({ ...repro.options, config }, `${source}: options`);
  const plan = parseFaultPlan(repro.faultPlan, options.nodes, options.faultPhaseUs, `${source}: faultPlan`);
  return { options, plan, tape: repro.tape, pct: repro.pct };
}
