// `faultlab check-history <file>`: reads a history (Jepsen etcd log, Porcupine kv EDN, faultlab
// trace or run JSON; the format told from the content), checks it for linearizability against the
// register or kv model, and prints the verdict, the counts, the time taken and, when it is not
// linearizable, the longest linearizable prefix and the operations that cannot follow it.
// Exit code: 0 linearizable, 1 not, 4 no verdict within --max-steps; bad input throws InputError (2).
import { readFileSync } from 'node:fs';
import { checkLoadedHistory, FORMAT_NAMES, loadHistory } from '../linearizability/loadHistory.ts';
import type { ModelName } from '../linearizability/faultlabOperations.ts';
import { renderResult } from '../linearizability/renderResult.ts';
import { InputError } from '../schemaHelpers.ts';

export interface CheckHistoryFlags {
  model?: ModelName;
  maxSteps?: number;
  /** false with --no-partition. */
  partition: boolean;
  json?: boolean;
}

/** Not 3, which main.ts uses for internal errors. */
export const EXIT_UNKNOWN = 4;

export function checkHistoryCommand(path: string, flags: CheckHistoryFlags): number {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`check-history: cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message}; expected a history file`);
  }
  const started = performance.now();
  const history = loadHistory(text, path, flags.model);
  const loaded = performance.now();
  const result = checkLoadedHistory(history, { partition: flags.partition, ...(flags.maxSteps !== undefined ? { maxSteps: flags.maxSteps } : {}) });
  const checkedMs = performance.now() - loaded;
  const readMs = loaded - started;
  const exit = result.verdict === 'linearizable' ? 0 : result.verdict === 'not-linearizable' ? 1 : EXIT_UNKNOWN;
  if (flags.json) {
    const json = { file: path, format: history.format, ...result, readMs: round(readMs), checkMs: round(checkedMs) };
    process.stdout.write(`${JSON.stringify(json, (_key, value: unknown) => (value === Number.POSITIVE_INFINITY ? null : value))}\n`);
    return exit;
  }
  const unknown = result.unknownOutcome > 0 ? `, ${count(result.unknownOutcome)} of unknown outcome` : '';
  const dropped = result.dropped > 0 ? `; ${count(result.dropped)} read${result.dropped === 1 ? '' : 's'} of unknown outcome left out` : '';
  const lines = [
    `check-history ${path}: ${FORMAT_NAMES[history.format]}, ${result.model} model`,
    `  ${count(result.operations)} operations${unknown}${dropped}; ${count(result.partitions)} part${result.partitions === 1 ? '' : 's'} (${flags.partition ? (result.partitions > 1 ? 'split per key' : 'not split') : 'not split: --no-partition'})`,
    `  ${count(result.steps)} search steps, ${count(result.explored)} states explored; read in ${seconds(readMs)}, checked in ${seconds(checkedMs)}`,
    ...renderResult(result, { formatTime: history.timeUnit === 'line' ? (t) => `line ${t}` : (us) => `${(us / 1e6).toFixed(6)}s` }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return exit;
}

const count = (n: number) => n.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(3)}s`;
const round = (ms: number) => Math.round(ms * 1000) / 1000;
