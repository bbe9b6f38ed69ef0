// Reading Jepsen histories: the EDN writer and reader (round trip, Clojure's printed forms, errors
// with line and column for truncated or malformed input), and readJepsenEdn on hand-written
// histories in the forms Jepsen writes (one map per line with :time, a vector of #jepsen.history.Op
// records without, jepsen.independent [key value] tuples), with their verdicts.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ednRecord, jsonToEdn, kw, writeEdn } from '../../sim/export/ednWriter.ts';
import { mapGet, readEdnForms, type EdnValue } from '../../sim/linearizability/ednReader.ts';
import { checkLoadedHistory, detectHistoryFormat, loadHistory } from '../../sim/linearizability/loadHistory.ts';
import { readJepsenEdn } from '../../sim/linearizability/readJepsenEdn.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/export');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('EDN writer', () => {
  it('prints maps, keywords, strings, numbers, nil and vectors as Clojure\'s pr does', () => {
    const op = ednRecord([['index', 0], ['type', kw('invoke')], ['f', kw('cas')], ['value', ['k1', ['', 'x']]], ['error', null], ['ok', true]]);
    expect(writeEdn(op)).toBe('{:index 0, :type :invoke, :f :cas, :value ["k1" ["" "x"]], :error nil, :ok true}');
    expect(writeEdn('a "quoted"\\ line\nand\ttab\u0001')).toBe('"a \\"quoted\\"\\\\ line\\nand\\ttab\\u0001"');
    expect(writeEdn([1.5, -3, 1e21, Number.POSITIVE_INFINITY, Number.NaN])).toBe('[1.5 -3 1e+21 ##Inf ##NaN]');
    expect(writeEdn(jsonToEdn({ amount: 3, 'not a keyword': [null], '1x': {} }))).toBe('{:amount 3, "not a keyword" [nil], "1x" {}}');
    expect(() => kw('has space')).toThrow(/not a valid EDN keyword/);
  });

  it('reads back what it writes', () => {
    const value = jsonToEdn({ s: 'é "q" \\ \n', n: [0, -1, 2.5], nested: { t: true, f: false, z: null } });
    const [form] = readEdnForms(writeEdn(value), 'x');
    const back = form?.value as Extract<EdnValue, { kind: 'map' }>;
    expect(mapGet(back, 's')).toBe('é "q" \\ \n');
    expect(mapGet(back, 'n')).toEqual([0, -1, 2.5]);
    expect(mapGet(mapGet(back, 'nested') as Extract<EdnValue, { kind: 'map' }>, 'z')).toBeNull();
  });
});

describe('EDN reader', () => {
  it('reads Clojure\'s forms: comments, discards, sets, lists, tags, chars, symbolic values, big-number suffixes', () => {
    const forms = readEdnForms('; a comment\n{:a 1, :b #_ ignored "x"} (1 2) #{:s} #inst "2020-01-01" \\c \\newline ##Inf 7N 1.5M sym :ns/kw\n', 'x');
    expect(forms.map((f) => f.line)).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(forms.map((f) => f.value)).toEqual([
      { kind: 'map', entries: [[{ kind: 'keyword', name: 'a' }, 1], [{ kind: 'keyword', name: 'b' }, 'x']] },
      [1, 2],
      { kind: 'set', items: [{ kind: 'keyword', name: 's' }] },
      { kind: 'tagged', tag: 'inst', value: '2020-01-01' },
      { kind: 'char', value: 'c' },
      { kind: 'char', value: '\n' },
      Number.POSITIVE_INFINITY,
      7,
      1.5,
      { kind: 'symbol', name: 'sym' },
      { kind: 'keyword', name: 'ns/kw' },
    ]);
  });

  it.each<[string, string, RegExp]>([
    ['a map cut short', '{:a 1}\n{:a 1, :b', /x: line 2, column 1: the \{ opened here is never closed with \} \(the file ends first: truncated\?\)/],
    ['an unclosed string', '{:a "abc}\n', /line 1, column 5: the string opened here is never closed/],
    ['a key with no value', '{:a 1 :b}', /line 1, column 1: the map opened here has a key with no value/],
    ['a duplicate key', '{:a 1 :a 2}', /has the key :a twice/],
    ['a mismatched closer', '[1 2}', /line 1, column 5: \} closes the \[ opened at line 1, column 1; expected \]/],
    ['a stray closer', '1 ]', /unexpected \] with nothing open/],
    ['a bad number', '12abc', /not a number: 12abc/],
    ['an unknown escape', '"a\\qb"', /unknown escape \\q/],
  ])('names the line and column of %s', (_name, text, message) => {
    expect(() => readEdnForms(text, 'x')).toThrow(message);
  });
});

describe('Jepsen histories', () => {
  it('a register history, one map per line with :time: nemesis skipped, :info of unknown outcome, not linearizable', () => {
    const text = fixture('register-bad.edn');
    expect(detectHistoryFormat(text, 'f')).toBe('jepsen-edn');
    const { entries, timeUnit } = readJepsenEdn(text, 'register-bad.edn');
    expect(timeUnit).toBe('us');
    expect(entries.map((e) => [e.client, e.op, e.invokeUs, e.completeUs, e.outcome])).toEqual([
      [0, { f: 'write', value: 1 }, 1, 2, 'ok'],
      [1, { f: 'read' }, 3, 4, 'ok'],
      [2, { f: 'cas', from: 1, to: 2 }, 5, 6, 'info'],
    ]);
    const result = checkLoadedHistory(loadHistory(text, 'register-bad.edn'));
    expect(result).toMatchObject({ model: 'register', verdict: 'not-linearizable', operations: 3, unknownOutcome: 1 });
  });

  it('a vector of #jepsen.history.Op records without :time: ordered by line; a cas :fail with :cas-mismatch did not swap; linearizable', () => {
    const text = fixture('register-vector-ok.edn');
    const { entries, timeUnit } = readJepsenEdn(text, 'v.edn');
    expect(timeUnit).toBe('line');
    expect(entries.map((e) => [e.invokeUs, e.completeUs])).toEqual([[1, 4], [2, 3], [5, 6], [7, 8], [9, 10]]);
    expect(entries[2]?.result).toEqual({ ok: false, error: 'cas-mismatch' });
    expect(checkLoadedHistory(loadHistory(text, 'v.edn')).verdict).toBe('linearizable');
  });

  it('jepsen.independent [key value] tuples are key-value operations (keys as text), split per key', () => {
    const loaded = loadHistory(fixture('kv-independent-bad.edn'), 'kv.edn');
    expect(loaded.model).toBe('kv');
    expect(loaded.ops.map((o) => o.input)).toEqual([
      { f: 'put', key: 'x', value: 'a' },
      { f: 'append', key: '7', value: 'b' },
      { f: 'get', key: 'x' },
      { f: 'get', key: '7' },
    ]);
    const result = checkLoadedHistory(loaded);
    expect(result).toMatchObject({ verdict: 'not-linearizable', partitions: 2 });
    expect(result.counterexample?.partition).toBe('key "7"');
  });

  it.each<[string, string, RegExp]>([
    ['a truncated file', fixture('truncated.edn'), /t\.edn: line 2, column 1: the \{ opened here is never closed/],
    ['an operation outside the models', '{:type :invoke, :process 0, :f :txn, :value [[:w 1 2]]}\n', /line 1: :f :txn: the checker knows :read, :write, :cas/],
    ['a completion with nothing open', '{:type :ok, :process 3, :f :read, :value nil}\n', /line 1: process 3 completes :read \(:ok\) but has no operation in progress/],
    ['a second invocation while one is open', '{:type :invoke, :process 0, :f :read, :value nil}\n{:type :invoke, :process 0, :f :write, :value 1}\n', /line 2: process 0 invokes :write while its :read \(line 1\) has not completed/],
    ['a missing :type', '{:process 0, :f :read, :value nil}\n', /line 1: :type: expected a keyword/],
    ['a missing :process', '{:type :invoke, :f :read, :value nil}\n', /line 1: :process: missing/],
    ['a completion with another :f', '{:type :invoke, :process 0, :f :read, :value nil}\n{:type :ok, :process 0, :f :write, :value 1}\n', /completes :write but its operation in progress is :read/],
  ])('refuses %s, naming the line', (_name, text, message) => {
    expect(() => checkLoadedHistory(loadHistory(text, 't.edn'))).toThrow(message);
  });

  it('tells Jepsen EDN from Porcupine\'s kv EDN (which has :key) and from JSON', () => {
    expect(detectHistoryFormat('{:process 0, :type :invoke, :f :get, :key "1", :value nil}\n', 'f')).toBe('kv-edn');
    expect(detectHistoryFormat('[{:process 0, :type :invoke, :f :read, :value nil}]', 'f')).toBe('jepsen-edn');
    expect(detectHistoryFormat('[{"client": 1}]', 'f')).toBe('faultlab-json');
  });
});
