// `faultlab check-history` as a user meets it: real bin/faultlab processes on Porcupine's logs and
// on faultlab traces and run JSON, the verdict and counterexample printed, --json, the model
// inferred from the format, and exit codes 0 (linearizable), 1 (not), 2 (bad input), 3 (budget).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { HistoryEntry } from '../../sim/clients.ts';
import { historyEvents, kvHistory, traceText } from '../sim/linearizability/faultlabTraces.ts';

const BIN = join(import.meta.dirname, '../../bin/faultlab');
const FIXTURES = join(import.meta.dirname, '../fixtures/linearizability');
const dir = mkdtempSync(join(tmpdir(), 'faultlab-check-'));

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, content: string): string {
  writeFileSync(join(dir, name), content);
  return name;
}

describe('faultlab check-history', () => {
  test('a linearizable etcd log: exit 0, the register model from the format, counts and time', () => {
    const r = cli('check-history', join(FIXTURES, 'jepsen/etcd_002.log'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/etcd_002.log: Jepsen etcd log, register model\n/);
    expect(r.stdout).toMatch(/77 operations, 19 of unknown outcome; 1 part \(not split\)/);
    expect(r.stdout).toMatch(/[\d,]+ search steps, [\d,]+ states explored; read in \d+\.\d{3}s, checked in \d+\.\d{3}s/);
    expect(r.stdout).toMatch(/^verdict: LINEARIZABLE$/m);
  });

  test('a history that is not linearizable: exit 1, the longest prefix and what cannot follow it', () => {
    const r = cli('check-history', join(FIXTURES, 'jepsen/etcd_000.log'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^verdict: NOT LINEARIZABLE \(whole history, 85 operations\)$/m);
    expect(r.stdout).toMatch(/longest linearizable prefix: 43 of 85 operations/);
    expect(r.stdout).toMatch(/#43 client 2: write 0 {2}=> {2}0/);
    expect(r.stdout).toMatch(/#44 client 11 \[line 85 to line 86\]: read -> 2\n {6}read returned 2 but the value could only be 0/);
  });

  test('kv EDN: the kv model, split per key, or whole with --no-partition', () => {
    const bad = cli('check-history', join(FIXTURES, 'kv/c01-bad.txt'));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/Porcupine kv EDN, kv model\n {2}38 operations; 8 parts \(split per key\)/);
    expect(bad.stdout).toMatch(/NOT LINEARIZABLE \(key "7", 5 operations\)/);
    expect(bad.stdout).toMatch(/get of "7" returned "x 0 0 y" but the value could only be "x 0 0 yx 0 3 y"/);
    const whole = cli('check-history', join(FIXTURES, 'kv/c01-ok.txt'), '--no-partition');
    expect(whole.code).toBe(0);
    expect(whole.stdout).toMatch(/1 part \(not split: --no-partition\)/);
  });

  test('a faultlab trace and run JSON: kv inferred from the operations, times in seconds', () => {
    expect(cli('check-history', file('ok.jsonl', traceText(historyEvents(kvHistory())))).code).toBe(0);
    const r = cli('check-history', file('bad.jsonl', traceText(historyEvents(kvHistory('b')))));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/bad.jsonl: faultlab trace, kv model\n {2}4 operations, 1 of unknown outcome; 1 read of unknown outcome left out; 2 parts \(split per key\)/);
    expect(r.stdout).toMatch(/#2 client 2 \[0\.000300s to 0\.000400s\]: get\("x"\) -> "b"/);
    const reg: HistoryEntry[] = [{ client: 1, req: 1, node: 1, op: { f: 'read' }, invokeUs: 0, completeUs: 5, outcome: 'ok', result: { ok: true, value: null } }];
    const json = cli('check-history', file('reg.json', JSON.stringify({ history: reg })));
    expect(json.code).toBe(0);
    expect(json.stdout).toMatch(/reg.json: faultlab run JSON, register model/);
  });

  test('--json prints one object with the verdict, counts and counterexample (unknown return times as null)', () => {
    const r = cli('check-history', file('bad2.jsonl', traceText(historyEvents(kvHistory('b')))), '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ file: 'bad2.jsonl', format: 'faultlab-trace', model: 'kv', verdict: 'not-linearizable', operations: 4, partitions: 2 });
    expect(out.counterexample).toMatchObject({ partition: 'key "x"', prefix: [{ id: 1, state: { x: 'a' } }], unplaceable: [{ id: 2, reason: 'get of "x" returned "b" but the value could only be "a"' }] });
    expect(typeof out.checkMs).toBe('number');
    const ok = JSON.parse(cli('check-history', 'ok.jsonl', '--json').stdout) as { verdict: string };
    expect(ok.verdict).toBe('linearizable');
  });

  test('--max-steps: no verdict within the budget exits 3', () => {
    const r = cli('check-history', join(FIXTURES, 'jepsen/etcd_002.log'), '--max-steps', '100');
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/verdict: UNKNOWN: the search budget of 100 steps ran out/);
  });

  describe('bad input: one line, exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['check-history', 'missing.log'], /^faultlab: check-history: cannot read missing.log: no such file; expected a history file$/],
      [['check-history', '.'], /^faultlab: check-history: cannot read \.: it is a folder/],
      [['check-history', 'empty.txt'], /^faultlab: empty.txt: the file is empty; expected a Jepsen etcd log/],
      [['check-history', 'junk.txt'], /^faultlab: junk.txt: unrecognised history format; expected/],
      [['check-history', 'bad.edn'], /^faultlab: bad.edn: line 2: missing :key \(expected a string\)$/],
      [['check-history', 'mixed.json'], /^faultlab: mixed.json: history\[1\]: the history mixes kv operations/],
      [['check-history', 'ok.jsonl', '--model', 'graph'], /^faultlab: --model: expected one of register, kv; got "graph"/],
      [['check-history', join(FIXTURES, 'jepsen/etcd_000.log'), '--model', 'kv'], /^faultlab: --model: a Jepsen etcd log holds register operations; expected --model register/],
      [['check-history', 'ok.jsonl', '--max-steps', '0'], /^faultlab: --max-steps: expected a whole number from 1/],
    ];
    test.each(cases)('%j', (args, message) => {
      file('empty.txt', '');
      file('junk.txt', 'hello\n');
      file('bad.edn', '{:process 0, :type :invoke, :f :get, :key "k", :value nil}\n{:process 0, :type :ok, :f :get}\n');
      file('mixed.json', JSON.stringify([{ ...kvHistory()[0], op: { f: 'write', value: 1 } }, kvHistory()[1]]));
      file('ok.jsonl', traceText(historyEvents(kvHistory())));
      const r = cli(...args);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    });
  });
});
