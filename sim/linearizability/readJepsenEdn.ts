// Reads a Jepsen history (history.edn: one operation map per line, or one vector of them) into a
// faultlab client history, so the checker and `faultlab import` can use it. Client operations
// (an integer :process) pair up per process: an :invoke, then that process's :ok, :fail or :info.
// :read / :write / :cas / :append with a [key value] tuple (jepsen.independent) are key-value
// operations (get / put / cas [key [from to]] / append); :read nil, :write v and :cas [from to] are
// single-register ones. :fail means the operation did not happen, except a cas with :error
// :cas-mismatch, which did not swap; :info or no completion is an unknown outcome. Times: :time
// (nanoseconds) to whole microseconds when every client operation has one, else the line number.
// Operations of other processes (:nemesis) are skipped. Leaves out: other workloads (:txn and
// the like), which the register and kv models cannot check; an InputError names the first one.
import type { HistoryEntry } from '../clients.ts';
import { InputError } from '../schemaHelpers.ts';
import { isKeyword, isMap, mapGet, readEdnForms, showEdn, type EdnMapValue, type EdnValue } from './ednReader.ts';
import type { FaultlabHistory } from './readFaultlabHistory.ts';

export interface JepsenHistory extends FaultlabHistory {
  timeUnit: 'us' | 'line';
}

/** The first form opens an EDN map (maybe inside a vector or a #jepsen... tag) that has no :key (Porcupine's kv files have one). */
export function looksLikeJepsenEdn(text: string): boolean {
  const m = /^(?:\s*;[^\n]*\n)*\s*(?:\[\s*)?(?:#[\w.-]+\s*)?(\{\s*:[^\n]*)/.exec(text);
  return m !== null && !/(^|[\s,{]):key\s/.test(m[1] as string);
}

interface RawOp { map: EdnMapValue; line: number; where: string }

export function readJepsenEdn(text: string, source: string): JepsenHistory {
  const ops = operations(text, source);
  const client = ops.filter((op) => typeof mapGet(op.map, 'process') === 'number');
  const timed = client.length > 0 && client.every((op) => typeof mapGet(op.map, 'time') === 'number');
  const lines = client.map((op) => op.line);
  const byLine = lines.every((l, i) => i === 0 || l > (lines[i - 1] as number));
  const timeOf = (op: RawOp, k: number): number => (timed ? Math.floor((mapGet(op.map, 'time') as number) / 1000) : byLine ? op.line : k + 1);
  const entries: HistoryEntry[] = [];
  const wheres: string[] = [];
  const open = new Map<number, { entry: HistoryEntry; f: string; value: EdnValue; where: string }>();
  client.forEach((op, k) => {
    const fail = (what: string): never => {
      throw new InputError(`${source}: ${op.where}: ${what}`);
    };
    const process = mapGet(op.map, 'process') as number;
    const type = keywordField(op.map, 'type', fail);
    const f = keywordField(op.map, 'f', fail);
    const value = mapGet(op.map, 'value') ?? null;
    const pending = open.get(process);
    if (type === 'invoke') {
      if (pending) fail(`process ${process} invokes :${f} while its :${pending.f} (${pending.where}) has not completed`);
      const entry: HistoryEntry = { client: process, req: entries.length + 1, node: nodeOf(op.map), op: faultlabOp(f, value, fail), invokeUs: timeOf(op, k), completeUs: null, outcome: 'pending' };
      entries.push(entry);
      wheres.push(op.where);
      open.set(process, { entry, f, value, where: op.where });
      return;
    }
    if (type !== 'ok' && type !== 'fail' && type !== 'info') return fail(`:type: expected :invoke, :ok, :fail or :info; got :${type}`);
    if (!pending) return fail(`process ${process} completes :${f} (:${type}) but has no operation in progress`);
    if (pending.f !== f) fail(`process ${process} completes :${f} but its operation in progress is :${pending.f} (${pending.where})`);
    open.delete(process);
    complete(pending.entry, type, f, value, op.map, timeOf(op, k), fail);
  });
  return { entries, where: (i) => wheres[i] ?? '?', timeUnit: timed ? 'us' : 'line' };
}

/** The operation maps, from one map per form or one vector of maps, each with where it is. */
function operations(text: string, source: string): RawOp[] {
  const forms = readEdnForms(text, source);
  const single = forms.length === 1 && Array.isArray(forms[0]?.value);
  const items = single
    ? (forms[0]?.value as EdnValue[]).map((value, k) => ({ value, line: forms[0]?.line ?? 1, where: `operation ${k} of the vector on line ${forms[0]?.line}` }))
    : forms.map((f) => ({ value: f.value, line: f.line, where: `line ${f.line}` }));
  return items.map(({ value, line, where }) => {
    const unwrapped = typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'tagged' ? value.value : value;
    if (!isMap(unwrapped)) throw new InputError(`${source}: ${where}: expected an operation map like {:type :invoke, :process 0, :f :read, :value nil}; got ${clip(showEdn(unwrapped))}`);
    if (mapGet(unwrapped, 'process') === undefined) throw new InputError(`${source}: ${where}: :process: missing (expected a process number, or :nemesis)`);
    return { map: unwrapped, line, where };
  });
}

function complete(entry: HistoryEntry, type: 'ok' | 'fail' | 'info', f: string, value: EdnValue, map: EdnMapValue, time: number, fail: (what: string) => never): void {
  if (time < entry.invokeUs) fail(`:time: the completion is before its invocation`);
  entry.completeUs = time;
  entry.outcome = type;
  const error = mapGet(map, 'error');
  const errorName = isKeyword(error) ? error.name : typeof error === 'string' ? error : undefined;
  if (type === 'ok') entry.result = f === 'read' ? { ok: true, value: readResult(entry.op as { key?: string }, value, fail) } : { ok: true };
  else if (type === 'fail') entry.result = { ok: false, error: errorName ?? 'fail' };
  else if (errorName !== undefined) entry.result = { error: errorName };
}

/** The value a read returned: a kv read's [key value] (nil reads as ""), a register read's value. */
function readResult(op: { key?: string }, value: EdnValue, fail: (what: string) => never): unknown {
  if (op.key === undefined) return registerValue(value, ':value', fail);
  const tuple = asTuple(value) ?? fail(`:value: a key-value read completes with [key value]; got ${clip(showEdn(value))}`);
  if (keyOf(tuple[0], fail) !== op.key) fail(`:value: the read of key ${JSON.stringify(op.key)} completes with key ${showEdn(tuple[0])}`);
  return tuple[1] === null ? '' : kvValue(tuple[1], fail);
}

/** A faultlab kv or register operation from Jepsen's :f and invocation :value. */
function faultlabOp(f: string, value: EdnValue, fail: (what: string) => never): unknown {
  const tuple = asTuple(value);
  const kv = tuple !== undefined && (f !== 'cas' || asTuple(tuple[1]) !== undefined) && (f !== 'read' || tuple[1] === null);
  if (kv) {
    const key = keyOf(tuple[0], fail);
    if (f === 'read') return { f: 'get', key };
    if (f === 'write' || f === 'append') return { f: f === 'write' ? 'put' : 'append', key, value: kvValue(tuple[1], fail) };
    if (f === 'cas') {
      const [from, to] = asTuple(tuple[1]) as [EdnValue, EdnValue];
      return { f: 'cas', key, from: kvValue(from, fail), to: kvValue(to, fail) };
    }
  } else {
    if (f === 'read') return value === null ? { f: 'read' } : fail(`:value: a read is invoked with nil (a register) or [key nil] (a key-value map); got ${clip(showEdn(value))}`);
    if (f === 'write') return { f: 'write', value: registerValue(value, ':value', fail) };
    if (f === 'cas' && tuple) return { f: 'cas', from: registerValue(tuple[0], ':value [from to]', fail), to: registerValue(tuple[1], ':value [from to]', fail) };
    if (f === 'cas' || f === 'append') fail(`:value: a ${f} is invoked with ${f === 'cas' ? '[from to] or [key [from to]]' : '[key value]'}; got ${clip(showEdn(value))}`);
  }
  return fail(`:f :${f}: the checker knows :read, :write, :cas (a register, or jepsen.independent [key value] tuples for a key-value map) and :append; other operations (like :txn) cannot be checked for linearizability here`);
}

function asTuple(value: EdnValue | undefined): [EdnValue, EdnValue] | undefined {
  return Array.isArray(value) && value.length === 2 ? [value[0] as EdnValue, value[1] as EdnValue] : undefined;
}

function keyOf(key: EdnValue, fail: (what: string) => never): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' && Number.isSafeInteger(key)) return String(key);
  if (isKeyword(key)) return key.name;
  return fail(`:value: a key must be a string, a whole number or a keyword; got ${clip(showEdn(key))}`);
}

function kvValue(value: EdnValue, fail: (what: string) => never): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return fail(`:value: a key-value map holds strings (or numbers, read as their digits); got ${clip(showEdn(value))}`);
}

function registerValue(value: EdnValue, what: string, fail: (what: string) => never): number | string | null {
  if (value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return value;
  return fail(`${what}: a register holds nil, a number or a string; got ${clip(showEdn(value))}`);
}

function keywordField(map: EdnMapValue, name: string, fail: (what: string) => never): string {
  const value = mapGet(map, name);
  if (isKeyword(value)) return value.name;
  if (name === 'f' && typeof value === 'string') return value;
  return fail(`:${name}: expected a keyword${name === 'type' ? ' (:invoke, :ok, :fail or :info)' : ' like :read'}; got ${clip(showEdn(value))}`);
}

function nodeOf(map: EdnMapValue): number {
  const node = mapGet(map, 'node');
  const m = typeof node === 'string' ? /^n(\d+)$/.exec(node) : null;
  return m ? Number(m[1]) : 0;
}

function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
