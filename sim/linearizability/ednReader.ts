// Reads EDN (Clojure's data syntax, in which Jepsen writes histories) into plain values: nil,
// booleans, numbers, strings, characters, keywords, symbols, vectors and lists (both as arrays),
// maps (entries in order), sets and tagged literals (#inst "...", Jepsen's #jepsen.history.Op{...}
// records), with ; comments, #_ discards and commas as whitespace. Every problem is an InputError
// naming the line and column and what was expected: a truncated file, an unclosed string or
// collection, a map with a key and no value, a duplicate key. Written here rather than taken from
// npm: edn-data returns null or silently drops entries on such input (see sim/export/ednWriter.ts).
// Leaves out: ratios, octal escapes, metadata (^), and keeping big integers exact beyond 2^53.
import { InputError } from '../schemaHelpers.ts';

export interface EdnKeyword { kind: 'keyword'; name: string }
export interface EdnSymbol { kind: 'symbol'; name: string }
export interface EdnChar { kind: 'char'; value: string }
export interface EdnMapValue { kind: 'map'; entries: [EdnValue, EdnValue][] }
export interface EdnSet { kind: 'set'; items: EdnValue[] }
export interface EdnTagged { kind: 'tagged'; tag: string; value: EdnValue }

export type EdnValue = null | boolean | number | string | EdnKeyword | EdnSymbol | EdnChar | EdnValue[] | EdnMapValue | EdnSet | EdnTagged;

/** A top-level form and the line it starts on. */
export interface EdnForm {
  value: EdnValue;
  line: number;
}

const CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const DELIMITERS = new Set([' ', '\t', '\n', '\r', ',', '(', ')', '[', ']', '{', '}', '"', ';']);
const STRING_ESCAPES: Record<string, string> = { t: '\t', r: '\r', n: '\n', b: '\b', f: '\f', '\\': '\\', '"': '"' };
const NAMED_CHARS: Record<string, string> = { newline: '\n', space: ' ', tab: '\t', return: '\r', backspace: '\b', formfeed: '\f' };
const NUMBER = /^[+-]?(\d+)(\.\d*)?([eE][+-]?\d+)?[NM]?$/;

/** Every top-level form in the text, in order. */
export function readEdnForms(text: string, source: string): EdnForm[] {
  return new EdnReader(text, source).all();
}

/** The map's value under the keyword `:name` (undefined when absent). */
export function mapGet(map: EdnMapValue, name: string): EdnValue | undefined {
  for (const [k, v] of map.entries) if (isKeyword(k) && k.name === name) return v;
  return undefined;
}

export function isKeyword(value: EdnValue | undefined): value is EdnKeyword {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'keyword';
}

export function isMap(value: EdnValue | undefined): value is EdnMapValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'map';
}

/** A value as a short EDN-like text for error messages. */
export function showEdn(value: EdnValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'nil';
  if (typeof value !== 'object') return typeof value === 'string' ? JSON.stringify(value) : String(value);
  if (Array.isArray(value)) return `[${value.map(showEdn).join(' ')}]`;
  switch (value.kind) {
    case 'keyword': return `:${value.name}`;
    case 'symbol': return value.name;
    case 'char': return `\\${value.value}`;
    case 'map': return `{${value.entries.map(([k, v]) => `${showEdn(k)} ${showEdn(v)}`).join(', ')}}`;
    case 'set': return `#{${value.items.map(showEdn).join(' ')}}`;
    case 'tagged': return `#${value.tag} ${showEdn(value.value)}`;
  }
}

class EdnReader {
  private i = 0;
  private readonly newlines: number[] = [];

  constructor(private readonly text: string, private readonly source: string) {
    for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) this.newlines.push(k);
  }

  all(): EdnForm[] {
    const forms: EdnForm[] = [];
    for (;;) {
      this.skipSpace();
      if (this.i >= this.text.length) return forms;
      const line = this.position(this.i).line;
      const value = this.form();
      if (value !== DISCARDED) forms.push({ value, line });
    }
  }

  private form(): EdnValue | typeof DISCARDED {
    const c = this.text[this.i] as string;
    if (c in CLOSE) return this.collection(c);
    if (c === ')' || c === ']' || c === '}') this.fail(this.i, `unexpected ${c} with nothing open`);
    if (c === '"') return this.string();
    if (c === '#') return this.dispatch();
    if (c === '\\') return this.char();
    return this.atom();
  }

  /** The next form that is not discarded with #_, or an error naming what was being read. */
  private nextForm(what: string, openedAt: number): EdnValue {
    for (;;) {
      this.skipSpace();
      if (this.i >= this.text.length) this.fail(openedAt, `${what} is not finished: the file ends first (truncated?)`);
      const value = this.form();
      if (value !== DISCARDED) return value;
    }
  }

  private collection(open: string): EdnValue {
    const start = this.i;
    const items = this.items(open);
    return open === '{' ? this.map(items, start) : items;
  }

  /** The forms inside a collection opened at the current position, up to its closer. */
  private items(open: string): EdnValue[] {
    const start = this.i++;
    const close = CLOSE[open] as string;
    const items: EdnValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.i >= this.text.length) this.fail(start, `the ${open} opened here is never closed with ${close} (the file ends first: truncated?)`);
      const c = this.text[this.i] as string;
      if (c === close) break;
      if (c === ')' || c === ']' || c === '}') this.fail(this.i, `${c} closes the ${open} opened at ${this.where(start)}; expected ${close}`);
      const value = this.form();
      if (value !== DISCARDED) items.push(value);
    }
    this.i++;
    return items;
  }

  private map(items: EdnValue[], start: number): EdnMapValue {
    if (items.length % 2 === 1) this.fail(start, `the map opened here has a key with no value (${items.length} forms; a map needs key value pairs)`);
    const entries: [EdnValue, EdnValue][] = [];
    const seen = new Set<string>();
    for (let k = 0; k < items.length; k += 2) {
      const key = showEdn(items[k]);
      if (seen.has(key)) this.fail(start, `the map opened here has the key ${key} twice`);
      seen.add(key);
      entries.push([items[k] as EdnValue, items[k + 1] as EdnValue]);
    }
    return { kind: 'map', entries };
  }

  private string(): string {
    const start = this.i++;
    let out = '';
    while (this.i < this.text.length) {
      const c = this.text[this.i++] as string;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.i++] ?? '';
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i, this.i + 4))) {
        out += String.fromCharCode(parseInt(this.text.slice(this.i, this.i + 4), 16));
        this.i += 4;
      } else out += STRING_ESCAPES[e] ?? this.fail(this.i - 2, `unknown escape \\${e} in a string`);
    }
    return this.fail(start, 'the string opened here is never closed with " (truncated?)');
  }

  private dispatch(): EdnValue | typeof DISCARDED {
    const start = this.i;
    const next = this.text[this.i + 1];
    if (next === '_') {
      this.i += 2;
      this.nextForm('the form after #_', start);
      return DISCARDED;
    }
    if (next === '{') {
      this.i++;
      return { kind: 'set', items: this.items('{') };
    }
    if (next === '#') {
      this.i += 2;
      const token = this.token();
      const special: Record<string, number> = { Inf: Infinity, '-Inf': -Infinity, NaN: NaN };
      return token in special ? (special[token] as number) : this.fail(start, `unknown symbolic value ##${token}; expected ##Inf, ##-Inf or ##NaN`);
    }
    this.i++;
    const tag = this.token();
    if (tag === '') this.fail(start, 'a # must start a tag (#inst), a set #{...}, a discard #_ or ##Inf');
    return { kind: 'tagged', tag, value: this.nextForm(`the value of the tag #${tag}`, start) };
  }

  private char(): EdnChar {
    const start = this.i++;
    const first = this.text[this.i] ?? this.fail(start, 'a \\ at the end of the file (truncated?)');
    this.i++;
    const rest = DELIMITERS.has(first) ? '' : this.token();
    const name = first + rest;
    if (name.length === 1) return { kind: 'char', value: name };
    if (name in NAMED_CHARS) return { kind: 'char', value: NAMED_CHARS[name] as string };
    if (/^u[0-9a-fA-F]{4}$/.test(name)) return { kind: 'char', value: String.fromCharCode(parseInt(name.slice(1), 16)) };
    return this.fail(start, `unknown character literal \\${name}`);
  }

  private atom(): EdnValue {
    const start = this.i;
    const token = this.token();
    if (token === 'nil') return null;
    if (token === 'true' || token === 'false') return token === 'true';
    if (NUMBER.test(token)) return Number(token.replace(/[NM]$/, ''));
    if (token.startsWith(':')) {
      if (token.length === 1) this.fail(start, 'a : with no keyword name');
      return { kind: 'keyword', name: token.slice(1) };
    }
    if (/^[+-]?\d/.test(token)) this.fail(start, `not a number: ${token}`);
    return { kind: 'symbol', name: token };
  }

  private token(): string {
    const start = this.i;
    while (this.i < this.text.length && !DELIMITERS.has(this.text[this.i] as string)) this.i++;
    return this.text.slice(start, this.i);
  }

  private skipSpace(): void {
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === ';') {
        while (this.i < this.text.length && this.text[this.i] !== '\n') this.i++;
      } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ',') this.i++;
      else return;
    }
  }

  private position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.newlines[mid] as number) < offset) lo = mid + 1;
      else hi = mid;
    }
    return { line: lo + 1, column: offset - (lo === 0 ? 0 : (this.newlines[lo - 1] as number) + 1) + 1 };
  }

  private where(offset: number): string {
    const { line, column } = this.position(offset);
    return `line ${line}, column ${column}`;
  }

  private fail(offset: number, what: string): never {
    throw new InputError(`${this.source}: ${this.where(offset)}: ${what}`);
  }
}

const DISCARDED: unique symbol = Symbol('discarded');
