// A run's client history in the formats of Porcupine's test vectors (shared/oracles/porcupine):
// a key-value history as kv EDN lines, written exactly as Porcupine's own parser expects them
// (`{:process 0, :type :invoke, :f :get, :key "k0", :value nil}`, then `:type :ok` with the value
// read), and a single-register history as a Jepsen etcd log (`INFO  jepsen.util - 0\t:invoke\t:read
// \tnil`). Both formats count time in lines, so lines follow time order with calls first within a
// microsecond (clientHistory.ts), which keeps faultlab's verdict. An operation that failed (did not
// happen) is left out; one of unknown outcome (info, or open at the end) is written as a call
// that never returns, and its process is not used again. A kv cas has no form in Porcupine's kv
// files: it is written as `:f :cas, :key "k", :value ["from" "to"]`, ended by :ok (swapped) or
// :fail (the value differed), which sim/linearizability/parseKvEdn.ts reads; Porcupine's own kv
// test parser skips such lines, so a history with cas needs a model that knows cas there.
// Leaves out: operations of other workloads (an InputError names the first one).
import type { HistoryEntry } from '../clients.ts';
import { inferFaultlabModel, type ModelName } from '../linearizability/faultlabOperations.ts';
import { InputError } from '../schemaHelpers.ts';
import { clientHistory, type HistoryStep } from './clientHistory.ts';
import { sourceOf, type ExportInput, type ExportOptions } from './exportInput.ts';

export interface PorcupineExport {
  text: string;
  model: ModelName;
  /** kv-edn for a key-value history (Porcupine's kv/cNN files), etcd-log for a register (jepsen/etcd_NNN.log). */
  format: 'kv-edn' | 'etcd-log';
}

export function exportPorcupine(input: ExportInput, options: ExportOptions = {}): PorcupineExport {
  const history = clientHistory(input, 'porcupine', options);
  const source = `--format porcupine: ${sourceOf(input)}`;
  const model = modelOf(history.entries, source, history.invokeLines);
  const lines: string[] = [];
  for (const step of history.steps) {
    if (dropped(step.entry)) continue;
    if (step.kind === 'complete' && (step.entry.outcome === 'info' || step.entry.outcome === 'pending')) continue;
    lines.push(model === 'kv' ? kvLine(step) : etcdLine(step, source));
  }
  return { text: lines.length > 0 ? `${lines.join('\n')}\n` : '', model, format: model === 'kv' ? 'kv-edn' : 'etcd-log' };
}

/** kv or register, or an InputError that points to --format jepsen for other workloads. */
function modelOf(entries: readonly HistoryEntry[], source: string, lines: readonly number[]): ModelName {
  try {
    return inferFaultlabModel(entries, source, (i) => `line ${lines[i] ?? '?'}`);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(`${error.message}; Porcupine's formats hold key-value or register histories only: export this one with --format jepsen`);
  }
}

/** A failed operation did not happen, except a cas that failed because the value differed. */
function dropped(entry: HistoryEntry): boolean {
  if (entry.outcome !== 'fail') return false;
  const op = entry.op as { f?: unknown };
  return !(op.f === 'cas' && (entry.result as { error?: unknown } | undefined)?.error === 'cas-mismatch');
}

type KvOp = { f: 'get' | 'put' | 'append' | 'cas'; key: string; value?: string; from?: string; to?: string };

function kvLine(step: HistoryStep): string {
  const op = step.entry.op as KvOp;
  const type = step.kind === 'invoke' ? 'invoke' : step.entry.outcome === 'ok' ? 'ok' : 'fail';
  let value: string;
  if (op.f === 'cas') value = `[${str(op.from ?? '')} ${str(op.to ?? '')}]`;
  else if (op.f === 'get') value = step.kind === 'invoke' ? 'nil' : str(String((step.entry.result as { value?: unknown }).value ?? ''));
  else value = str(op.value ?? '');
  return `{:process ${step.process}, :type :${type}, :f :${op.f}, :key ${str(op.key)}, :value ${value}}`;
}

function etcdLine(step: HistoryStep, source: string): string {
  const { entry } = step;
  const op = entry.op as { f: 'read' | 'write' | 'cas'; value?: unknown; from?: unknown; to?: unknown };
  const type = step.kind === 'invoke' ? 'invoke' : entry.outcome === 'ok' ? 'ok' : 'fail';
  const int = (v: unknown, what: string): string => {
    if (v === null && what === 'read') return 'nil';
    if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
    throw new InputError(`${source}: line ${step.line}: ${what} ${JSON.stringify(v)}: a Jepsen etcd log holds whole-number register values (and nil before the first write); export this history with --format jepsen instead`);
  };
  let arg: string;
  if (op.f === 'read') arg = step.kind === 'invoke' ? 'nil' : int((entry.result as { value?: unknown }).value ?? null, 'read');
  else if (op.f === 'write') arg = int(op.value, 'write');
  else arg = `[${int(op.from, 'cas from')} ${int(op.to, 'cas to')}]`;
  return `INFO  jepsen.util - ${step.process}\t:${type}\t:${op.f}\t${arg}`;
}

/** An EDN string literal (Porcupine's values never need escapes; ours are escaped all the same). */
function str(s: string): string {
  return `"${s.replace(/["\\]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')}"`;
}
