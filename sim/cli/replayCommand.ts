// `faultlab replay <trace>`: validates the trace, re-runs it from its header and checks that every
// line and the trace hash match; on divergence names the first diverging line with both versions.
// Exit code: 0 identical, 1 diverged; an unreadable or invalid trace throws InputError (exit 2).
import { readFileSync } from 'node:fs';
import { PROTOCOLS } from '../../protocols/registry.ts';
import { replayTrace } from '../replay.ts';
import { InputError } from '../schemaHelpers.ts';
import { HASH_MISMATCH, readTrace, TraceError, type Trace } from '../traceReader.ts';

export function replayCommand(path: string): number {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`replay: cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
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
