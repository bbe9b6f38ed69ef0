// Turns a faultlab client history (HistoryEntry[], from a run result or a trace) into operations
// for the kv or register model. kv ops: { f: 'get', key } | { f: 'put' | 'append', key, value } |
// { f: 'cas', key, from, to }; register ops: { f: 'read' } | { f: 'write', value } | { f: 'cas',
// from, to }. An ok get/read carries { value }; a cas that failed with error 'cas-mismatch' did not
// swap; any other fail definitely did not happen (dropped); info and pending are unknown outcomes
// (they may take effect any time after their call). Leaves out: other workloads' operations.
import type { HistoryEntry } from '../clients.ts';
import { InputError } from '../schemaHelpers.ts';
import type { KvInput, KvOutput } from './kvModel.ts';
import { UNKNOWN, type Operation } from './operation.ts';
import type { RegisterInput, RegisterOutput, RegisterValue } from './registerModel.ts';

export type ModelName = 'register' | 'kv';

/** Names an entry in errors, e.g. `history[3]` or `line 57`. */
export type Where = (index: number) => string;

const KV_FS = ['get', 'put', 'append', 'cas'];
const REGISTER_FS = ['read', 'write', 'cas'];

/** kv when every op has a key, register when none does and all are read/write/cas; kv for an empty history. */
export function inferFaultlabModel(entries: readonly HistoryEntry[], source: string, where: Where): ModelName {
  let kv = 0;
  let register = 0;
  entries.forEach((entry, i) => {
    const op = entry.op as { f?: unknown; key?: unknown } | null;
    const f = typeof op === 'object' && op !== null ? op.f : undefined;
    if (typeof f === 'string' && KV_FS.includes(f) && typeof op?.key === 'string') kv++;
    else if (typeof f === 'string' && REGISTER_FS.includes(f) && op?.key === undefined) register++;
    else throw new InputError(`${source}: ${where(i)}: op ${clip(JSON.stringify(entry.op))} is neither a kv operation (get/put/append/cas with a key) nor a register operation (read/write/cas); expected one of those`);
    if (kv > 0 && register > 0) throw new InputError(`${source}: ${where(i)}: the history mixes kv operations (with a key) and register operations (without); pass --model kv or --model register`);
  });
  return register > 0 ? 'register' : 'kv';
}

export function kvOperations(entries: readonly HistoryEntry[], source: string, where: Where): Operation<KvInput, KvOutput>[] {
  return convert(entries, source, where, kvInput, (input, result, bad) => (input.f === 'get' ? { ok: true, value: stringField(result, 'value', bad) } : { ok: true }));
}

export function registerOperations(entries: readonly HistoryEntry[], source: string, where: Where): Operation<RegisterInput, RegisterOutput>[] {
  return convert(entries, source, where, registerInput, (input, result, bad) => (input.f === 'read' ? { ok: true, value: registerField(result, 'value', 'result', bad) } : { ok: true }));
}

type Bad = (what: string) => never;

function convert<I extends { f: string }, O>(entries: readonly HistoryEntry[], source: string, where: Where, input: (op: unknown, bad: Bad) => I, okOutput: (input: I, result: unknown, bad: Bad) => O): Operation<I, O | { ok: false }>[] {
  const ops: Operation<I, O | { ok: false }>[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as HistoryEntry;
    const bad = badAt(source, where, i);
    const parsed = input(entry.op, bad);
    let output: O | { ok: false } | typeof UNKNOWN;
    let returnUs = entry.completeUs ?? Infinity;
    if (entry.outcome === 'info' || entry.outcome === 'pending' || entry.completeUs === null) {
      output = UNKNOWN;
      returnUs = Infinity;
    } else if (entry.outcome === 'fail') {
      const error = (entry.result as { error?: unknown } | null | undefined)?.error;
      if (parsed.f !== 'cas' || error !== 'cas-mismatch') continue; // definitely did not happen
      output = { ok: false };
    } else {
      output = okOutput(parsed, entry.result, bad);
    }
    ops.push({ id: entry.req, client: entry.client, input: parsed, callUs: entry.invokeUs, output, returnUs } as Operation<I, O | { ok: false }>);
  }
  return ops;
}

/** The error for entry i (a factory, so the hot loop defines no named closure per entry). */
function badAt(source: string, where: Where, i: number): Bad {
  return (what) => {
    throw new InputError(`${source}: ${where(i)}: ${what}`);
  };
}

function kvInput(op: unknown, bad: Bad): KvInput {
  const o = asObject(op, bad);
  const key = stringField(o, 'key', bad, 'op');
  switch (o.f) {
    case 'get':
      return { f: 'get', key };
    case 'put':
    case 'append':
      return { f: o.f, key, value: stringField(o, 'value', bad, 'op') };
    case 'cas':
      return { f: 'cas', key, from: stringField(o, 'from', bad, 'op'), to: stringField(o, 'to', bad, 'op') };
    default:
      return bad(`op.f: expected "get", "put", "append" or "cas" (kv model); got ${clip(JSON.stringify(o.f))}`);
  }
}

function registerInput(op: unknown, bad: Bad): RegisterInput {
  const o = asObject(op, bad);
  switch (o.f) {
    case 'read':
      return { f: 'read' };
    case 'write':
      return { f: 'write', value: registerField(o, 'value', 'op', bad) };
    case 'cas':
      return { f: 'cas', from: registerField(o, 'from', 'op', bad), to: registerField(o, 'to', 'op', bad) };
    default:
      return bad(`op.f: expected "read", "write" or "cas" (register model); got ${clip(JSON.stringify(o.f))}`);
  }
}

function asObject(op: unknown, bad: Bad): Record<string, unknown> {
  if (typeof op !== 'object' || op === null || Array.isArray(op)) return bad(`op: expected an object like { "f": "get", "key": "x" }; got ${clip(JSON.stringify(op))}`);
  return op as Record<string, unknown>;
}

function stringField(o: unknown, name: string, bad: Bad, what = 'result'): string {
  const value = typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : bad(`${what}.${name}: expected a string; got ${clip(JSON.stringify(value) ?? 'nothing')}`);
}

function registerField(o: unknown, name: string, what: string, bad: Bad): RegisterValue {
  const value = typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[name] : undefined;
  if (value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return value;
  return bad(`${what}.${name}: expected a string, a number or null; got ${clip(JSON.stringify(value) ?? 'nothing')}`);
}

function clip(text: string | undefined, max = 80): string {
  const t = text ?? 'undefined';
  return t.length > max ? `${t.slice(0, max)}...` : t;
}
