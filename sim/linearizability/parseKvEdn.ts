// Reads Porcupine's key-value histories (kv/cNN-{ok,bad}.txt): one flat EDN map per line,
// `{:process 3, :type :invoke, :f :append, :key "k", :value "x 3 1 y"}`. An :invoke starts an
// operation of that process; its :ok ends it (a get's :ok carries the value read); :fail means it
// did not happen (dropped); :info, or no end at all, is an unknown outcome. Time is the line
// number. faultlab's own extension (Porcupine's files have none): `:f :cas, :key "k", :value
// ["from" "to"]`, whose :ok means it swapped and :fail that the value differed (as in etcd logs),
// so `faultlab export --format porcupine` can write Raft's cas operations.
// Leaves out: EDN beyond flat maps of keywords, strings, integers, nil and [from to] string pairs.
import { InputError } from '../schemaHelpers.ts';
import type { KvInput, KvOutput } from './kvModel.ts';
import { UNKNOWN, type Operation } from './operation.ts';

type Value = { t: 'kw'; v: string } | { t: 'str'; v: string } | { t: 'num'; v: number } | { t: 'nil' } | { t: 'pair'; v: [string, string] };

/** True when the first non-blank line opens an EDN map with a keyword. */
export function looksLikeKvEdn(text: string): boolean {
  return /^\s*\{\s*:/.test(text);
}

interface Open {
  op: { id: number; client: number; input: KvInput; output: KvOutput | typeof UNKNOWN; callUs: number; returnUs: number };
  line: number;
  dropped: boolean;
}

export function parseKvEdn(text: string, source = 'kv history'): Operation<KvInput, KvOutput>[] {
  const all: Open[] = [];
  const open = new Map<number, Open>();
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const fail: (what: string) => never = (what) => {
      throw new InputError(`${source}: line ${line}: ${what}`);
    };
    const map = parseMap(raw, fail);
    const process = field(map, 'process', 'num', fail) as number;
    const type = field(map, 'type', 'kw', fail) as string;
    const f = field(map, 'f', 'kw', fail) as string;
    const key = field(map, 'key', 'str', fail) as string;
    if (f !== 'get' && f !== 'put' && f !== 'append' && f !== 'cas') fail(`:f: expected :get, :put or :append; got :${f}`); // :cas is faultlab's extension
    const value = map.get('value');
    const pending = open.get(process);
    if (type === 'invoke') {
      if (pending) fail(`process ${process} invokes a ${f} while its ${pending.op.input.f} from line ${pending.line} has not ended`);
      const input = invokeInput(f, key, value, fail);
      const entry: Open = { op: { id: all.length + 1, client: process, input, output: UNKNOWN, callUs: line, returnUs: Infinity }, line, dropped: false };
      all.push(entry);
      open.set(process, entry);
      return;
    }
    if (type !== 'ok' && type !== 'fail' && type !== 'info') fail(`:type: expected :invoke, :ok, :fail or :info; got :${type}`);
    if (!pending) return fail(`process ${process} ends a ${f} (:${type}) but has no operation in progress`);
    if (pending.op.input.f !== f || pending.op.input.key !== key) fail(`process ${process} ends ${f} of ${JSON.stringify(key)} but its operation in progress is ${pending.op.input.f} of ${JSON.stringify(pending.op.input.key)} (line ${pending.line})`);
    open.delete(process);
    if (type === 'info') return;
    pending.op.returnUs = line;
    if (f === 'cas') pending.op.output = { ok: type === 'ok' };
    else if (type === 'fail') pending.dropped = true;
    else if (f === 'get') pending.op.output = { ok: true, value: value?.t === 'str' ? value.v : fail(':value: a get\'s :ok needs the string it read') };
    else pending.op.output = { ok: true };
  });
  return all.filter((e) => !e.dropped).map((e) => Object.freeze(e.op));
}

function invokeInput(f: KvInput['f'], key: string, value: Value | undefined, fail: (what: string) => never): KvInput {
  if (f === 'get') return { f, key };
  if (f === 'cas') return value?.t === 'pair' ? { f, key, from: value.v[0], to: value.v[1] } : fail(':value: a cas needs a pair of strings, ["from" "to"]');
  return value?.t === 'str' ? { f, key, value: value.v } : fail(`:value: a ${f} needs a string value`);
}

function field(map: Map<string, Value>, name: string, t: 'kw' | 'str' | 'num', fail: (what: string) => never): string | number {
  const value = map.get(name);
  const expected = t === 'kw' ? 'a keyword' : t === 'str' ? 'a string' : 'a whole number';
  if (!value) return fail(`missing :${name} (expected ${expected})`);
  if (value.t !== t) return fail(`:${name}: expected ${expected}`);
  return value.v;
}

/** A flat EDN map: { :key value, ... } with commas as whitespace. */
function parseMap(text: string, fail: (what: string) => never): Map<string, Value> {
  const map = new Map<string, Value>();
  let i = skip(text, 0);
  if (text[i] !== '{') fail('expected an EDN map starting with {');
  i = skip(text, i + 1);
  while (text[i] !== '}') {
    if (i >= text.length) fail('the map has no closing }');
    const key = /^:([^\s,{}"]+)/.exec(text.slice(i, i + 64)) ?? fail(`expected a keyword at column ${i + 1}`);
    i = skip(text, i + key[0].length);
    const [value, end] = parseValue(text, i, fail);
    map.set(key[1] as string, value);
    i = skip(text, end);
  }
  if (skip(text, i + 1) !== text.length) fail(`unexpected text after the map at column ${i + 2}`);
  return map;
}

function parseValue(text: string, i: number, fail: (what: string) => never): [Value, number] {
  if (text[i] === '"') return parseString(text, i, fail);
  if (text[i] === '[') return parsePair(text, i, fail);
  const token = /^[^\s,{}]+/.exec(text.slice(i, i + 64))?.[0] ?? fail(`expected a value at column ${i + 1}`);
  if (token === 'nil') return [{ t: 'nil' }, i + 3];
  if (/^-?\d+$/.test(token)) return [{ t: 'num', v: Number(token) }, i + token.length];
  if (/^:[^\s,{}"]+$/.test(token)) return [{ t: 'kw', v: token.slice(1) }, i + token.length];
  return fail(`expected a string, number, keyword or nil at column ${i + 1}; got ${token}`);
}

/** A vector of exactly two strings: ["from" "to"]. */
function parsePair(text: string, start: number, fail: (what: string) => never): [Value, number] {
  const strings: string[] = [];
  let i = skip(text, start + 1);
  while (text[i] === '"') {
    const [value, end] = parseString(text, i, fail);
    strings.push((value as { v: string }).v);
    i = skip(text, end);
  }
  if (text[i] !== ']' || strings.length !== 2) fail(`expected a pair of strings ["from" "to"] at column ${start + 1}`);
  return [{ t: 'pair', v: [strings[0] as string, strings[1] as string] }, i + 1];
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r' };

function parseString(text: string, start: number, fail: (what: string) => never): [Value, number] {
  const close = text.indexOf('"', start + 1);
  const escape = text.indexOf('\\', start + 1);
  if (close >= 0 && (escape < 0 || escape > close)) return [{ t: 'str', v: text.slice(start + 1, close) }, close + 1];
  let out = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') return [{ t: 'str', v: out }, i + 1];
    if (c === '\\') {
      const escaped = ESCAPES[text[i + 1] ?? ''] ?? fail(`unknown escape \\${text[i + 1] ?? ''} in a string at column ${i + 1}`);
      out += escaped;
      i++;
    } else out += c;
  }
  return fail(`a string opened at column ${start + 1} is not closed`);
}

/** Past whitespace and commas (EDN treats commas as whitespace). */
function skip(text: string, i: number): number {
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 44 && c !== 9 && c !== 13 && c !== 10) break;
  }
  return i;
}
