// Replays a run from its trace: rebuilds the options and fault plan from the header, runs the
// simulation again while comparing every line it would write against the recorded one, and
// reports the first diverging line (with both versions) or a matching trace hash.
// Leaves out: replay without protocol code (the viewer reconstructs states from patches instead).
import { runSimulation } from './engine.ts';
import { parseFaultPlan, type FaultPlan } from './faultPlan.ts';
import type { AnySpec } from './protocolSpec.ts';
import { parseConfig, validateRunOptions } from './resolveRun.ts';
import type { RunOptions } from './runOptions.ts';
import { TraceError, type Trace } from './traceReader.ts';
import { Tracer, type LineSink, type TraceHeader } from './tracer.ts';

export interface Divergence {
  line: number;
  expected: string;
  actual: string;
}

export interface ReplayOutcome {
  matches: boolean;
  lines: number;
  recordedHash: string;
  replayedHash: string;
  divergence: Divergence | undefined;
}

/** Options, plan and spec from a trace header; errors name line 1 of the trace. */
export function runFromHeader(header: TraceHeader, registry: Readonly<Record<string, AnySpec>>, source = 'trace'): { spec: AnySpec; options: RunOptions; plan: FaultPlan } {
  const spec = registry[header.protocol];
  if (!spec) throw new TraceError(1, `protocol "${header.protocol}" is not known (expected one of ${Object.keys(registry).join(', ')})`, source);
  if (header.options.protocol !== header.protocol || header.options.seed !== header.seed) {
    throw new TraceError(1, 'the header\'s protocol and seed disagree with its options', source);
  }
  try {
    const plan = parseFaultPlan(header.faultPlan, header.options.nodes, header.options.faultPhaseUs, 'header faultPlan');
    const config = parseConfig(spec, header.options.config);
    return { spec, options: validateRunOptions({ ...header.options, config }, 'header options'), plan };
  } catch (error) {
    throw new TraceError(1, (error as Error).message, source);
  }
}

class ComparingSink implements LineSink {
  written = 0;
  divergence: Divergence | undefined;

  constructor(private readonly expected: readonly string[]) {}

  write(line: string): void {
    const index = this.written++;
    if (this.divergence || index >= this.expected.length - 1) return; // the end record is compared by hash
    const want = this.expected[index] as string;
    if (want !== line) this.divergence = { line: index + 1, expected: want, actual: line };
  }
}

export function replayTrace(trace: Trace, registry: Readonly<Record<string, AnySpec>>, source = 'trace'): ReplayOutcome {
  const { spec, options, plan } = runFromHeader(trace.header, registry, source);
  const sink = new ComparingSink(trace.lines);
  const tracer = new Tracer(sink, trace.header);
  const result = runSimulation(spec, options, plan, { tracer });
  const replayedHash = result.traceHash as string;
  let divergence = sink.divergence;
  const recordedLines = trace.lines.length - 1;
  if (!divergence && sink.written - 1 !== recordedLines) {
    const line = Math.min(sink.written - 1, recordedLines) + 1;
    divergence = { line, expected: trace.lines[line - 1] ?? '(end of recorded trace)', actual: sink.written - 1 > recordedLines ? '(more events)' : '(replay ended here)' };
  }
  return { matches: !divergence && replayedHash === trace.footer.traceHash, lines: trace.lines.length, recordedHash: trace.footer.traceHash, replayedHash, divergence };
}
