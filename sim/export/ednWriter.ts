// Writes EDN (extensible data notation, Clojure's data syntax, which Jepsen histories use):
// nil, booleans, numbers, strings, keywords, vectors and maps, printed the way Clojure's `pr`
// prints them (`{:type :invoke, :f :read, :value nil}`), and plain JSON data turned into EDN (object
// keys become keywords when they can be). A small writer of our own: the npm library edn-data
// prints maps without commas and its parser, which we would have wanted for `faultlab import`,
// returns null or silently drops entries on truncated or malformed input, so neither side fitted.
// Leaves out: sets, lists, symbols, tagged literals, characters (histories here never need them).

export interface EdnKeyword {
  readonly keyword: string;
}

/** A map with keys in the order given. */
export interface EdnMap {
  readonly entries: readonly (readonly [Edn, Edn])[];
}

export type Edn = null | boolean | number | string | EdnKeyword | readonly Edn[] | EdnMap;

/** Names a keyword can have: a letter or one of *+!_?<>=- first, then those, digits, . and /. */
const KEYWORD_NAME = /^[A-Za-z*+!_?<>=-][A-Za-z0-9*+!_?<>=.\-/]*$/;

export function kw(name: string): EdnKeyword {
  if (!KEYWORD_NAME.test(name)) throw new Error(`not a valid EDN keyword name: ${JSON.stringify(name)}`);
  return { keyword: name };
}

export const isKeywordName = (name: string): boolean => KEYWORD_NAME.test(name) && !/^[-+]\d/.test(name);

export function ednMap(entries: readonly (readonly [Edn, Edn])[]): EdnMap {
  return { entries };
}

/** A map whose keys are keywords: ednRecord([['type', kw('ok')], ['value', 3]]). */
export function ednRecord(fields: readonly (readonly [string, Edn])[]): EdnMap {
  return { entries: fields.map(([k, v]) => [kw(k), v] as const) };
}

export function writeEdn(value: Edn): string {
  if (value === null) return 'nil';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return writeNumber(value);
  if (typeof value === 'string') return writeString(value);
  if (Array.isArray(value)) return `[${value.map(writeEdn).join(' ')}]`;
  if ('keyword' in (value as object)) return `:${(value as EdnKeyword).keyword}`;
  return `{${(value as EdnMap).entries.map(([k, v]) => `${writeEdn(k)} ${writeEdn(v)}`).join(', ')}}`;
}

function writeNumber(n: number): string {
  if (Number.isNaN(n)) return '##NaN';
  if (!Number.isFinite(n)) return n > 0 ? '##Inf' : '##-Inf';
  // 1.5 and 1e+21 (how JavaScript prints large numbers) both read back as doubles in Clojure.
  return String(n);
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' };

function writeString(s: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${s.replace(/["\\\n\t\r]|[\u0000-\u001f\u007f]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** Plain JSON data as EDN: objects become maps (keyword keys where the name allows, else string keys), arrays vectors. */
export function jsonToEdn(value: unknown): Edn {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(jsonToEdn);
  if (typeof value === 'object') {
    return { entries: Object.entries(value as Record<string, unknown>).map(([k, v]) => [isKeywordName(k) ? kw(k) : k, jsonToEdn(v)] as const) };
  }
  return String(value);
}
