// A key-value map of strings with get, put, append and compare-and-set. A missing key reads as ""
// (and a key set to "" is the same state as a missing one). Keys are independent, so a history
// splits into one part per key (P-compositionality), each checked with a one-key model whose
// state is just that key's value and a running hash of it (cheap to step, hash and compare).
// Leaves out: deletes, ranges, transactions.
import type { Model, Partition } from './model.ts';
import { isUnknown, type Operation, type Unknown } from './operation.ts';

/** Only keys with a non-empty value are present. Never mutated. */
export type KvState = Readonly<Record<string, string>>;

export type KvInput =
  | { readonly f: 'get'; readonly key: string }
  | { readonly f: 'put'; readonly key: string; readonly value: string }
  | { readonly f: 'append'; readonly key: string; readonly value: string }
  | { readonly f: 'cas'; readonly key: string; readonly from: string; readonly to: string };

/** get: { ok: true, value }; put, append: { ok: true }; cas: { ok: true } swapped, { ok: false } the value differed. */
export interface KvOutput {
  readonly ok: boolean;
  readonly value?: string;
}

type KvModel<S> = Model<S, KvInput, KvOutput>;

const EMPTY: KvState = Object.freeze({});

export const kvModel: KvModel<KvState> = {
  name: 'kv',
  init: () => EMPTY,
  step(state, input, output) {
    const now = valueAt(state, input.key);
    const after = stepValue(now, input, output);
    return after === undefined ? undefined : after === now ? state : withValue(state, input.key, after);
  },
  key: kvStateKey,
  partition: partitionByKey,
  readOnly: (input) => input.f === 'get',
  describe: describeKvOp,
  describeState(state) {
    const keys = Object.keys(state).sort();
    return keys.length === 0 ? '{} (every key "")' : `{${keys.map((k) => `${JSON.stringify(k)}: ${JSON.stringify(state[k])}`).join(', ')}}`;
  },
  explain: (state, input, output) => explainKv(valueAt(state, input.key), input, output),
};

/** One key's value, with a hash of it that appends extend without reading the whole value again. */
export interface KvValue {
  readonly value: string;
  readonly hash: number;
}

/** The model of one key's history: the state is that key's value. */
export function kvKeyModel(key: string): KvModel<KvValue> {
  const empty: KvValue = Object.freeze({ value: '', hash: FNV_OFFSET });
  return {
    name: 'kv',
    init: () => empty,
    step(state, input, output) {
      const after = stepValue(state.value, input, output);
      if (after === undefined || after === state.value) return after === undefined ? undefined : state;
      return { value: after, hash: input.f === 'append' ? fnv(state.hash, input.value) : fnv(FNV_OFFSET, after) };
    },
    key: (state) => state.value,
    hash: (state) => state.hash,
    equal: (a, b) => a.value === b.value,
    readOnly: (input) => input.f === 'get',
    describe: describeKvOp,
    describeState: (state) => `{${JSON.stringify(key)}: ${JSON.stringify(state.value)}}`,
    explain: (state, input, output) => explainKv(state.value, input, output),
    stateJson: (state) => (state.value === '' ? {} : { [key]: state.value }),
  };
}

const FNV_OFFSET = 0x811c9dc5 | 0;

/** FNV-1a over the UTF-16 code units of `text`, continuing from `hash`: fnv(fnv(h, a), b) = fnv(h, a + b). */
function fnv(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/** The key's value after the operation, given its value `now` before; undefined if impossible. */
function stepValue(now: string, input: KvInput, output: KvOutput | Unknown): string | undefined {
  switch (input.f) {
    case 'get':
      return isUnknown(output) || output.value === now ? now : undefined;
    case 'put':
      return input.value;
    case 'append':
      return now + input.value;
    case 'cas':
      if (isUnknown(output)) return now === input.from ? input.to : now;
      if (output.ok) return now === input.from ? input.to : undefined;
      return now !== input.from ? now : undefined;
  }
}

function explainKv(value: string, input: KvInput, output: KvOutput | Unknown): string {
  const now = JSON.stringify(value);
  const key = JSON.stringify(input.key);
  if (isUnknown(output)) return `${describeKvOp(input, output)} is impossible when ${key} is ${now}`;
  if (input.f === 'get') return `get of ${key} returned ${JSON.stringify(output.value ?? '')} but the value could only be ${now}`;
  if (input.f === 'cas' && output.ok) return `cas of ${key} from ${JSON.stringify(input.from)} succeeded but the value was ${now}`;
  if (input.f === 'cas') return `cas of ${key} from ${JSON.stringify(input.from)} failed but the value was ${now}, so it would have swapped`;
  return `${describeKvOp(input, output)} is impossible when ${key} is ${now}`;
}

export function describeKvOp(input: KvInput, output: KvOutput | Unknown): string {
  const unknown = isUnknown(output);
  const key = JSON.stringify(input.key);
  switch (input.f) {
    case 'get':
      return unknown ? `get(${key}) (outcome unknown)` : `get(${key}) -> ${JSON.stringify(output.value ?? '')}`;
    case 'put':
    case 'append':
      return `${input.f}(${key}, ${JSON.stringify(input.value)})${unknown ? ' (outcome unknown)' : ''}`;
    case 'cas':
      return `cas(${key}, ${JSON.stringify(input.from)} -> ${JSON.stringify(input.to)}) ${unknown ? '(outcome unknown)' : output.ok ? 'ok' : 'failed'}`;
  }
}

function valueAt(state: KvState, key: string): string {
  return Object.hasOwn(state, key) ? (state[key] as string) : '';
}

function withValue(state: KvState, key: string, value: string): KvState {
  const next: Record<string, string> = { ...state };
  if (value === '') delete next[key];
  else next[key] = value;
  return next;
}

/** The same for equal maps whatever the order their keys were added in. */
function kvStateKey(state: KvState): string {
  const keys = Object.keys(state);
  if (keys.length <= 1) return keys.length === 0 ? '' : JSON.stringify([keys[0], state[keys[0] as string]]);
  keys.sort();
  const flat: string[] = [];
  for (const k of keys) flat.push(k, state[k] as string);
  return JSON.stringify(flat);
}

/** One part per key, in the order keys first appear, each with the one-key model; each part keeps the history's order. */
function partitionByKey(ops: readonly Operation<KvInput, KvOutput>[]): Partition<KvInput, KvOutput>[] {
  const byKey = new Map<string, Operation<KvInput, KvOutput>[]>();
  for (const op of ops) {
    const list = byKey.get(op.input.key);
    if (list) list.push(op);
    else byKey.set(op.input.key, [op]);
  }
  return [...byKey].map(([key, list]) => ({ label: `key ${JSON.stringify(key)}`, ops: list, model: kvKeyModel(key) }));
}
