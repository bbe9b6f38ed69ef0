// A history file of any supported format, read into operations of the right model: the format is
// told from the content (Jepsen etcd log, Jepsen EDN history, Porcupine kv EDN, faultlab trace,
// faultlab run JSON), the model from the format (etcd: register; kv EDN: kv; Jepsen EDN and
// faultlab: from the operations) unless the caller names one. Errors are InputErrors naming the file and line or entry.
// Leaves out: reading the file (the caller passes its text) and timing the check.
import { InputError } from '../schemaHelpers.ts';
import { checkLinearizability, type CheckOptions, type LinearizabilityResult } from './checkLinearizability.ts';
import { inferFaultlabModel, kvOperations, registerOperations, type ModelName } from './faultlabOperations.ts';
import { kvModel, type KvInput, type KvOutput } from './kvModel.ts';
import type { Operation } from './operation.ts';
import { looksLikeEtcdLog, parseEtcdLog } from './parseEtcdLog.ts';
import { looksLikeKvEdn, parseKvEdn } from './parseKvEdn.ts';
import { looksLikeJepsenEdn, readJepsenEdn } from './readJepsenEdn.ts';
import { looksLikeFaultlabTrace, readFaultlabTrace, readRunJson } from './readFaultlabHistory.ts';
import { registerModel, type RegisterInput, type RegisterOutput } from './registerModel.ts';

export type HistoryFormat = 'etcd-log' | 'kv-edn' | 'jepsen-edn' | 'faultlab-trace' | 'faultlab-json';

export const FORMAT_NAMES: Record<HistoryFormat, string> = {
  'etcd-log': 'Jepsen etcd log',
  'kv-edn': 'Porcupine kv EDN',
  'jepsen-edn': 'Jepsen EDN history',
  'faultlab-trace': 'faultlab trace',
  'faultlab-json': 'faultlab run JSON',
};

const EXPECTED = 'expected a Jepsen etcd log, a Porcupine kv EDN history, a faultlab trace (.jsonl), the JSON of a faultlab run result or a Jepsen EDN history (history.edn)';

interface Loaded<M extends ModelName, I, O> {
  format: HistoryFormat;
  model: M;
  ops: Operation<I, O>[];
  /** What operation times count: line numbers (etcd, EDN) or virtual microseconds (faultlab). */
  timeUnit: 'line' | 'us';
}

export type LoadedHistory = Loaded<'register', RegisterInput, RegisterOutput> | Loaded<'kv', KvInput, KvOutput>;

export function detectHistoryFormat(text: string, source: string): HistoryFormat {
  if (text.trim() === '') throw new InputError(`${source}: the file is empty; ${EXPECTED}`);
  if (looksLikeFaultlabTrace(text)) return 'faultlab-trace';
  if (looksLikeJepsenEdn(text)) return 'jepsen-edn';
  if (looksLikeKvEdn(text)) return 'kv-edn';
  if (/^\s*[[{]/.test(text)) return 'faultlab-json';
  if (looksLikeEtcdLog(text)) return 'etcd-log';
  throw new InputError(`${source}: unrecognised history format; ${EXPECTED}`);
}

export function loadHistory(text: string, source: string, model?: ModelName): LoadedHistory {
  const format = detectHistoryFormat(text, source);
  if (format === 'etcd-log' || format === 'kv-edn') {
    const natural: ModelName = format === 'etcd-log' ? 'register' : 'kv';
    if (model !== undefined && model !== natural) throw new InputError(`--model: a ${FORMAT_NAMES[format]} holds ${natural} operations; expected --model ${natural} (or no --model)`);
    return format === 'etcd-log'
      ? { format, model: 'register', ops: parseEtcdLog(text, source), timeUnit: 'line' }
      : { format, model: 'kv', ops: parseKvEdn(text, source), timeUnit: 'line' };
  }
  const history = format === 'jepsen-edn' ? readJepsenEdn(text, source) : format === 'faultlab-trace' ? readFaultlabTrace(text, source) : readRunJson(text, source);
  const timeUnit: 'line' | 'us' = 'timeUnit' in history ? (history as { timeUnit: 'line' | 'us' }).timeUnit : 'us';
  const chosen = model ?? inferFaultlabModel(history.entries, source, history.where);
  return chosen === 'register'
    ? { format, model: 'register', ops: registerOperations(history.entries, source, history.where), timeUnit }
    : { format, model: 'kv', ops: kvOperations(history.entries, source, history.where), timeUnit };
}

export function checkLoadedHistory(history: LoadedHistory, options: CheckOptions = {}): LinearizabilityResult {
  return history.model === 'register' ? checkLinearizability(registerModel, history.ops, options) : checkLinearizability(kvModel, history.ops, options);
}
