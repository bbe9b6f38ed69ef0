// The export formats by name, and one entry point that turns parsed traces into a file's text,
// a suggested file name and a MIME type: the CLI's `faultlab export` and the viewer's download
// buttons both call exportTraces. Only ShiViz takes several traces (one execution each); the
// other formats take one. Errors are InputErrors naming the format or the trace.
// Leaves out: reading and writing files.
import { InputError } from '../schemaHelpers.ts';
import type { ExportInput, ExportOptions } from './exportInput.ts';
import { exportJepsen } from './jepsen.ts';
import { exportPerfetto } from './perfetto.ts';
import { exportPorcupine } from './porcupine.ts';
import { exportShiviz } from './shiviz.ts';

export type ExportFormat = 'shiviz' | 'perfetto' | 'jepsen' | 'porcupine';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['shiviz', 'perfetto', 'jepsen', 'porcupine'];

/** Short descriptions (CLI help, viewer menus). */
export const FORMAT_DESCRIPTIONS: Record<ExportFormat, string> = {
  shiviz: 'ShiViz log with vector clocks; several traces side by side',
  perfetto: 'timeline JSON for Perfetto and chrome://tracing',
  jepsen: 'client history as Jepsen EDN',
  porcupine: 'client history in Porcupine\'s test formats',
};

export interface ExportedFile {
  text: string;
  /** e.g. raft-seed1.history.edn */
  fileName: string;
  mimeType: string;
  /** One line for the CLI: what the file holds. */
  summary: string;
}

export function isExportFormat(name: string): name is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(name);
}

export function exportTraces(format: ExportFormat, inputs: readonly ExportInput[], options: ExportOptions = {}): ExportedFile {
  if (!isExportFormat(format)) throw new InputError(`--format: expected one of ${EXPORT_FORMATS.join(', ')}; got ${JSON.stringify(format)}`);
  if (inputs.length === 0) throw new InputError(`--format ${format}: no trace given; expected a trace file`);
  if (format === 'shiviz') {
    const text = exportShiviz(inputs, options);
    const events = countLines(text) - 2 - inputs.length;
    return { text, fileName: `${baseName(inputs)}.shiviz.log`, mimeType: 'text/plain', summary: `ShiViz log: ${inputs.length} execution${inputs.length === 1 ? '' : 's'}, ${count(events)} events` };
  }
  if (inputs.length > 1) throw new InputError(`--format ${format}: takes one trace; got ${inputs.length} (only --format shiviz puts several runs in one file)`);
  const input = inputs[0] as ExportInput;
  if (format === 'perfetto') {
    const text = exportPerfetto(input, options);
    return { text, fileName: `${baseName(inputs)}.perfetto.json`, mimeType: 'application/json', summary: `Chrome Trace Event JSON: ${count(countLines(text) - 2)} trace events` };
  }
  if (format === 'jepsen') {
    const text = exportJepsen(input, options);
    return { text, fileName: `${baseName(inputs)}.history.edn`, mimeType: 'application/edn', summary: `Jepsen EDN history: ${count(countLines(text))} ops (invocations, completions, nemesis events)` };
  }
  const porcupine = exportPorcupine(input, options);
  const kv = porcupine.format === 'kv-edn';
  return {
    text: porcupine.text,
    fileName: `${baseName(inputs)}.porcupine-${kv ? 'kv.txt' : 'etcd.log'}`,
    mimeType: 'text/plain',
    summary: `Porcupine ${kv ? 'kv EDN' : 'etcd log'} (${porcupine.model} model): ${count(countLines(porcupine.text))} lines`,
  };
}

/** raft-seed1, or raft-seed1+2 for several traces. */
function baseName(inputs: readonly ExportInput[]): string {
  const first = inputs[0]?.header;
  const name = `${first?.protocol ?? 'run'}-seed${first?.seed ?? 0}`;
  return inputs.length > 1 ? `${name}+${inputs.length - 1}` : name;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

const count = (n: number) => n.toLocaleString('en-US');
