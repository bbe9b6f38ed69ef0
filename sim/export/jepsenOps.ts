// How a faultlab client operation reads as a Jepsen operation (its :f and :value), following the
// conventions Jepsen's checkers know: a key-value operation is a jepsen.independent tuple
// [key value] with Knossos's register names (get -> :read, put -> :write, cas -> :cas [key [from
// to]], append -> :append); a single register is :read nil / :write v / :cas [from to]; a
// multi-key write transaction is an Elle-style :txn [[:w k v] ...]; anything else keeps its own f
// and its fields as a map. Completions carry what came back: the value read, and :error on :fail.
// Leaves out: reading Jepsen operations back (sim/linearizability/readJepsenEdn.ts does that).
import type { HistoryEntry } from '../clients.ts';
import { isKeywordName, jsonToEdn, kw, type Edn } from './ednWriter.ts';

export interface JepsenShape {
  f: string;
  value: Edn;
}

type Op = Record<string, unknown>;

const KV_FS: Record<string, string> = { get: 'read', put: 'write', append: 'append', cas: 'cas' };
const REGISTER_FS = ['read', 'write', 'cas'];

export function isKvOp(op: unknown): op is Op {
  return isObject(op) && typeof op.f === 'string' && op.f in KV_FS && typeof op.key === 'string';
}

export function isRegisterOp(op: unknown): op is Op {
  return isObject(op) && typeof op.f === 'string' && REGISTER_FS.includes(op.f) && op.key === undefined;
}

function isTxn(op: unknown): op is { writes: { key: unknown; value: unknown }[] } {
  return isObject(op) && Array.isArray(op.writes) && (op.writes as unknown[]).every((w) => isObject(w) && 'key' in w && 'value' in w);
}

/** The :f and :value of the invocation. */
export function invokeShape(op: unknown): JepsenShape {
  if (isKvOp(op)) return { f: KV_FS[op.f as string] as string, value: [op.key as string, kvArgument(op)] };
  if (isRegisterOp(op)) return { f: op.f as string, value: op.f === 'read' ? null : op.f === 'write' ? jsonToEdn(op.value) : [jsonToEdn(op.from), jsonToEdn(op.to)] };
  if (isTxn(op)) return { f: 'txn', value: op.writes.map((w) => [kw('w'), jsonToEdn(w.key), jsonToEdn(w.value)]) };
  if (isObject(op) && typeof op.f === 'string' && isKeywordName(op.f)) {
    const { f, ...rest } = op;
    return { f: f as string, value: Object.keys(rest).length === 0 ? null : jsonToEdn(rest) };
  }
  return { f: 'op', value: jsonToEdn(op) };
}

function kvArgument(op: Op): Edn {
  if (op.f === 'get') return null;
  if (op.f === 'cas') return [jsonToEdn(op.from), jsonToEdn(op.to)];
  return jsonToEdn(op.value);
}

/** The :value of the completion: a read's :ok carries what it read; everything else repeats the invocation's. */
export function completeValue(entry: HistoryEntry): Edn {
  const shape = invokeShape(entry.op);
  if (entry.outcome !== 'ok' || shape.f !== 'read') return shape.value;
  const read = isObject(entry.result) ? jsonToEdn(entry.result.value) : null;
  return isKvOp(entry.op) ? [entry.op.key as string, read] : read;
}

/** Extra fields of a completion: :error on :fail, and for operations outside kv/register the whole :result. */
export function completeExtras(entry: HistoryEntry): [string, Edn][] {
  const out: [string, Edn][] = [];
  const error = isObject(entry.result) ? entry.result.error : undefined;
  if (entry.outcome === 'fail' && typeof error === 'string') out.push(['error', isKeywordName(error) ? kw(error) : error]);
  if (!isKvOp(entry.op) && !isRegisterOp(entry.op) && entry.result !== undefined) out.push(['result', jsonToEdn(entry.result)]);
  return out;
}

function isObject(value: unknown): value is Op {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
