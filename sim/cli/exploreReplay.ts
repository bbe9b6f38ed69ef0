// `faultlab replay repro.json [--trace out.jsonl] [--spec module]`: re-runs the counterexample a
// repro file describes and checks it is the same run: the same verdict and the same trace hash.
// With --trace it also writes the run's trace (atomically) for the viewer. A trace of a run driven
// by a choice tape or by PCT cannot be replayed from its own header (the header holds neither);
// the report says so. Exit code: 0 identical, 1 diverged; bad input throws InputError (exit 2).
import { PROTOCOLS, protocolNames } from '../../protocols/registry.ts';
import { tapeLength } from '../explore/choiceTape.ts';
import { describeSchedule } from '../explore/describeSchedule.ts';
import { parseRepro, scheduleOfRepro, traceHeaderOf, type Repro } from '../explore/repro.ts';
import { runSchedule, type Schedule } from '../explore/schedule.ts';
import type { RunResult } from '../engine.ts';
import type { AnySpec } from '../protocolSpec.ts';
import { InputError } from '../schemaHelpers.ts';
import { Tracer } from '../tracer.ts';
import { describeVerdict } from '../verdict.ts';
import { loadSpecModule } from './exploreSpecModule.ts';
import { FileSink } from './fileSink.ts';

export interface ReplayFlags {
  trace?: string;
  spec?: string;
}

/** Whether a parsed JSON document is a repro file (rather than, say, a one-line trace). */
export function isRepro(json: unknown): boolean {
  return typeof json === 'object' && json !== null && 'faultlabRepro' in json;
}

export function replayReproCommand(path: string, json: unknown, flags: ReplayFlags): number | Promise<number> {
  const repro = parseRepro(json, path);
  if (flags.spec) return loadSpecModule(flags.spec, '--spec').then((spec) => replayWith(spec, repro, path, flags));
  const spec = PROTOCOLS[repro.protocol];
  if (!spec) throw new InputError(`${path}: protocol "${repro.protocol}" is not known (expected one of ${protocolNames().join(', ')}); for your own protocol add --spec <module>`);
  return replayWith(spec, repro, path, flags);
}

function replayWith(spec: AnySpec, repro: Repro, path: string, flags: ReplayFlags): number {
  if (spec.name !== repro.protocol) throw new InputError(`--spec: the module's protocol is "${spec.name}", but ${path} is a run of "${repro.protocol}"`);
  const schedule = scheduleOfRepro(repro, spec, path);
  const started = performance.now();
  const { result, lines } = traced(spec, schedule, flags.trace);
  const seconds = ((performance.now() - started) / 1000).toFixed(3);
  const same = result.traceHash === repro.traceHash && describeVerdict(result.verdict) === describeVerdict(repro.verdict);
  const out = [
    `replay ${path}: ${repro.protocol}${repro.bug ? ` --bug ${repro.bug}` : ''}, written by faultlab ${repro.faultlabVersion}${repro.origin ? ` (strategy ${repro.origin.strategy}, sweep seed ${repro.origin.sweepSeed}, run ${repro.origin.run})` : ''}`,
    ...describeSchedule(schedule, spec),
    `verdict: ${describeVerdict(result.verdict)}`,
    same
      ? `identical: same verdict, trace hash ${result.traceHash as string} (${result.metrics.events.toLocaleString('en-US')} events, ${seconds}s)`
      : `DIVERGED: recorded ${describeVerdict(repro.verdict)} with trace hash ${repro.traceHash}; replayed trace hash ${result.traceHash as string}`,
  ];
  if (flags.trace) out.push(`trace: ${flags.trace} (${lines.toLocaleString('en-US')} lines)${replayable(schedule) ? '' : '; its header holds no choice tape or PCT settings, so replay this run with the repro file, not the trace'}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return same ? 0 : 1;
}

function replayable(schedule: Schedule): boolean {
  return tapeLength(schedule.tape) === 0 && schedule.pct === null;
}

function traced(spec: AnySpec, schedule: Schedule, out: string | undefined): { result: RunResult; lines: number } {
  const sink = out ? new FileSink(out) : undefined;
  try {
    const tracer = new Tracer(sink, traceHeaderOf(schedule));
    const result = runSchedule(spec, schedule, tracer);
    sink?.commit();
    return { result, lines: tracer.events + 2 };
  } catch (error) {
    sink?.abort();
    if (error instanceof InputError && error.message.startsWith('--out:')) throw new InputError(error.message.replace(/^--out:/, '--trace:'));
    throw error;
  }
}
