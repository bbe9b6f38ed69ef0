// The history readers: Jepsen etcd logs, Porcupine kv EDN, faultlab traces and run JSON, the
// format told from the content and the model from the format, and bad input named by line or
// entry with what was expected.
import { describe, expect, test } from 'vitest';
import type { HistoryEntry } from '../../../sim/clients.ts';
import { checkFaultlabHistory } from '../../../sim/linearizability/checkFaultlabHistory.ts';
import { kvOperations } from '../../../sim/linearizability/faultlabOperations.ts';
import { HistoryCollector } from '../../../sim/linearizability/historyCollector.ts';
import { detectHistoryFormat, loadHistory } from '../../../sim/linearizability/loadHistory.ts';
import { UNKNOWN } from '../../../sim/linearizability/operation.ts';
import { parseEtcdLog } from '../../../sim/linearizability/parseEtcdLog.ts';
import { parseKvEdn } from '../../../sim/linearizability/parseKvEdn.ts';
import { summarizeResult } from '../../../sim/linearizability/renderResult.ts';
import { InputError } from '../../../sim/schemaHelpers.ts';
import { historyEvents, kvHistory, traceText } from './faultlabTraces.ts';

const etcd = (...lines: string[]) => `${lines.map((l) => `INFO  jepsen.util - ${l}`).join('\n')}\n`;

describe('Jepsen etcd logs', () => {
  test('invoke and end lines make register operations; time is the line number', () => {
    const ops = parseEtcdLog(etcd('0\t:invoke\t:write\t3', '1 :invoke :read nil', '0\t:ok\t:write\t3', '1\t:ok\t:read\t3', '2\t:invoke\t:cas\t[3 4]', '2\t:fail\t:cas\t[3 4]'));
    expect(ops).toEqual([
      { id: 1, client: 0, input: { f: 'write', value: 3 }, output: { ok: true }, callUs: 1, returnUs: 3 },
      { id: 2, client: 1, input: { f: 'read' }, output: { ok: true, value: 3 }, callUs: 2, returnUs: 4 },
      { id: 3, client: 2, input: { f: 'cas', from: 3, to: 4 }, output: { ok: false }, callUs: 5, returnUs: 6 },
    ]);
  });

  test('timed-out reads, :info and unended operations have unknown outcomes; other lines are ignored', () => {
    const ops = parseEtcdLog(`some other log line\n${etcd('0\t:invoke\t:read\tnil', '0\t:fail\t:read\t:timed-out', '1\t:invoke\t:write\t1', '1\t:info\t:write\t:timed-out', '2\t:invoke\t:cas\t[1 2]')}`);
    expect(ops.map((op) => [op.output === UNKNOWN, op.returnUs])).toEqual([[true, 3], [true, Infinity], [true, Infinity]]);
  });

  test('bad lines are named', () => {
    expect(() => parseEtcdLog(etcd('0\t:ok\t:read\t1'), 'a.log')).toThrow(new InputError('a.log: line 1: process 0 ends a read (:ok) but has no operation in progress'));
    expect(() => parseEtcdLog(etcd('0\t:invoke\t:read\tnil', '0\t:invoke\t:read\tnil'), 'a.log')).toThrow(/a.log: line 2: process 0 invokes a read while its read from line 1 has not ended/);
    expect(() => parseEtcdLog(etcd('0\t:invoke\t:cas\t[1 2]', '0\t:ok\t:cas\t[1 3]'), 'a.log')).toThrow(/line 2: the cas ends with \[1 3\] but was invoked with \[1 2\]/);
    expect(() => parseEtcdLog(etcd('0\t:invoke\t:write\tfoo'), 'a.log')).toThrow(/line 1: expected nil, a number, \[from to\] or :timed-out after :write; got "foo"/);
  });
});

describe('Porcupine kv EDN', () => {
  test('maps become kv operations; an unended one has an unknown outcome', () => {
    const text = [
      '{:process 0, :type :invoke, :f :put, :key "k", :value "v \\"q\\""}',
      '{:process 1, :type :invoke, :f :get, :key "k", :value nil}',
      '{:process 0, :type :ok, :f :put, :key "k", :value "v \\"q\\""}',
      '{:process 1, :type :ok, :f :get, :key "k", :value "v \\"q\\""}',
      '{:process 2, :type :invoke, :f :append, :key "j", :value "x"}',
      '',
    ].join('\n');
    expect(parseKvEdn(text)).toEqual([
      { id: 1, client: 0, input: { f: 'put', key: 'k', value: 'v "q"' }, output: { ok: true }, callUs: 1, returnUs: 3 },
      { id: 2, client: 1, input: { f: 'get', key: 'k' }, output: { ok: true, value: 'v "q"' }, callUs: 2, returnUs: 4 },
      { id: 3, client: 2, input: { f: 'append', key: 'j', value: 'x' }, output: UNKNOWN, callUs: 5, returnUs: Infinity },
    ]);
  });

  test('bad lines are named', () => {
    const bad: [string, RegExp][] = [
      ['{:process 0, :type :invoke, :f :get}', /kv: line 1: missing :key \(expected a string\)/],
      ['{:process 0, :type :invoke, :f :get, :key "k", :value nil', /line 1: the map has no closing }/],
      ['{:process 0, :type :invoke, :f :delete, :key "k"}', /line 1: :f: expected :get, :put or :append; got :delete/],
      ['{:process "p", :type :invoke, :f :get, :key "k"}', /line 1: :process: expected a whole number/],
      ['{:process 0, :type :ok, :f :get, :key "k", :value "v"}', /line 1: process 0 ends a get \(:ok\) but has no operation in progress/],
    ];
    for (const [line, message] of bad) expect(() => parseKvEdn(`${line}\n`, 'kv')).toThrow(message);
  });
});

describe('faultlab histories', () => {
  test('ok, cas-mismatch, other failures, info and pending become operations as the model needs them', () => {
    const ops = kvOperations(kvHistory(), 'h', (i) => `history[${i}]`);
    expect(ops).toEqual([
      { id: 1, client: 1, input: { f: 'put', key: 'x', value: 'a' }, output: { ok: true }, callUs: 100, returnUs: 200 },
      { id: 2, client: 2, input: { f: 'get', key: 'x' }, output: { ok: true, value: 'a' }, callUs: 300, returnUs: 400 },
      { id: 3, client: 1, input: { f: 'cas', key: 'x', from: 'zz', to: 'b' }, output: { ok: false }, callUs: 500, returnUs: 600 },
      { id: 5, client: 3, input: { f: 'append', key: 'y', value: '1' }, output: UNKNOWN, callUs: 700, returnUs: Infinity },
      { id: 6, client: 1, input: { f: 'get', key: 'x' }, output: UNKNOWN, callUs: 800, returnUs: Infinity },
    ]);
  });

  test('checkFaultlabHistory checks a RunResult history with the kv model', () => {
    expect(checkFaultlabHistory(kvHistory())).toMatchObject({ verdict: 'linearizable', model: 'kv', operations: 4, dropped: 1, partitions: 2 });
    const bad = checkFaultlabHistory(kvHistory('b'));
    expect(bad.verdict).toBe('not-linearizable');
    expect(bad.counterexample?.unplaceable[0]?.reason).toBe('get of "x" returned "b" but the value could only be "a"');
    expect(summarizeResult(bad)).toBe('not linearizable (key "x"): after the longest linearizable prefix, 1 of 3 operations, #2 (client 2) get("x") -> "b" cannot follow: get of "x" returned "b" but the value could only be "a"');
    expect(summarizeResult(checkFaultlabHistory(kvHistory()))).toBe('linearizable (4 operations, 2 parts)');
    expect(summarizeResult(checkFaultlabHistory(kvHistory(), { maxSteps: 1 }))).toMatch(/^no verdict: the search budget of 1 steps ran out with 2 of 2 part\(s\) undecided \(key "x", key "y"\)$/);
    expect(() => checkFaultlabHistory([{ ...(kvHistory()[0] as HistoryEntry), op: { f: 'incr', key: 'x' } }])).toThrow(/history: history\[0\] \(client 1, request 1\): op.f: expected "get", "put", "append" or "cas" \(kv model\); got "incr"/);
  });

  test('a trace and the run JSON give the same operations', () => {
    const fromTrace = loadHistory(traceText(historyEvents(kvHistory())), 'run.jsonl');
    const fromJson = loadHistory(JSON.stringify({ verdict: { kind: 'pass' }, history: kvHistory() }), 'run.json');
    const bare = loadHistory(JSON.stringify(kvHistory()), 'history.json');
    expect(fromTrace).toMatchObject({ format: 'faultlab-trace', model: 'kv', timeUnit: 'us' });
    expect(fromJson).toMatchObject({ format: 'faultlab-json', model: 'kv' });
    expect(fromTrace.ops).toEqual(fromJson.ops);
    expect(bare.ops).toEqual(fromJson.ops);
  });

  test('register operations are told from kv ones; a mix needs --model', () => {
    const reg: HistoryEntry[] = [
      { client: 1, req: 1, node: 1, op: { f: 'write', value: 3 }, invokeUs: 0, completeUs: 5, outcome: 'ok', result: { ok: true } },
      { client: 2, req: 2, node: 1, op: { f: 'read' }, invokeUs: 6, completeUs: 9, outcome: 'ok', result: { ok: true, value: 3 } },
    ];
    expect(loadHistory(JSON.stringify(reg), 'r.json')).toMatchObject({ model: 'register', ops: [{ input: { f: 'write', value: 3 } }, { output: { ok: true, value: 3 } }] });
    const mixed = [...reg, ...kvHistory()];
    expect(() => loadHistory(JSON.stringify(mixed), 'm.json')).toThrow(/m.json: history\[2\]: the history mixes kv operations \(with a key\) and register operations \(without\); pass --model kv or --model register/);
    expect(() => loadHistory(JSON.stringify(mixed), 'm.json', 'kv')).toThrow(/m.json: history\[0\]: op.key: expected a string; got nothing/);
  });

  test('bad faultlab input is named by entry or line', () => {
    expect(() => loadHistory('{"verdict":{"kind":"pass"}}', 'r.json')).toThrow(/r.json: this JSON object has no "history" field/);
    expect(() => loadHistory('[{"client":1}]', 'r.json')).toThrow(/r.json: history\[0\].req: /);
    expect(() => loadHistory('[{"client":1,"req":1,"node":1,"op":{"f":"get","key":"x"},"invokeUs":5,"completeUs":4,"outcome":"ok"}]', 'r.json')).toThrow(/history\[0\].completeUs: 4 is before invokeUs 5/);
    expect(() => loadHistory('[{"client":1,"req":1,"node":1,"op":{"f":"get","key":"x"},"invokeUs":5,"completeUs":6,"outcome":"ok","result":{"ok":true}}]', 'r.json')).toThrow(/history\[0\]: result.value: expected a string; got nothing/);
    const orphan = traceText([{ t: 5, kind: 'complete', client: 1, req: 9, outcome: 'ok', result: { ok: true } }]);
    expect(() => loadHistory(orphan, 't.jsonl')).toThrow(/t.jsonl: line 2: request 9 completes but was never invoked/);
    const text = traceText(historyEvents(kvHistory()));
    expect(() => loadHistory(text.replace('"value":"a"', '"value":"A"'), 't.jsonl')).toThrow(/trace hash does not match/);
    expect(() => loadHistory(text.slice(0, text.length - 40), 't.jsonl')).toThrow(/truncated/);
  });

  test('HistoryCollector rebuilds entries from events and names the problems', () => {
    const c = new HistoryCollector();
    for (const event of historyEvents(kvHistory())) expect(c.observe(event)).toBeUndefined();
    expect(c.entries).toEqual(kvHistory());
    expect(c.observe({ t: 1, kind: 'complete', client: 1, req: 1, outcome: 'ok' })).toBe('request 1 completes but has already completed');
    expect(c.observe({ t: 1, kind: 'invoke', client: 1, req: 1, node: 1, op: null })).toBe('request 1 is invoked a second time');
    expect(c.observe({ t: 2000, kind: 'complete', client: 2, req: 6, outcome: 'ok' })).toBe('request 6 was invoked by client 1 but completes for client 2');
  });
});

describe('formats and models', () => {
  test('the format is told from the content', () => {
    expect(detectHistoryFormat(etcd('0\t:invoke\t:read\tnil'), 'f')).toBe('etcd-log');
    expect(detectHistoryFormat('{:process 0, :type :invoke, :f :get, :key "k", :value nil}\n', 'f')).toBe('kv-edn');
    expect(detectHistoryFormat(traceText([]), 'f')).toBe('faultlab-trace');
    expect(detectHistoryFormat('  [ ]', 'f')).toBe('faultlab-json');
    expect(() => detectHistoryFormat(' \n', 'f')).toThrow(/f: the file is empty; expected a Jepsen etcd log/);
    expect(() => detectHistoryFormat('hello\n', 'f')).toThrow(/f: unrecognised history format; expected a Jepsen etcd log, a Porcupine kv EDN history, a faultlab trace/);
  });

  test('the model follows the format, and a --model that does not fit it is refused', () => {
    expect(loadHistory(etcd('0\t:invoke\t:read\tnil'), 'f').model).toBe('register');
    expect(loadHistory('{:process 0, :type :invoke, :f :get, :key "k", :value nil}\n', 'f').model).toBe('kv');
    expect(() => loadHistory(etcd('0\t:invoke\t:read\tnil'), 'f', 'kv')).toThrow(new InputError('--model: a Jepsen etcd log holds register operations; expected --model register (or no --model)'));
    expect(loadHistory('[]', 'f').model).toBe('kv');
  });
});
