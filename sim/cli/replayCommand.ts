// `faultlab replay <trace>`: validates the trace, re-runs it from its header and checks that every
// line and the trace hash match; on divergence names the first diverging line with both versions.
// A repro file written by `faultlab explore` is replayed by exploreReplay.ts instead (same verdict,
// same trace hash; --trace writes the trace). Exit code: 0 identical, 1 diverged; an unreadable or
// invalid file throws InputError (exit 2).
import { readFileSync } from 'node:fs';
import { PROTOCOLS } from '../../protocols/registry.ts';
import { replayTrace } from '../replay.ts';
import { InputError } from '../schemaHelpers.ts';
import { HASH_MISMATCH, readTrace, TraceError, type Trace } from '../traceReader.ts';
import { isRepro, replayReproCommand, type ReplayFlags } from './exploreReplay.ts';

export function replayCommand(path: string, flags: ReplayFlags = {}): number | Promise<number> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`replay: cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const repro = reproJson(text, path);
  if (repro !== undefined) return replayReproCommand(path, repro, flags);
  if (flags.trace || flags.spec) throw new InputError(`${flags.trace ? '--trace' : '--spec'}: only for a repro file written by faultlab explore; ${path} is not one`);
  const trace = readVerified(text, path);
  const started = performance.now();
  const outcome = replayTrace(trace, PROTOCOLS, path);
  const seconds = ((performance.now() - started) / 1000).toFixed(3);
  const { header } = trace;
  process.stdout.write(`replay ${path}: ${header.protocol}, seed ${header.seed}, ${header.options.nodes} nodes, ${trace.events.length.toLocaleString('en-US')} events (${seconds}s)\n`);
  if (outcome.matches) {
    process.stdout.write(`identical: every line matches; trace hash ${outcome.replayedHash}\n`);
    return 0;
  }
  const d = outcome.divergence;
  const lines = [`DIVERGED: recorded hash ${outcome.recordedHash}, replayed hash ${outcome.replayedHash}`];
  if (d) lines.push(`first diverging line: ${d.line} (event ${d.line - 1})`, `  recorded: ${clip(d.expected)}`, `  replayed: ${clip(d.actual)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 1;
}

/** The parsed document when the text is one JSON repro object (a trace is one JSON value per line). */
function reproJson(text: string, path: string): unknown {
  if (!text.trimStart().startsWith('{')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    if (path.endsWith('.json')) throw new InputError(`replay: ${path} is not valid JSON (${(error as Error).message}); expected a repro file written by faultlab explore`);
    return undefined;
  }
  return isRepro(json) ? json : undefined;
}

/** A trace whose hash does not match is rejected, but first replayed to name the edited line. */
function readVerified(text: string, path: string): Trace {
  try {
    return readTrace(text, path);
  } catch (error) {
    if (!(error instanceof TraceError) || error.reason !== HASH_MISMATCH) throw error;
    const outcome = replayTrace(readTrace(text, path, { verifyHash: false }), PROTOCOLS, path);
    const d = outcome.divergence;
    throw new InputError(d ? `${error.message}; line ${d.line} differs from a fresh replay of the run: ${clip(d.expected, 200)}` : error.message);
  }
}

function clip(line: string, max = 400): string {
  return line.length > max ? `${line.slice(0, max)}...` : line;
}
