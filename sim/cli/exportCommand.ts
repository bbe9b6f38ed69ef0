// `faultlab export <trace...> --format shiviz|perfetto|jepsen|porcupine [-o FILE] [--until D]`:
// reads and validates each trace (sim/traceReader.ts, hash included), converts it with the pure
// exporters of sim/export/ and writes the result to stdout, or to FILE through a temporary file
// renamed into place, so a failed export never leaves a partial file behind. Bad input of any kind
// (format name, unreadable or invalid trace, a history asked of a run without clients) is an
// InputError naming the field: main.ts prints it as one line and exits with 2.
// Leaves out: the conversions themselves (sim/export/).
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { exportTraces, type ExportFormat } from '../export/formats.ts';
import type { ExportInput } from '../export/exportInput.ts';
import { InputError } from '../schemaHelpers.ts';
import { readTrace } from '../traceReader.ts';

export interface ExportFlags {
  format: ExportFormat;
  out?: string;
  /** Microseconds (--until). */
  until?: number;
}

export function exportCommand(paths: readonly string[], flags: ExportFlags): number {
  const inputs: ExportInput[] = paths.map((path) => {
    const trace = readTrace(readInput(path, 'export', 'a faultlab trace (.jsonl) written by faultlab run'), path);
    return { header: trace.header, events: trace.events, source: path };
  });
  const file = exportTraces(flags.format, inputs, flags.until !== undefined ? { untilUs: flags.until } : {});
  if (flags.out === undefined) {
    process.stdout.write(file.text);
    return 0;
  }
  writeOutput(flags.out, file.text);
  process.stdout.write(`export: wrote ${file.summary} to ${flags.out}\n`);
  return 0;
}

/** A file's text, or an InputError naming the command, the file and what was expected. */
export function readInput(path: string, command: string, expected: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputError(`${command}: cannot read ${path}: ${why}; expected ${expected}`);
  }
}

/** Writes `text` to a temporary file beside `path`, then renames it into place. */
export function writeOutput(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such folder' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputError(`-o: cannot write ${path}: ${why}`);
  }
}
