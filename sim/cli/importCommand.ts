// `faultlab import <history.edn> [-o FILE] [--check] [--model M] [--max-steps N] [--no-partition]
// [--json]`: reads a Jepsen EDN history (sim/linearizability/readJepsenEdn.ts) and converts it to
// faultlab's history JSON ({"source", "format", "timeUnit", "history": [entries]}, the form
// `faultlab check-history` and RunResult.history use), written to FILE or stdout; with --check
// it then checks it for linearizability and prints check-history's report (exit 0 linearizable,
// 1 not, 4 no verdict within --max-steps). Without -o, --check prints only the report. The
// operations are checked against the model while converting, so a history the checker cannot
// read fails here, with the line, not later. Leaves out: other input formats (check-history
// reads Jepsen etcd logs, Porcupine kv EDN and faultlab traces directly).
import { detectHistoryFormat, loadHistory } from '../linearizability/loadHistory.ts';
import type { ModelName } from '../linearizability/faultlabOperations.ts';
import { readJepsenEdn } from '../linearizability/readJepsenEdn.ts';
import { InputError } from '../schemaHelpers.ts';
import { checkHistoryCommand } from './checkHistoryCommand.ts';
import { readInput, writeOutput } from './exportCommand.ts';

export interface ImportFlags {
  out?: string;
  check?: boolean;
  model?: ModelName;
  maxSteps?: number;
  /** false with --no-partition. */
  partition: boolean;
  json?: boolean;
}

export function importCommand(path: string, flags: ImportFlags): number {
  const text = readInput(path, 'import', 'a Jepsen EDN history (history.edn)');
  const format = detectHistoryFormat(text, path);
  if (format !== 'jepsen-edn') {
    throw new InputError(`import: ${path}: not a Jepsen EDN history (one operation map per line, like {:index 0, :type :invoke, :process 0, :f :read, :value nil}, or a vector of them); faultlab check-history reads this file's format directly`);
  }
  const history = readJepsenEdn(text, path);
  const loaded = loadHistory(text, path, flags.model); // checks every operation against the model
  if (flags.out !== undefined || !flags.check) {
    const json = historyJson(path, history.timeUnit, history.entries);
    if (flags.out === undefined) process.stdout.write(json);
    else {
      writeOutput(flags.out, json);
      if (!flags.check) process.stdout.write(`import: wrote ${history.entries.length.toLocaleString('en-US')} operations (${loaded.model} model) from ${path} to ${flags.out}\n`);
    }
  }
  if (!flags.check) return 0;
  return checkHistoryCommand(path, { partition: flags.partition, ...(flags.model ? { model: flags.model } : {}), ...(flags.maxSteps !== undefined ? { maxSteps: flags.maxSteps } : {}), ...(flags.json ? { json: true } : {}) });
}

/** One history entry per line, inside an object check-history reads as a run result. */
function historyJson(source: string, timeUnit: string, entries: readonly unknown[]): string {
  const head = JSON.stringify({ source, format: 'jepsen-edn', timeUnit });
  return `${head.slice(0, -1)},"history":[\n${entries.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`;
}
