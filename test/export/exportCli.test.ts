// `faultlab export` and `faultlab import` as a user meets them: real bin/faultlab processes writing
// each format to a file (-o, with a one-line summary) or to stdout, several traces in one ShiViz
// file, and every kind of bad input answered with one line naming the field, exit code 2, no stack
// trace and no file left behind.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLoadedHistory, loadHistory } from '../../sim/linearizability/loadHistory.ts';
import { historyEvents, kvHistory, traceText } from '../sim/linearizability/faultlabTraces.ts';
import { protocolRun } from './exportFixtures.ts';
import { validateJepsenHistory } from './jepsenValidator.ts';
import { validateChromeTrace } from './perfettoValidator.ts';
import { validateShiviz } from './shivizValidator.ts';

const BIN = join(import.meta.dirname, '../../bin/faultlab');
const dir = mkdtempSync(join(tmpdir(), 'faultlab-export-'));

interface Ran { status: number | null; stdout: string; stderr: string }

function cli(...args: string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

writeFileSync(join(dir, 'hb1.jsonl'), protocolRun('heartbeat', 1).run.text);
writeFileSync(join(dir, 'hb2.jsonl'), protocolRun('heartbeat', 2).run.text);
// A small kv client history in a trace (a put, a get, a failed cas, an append of unknown outcome, ...).
writeFileSync(join(dir, 'kv.jsonl'), traceText(historyEvents(kvHistory())));
const lines = protocolRun('heartbeat', 1).run.text.split('\n');
writeFileSync(join(dir, 'edited.jsonl'), lines.map((l, i) => (i === 100 ? l.replace(/"t":(\d+)/, (_m, t) => `"t":${Number(t) + 1}`) : l)).join('\n'));

describe('faultlab export', () => {
  it('writes each format to a file or to stdout', async () => {
    const [shiviz, perfetto, jepsen, porcupine] = await Promise.all([
      cli('export', 'hb1.jsonl', 'hb2.jsonl', '--format', 'shiviz', '-o', 'both.shiviz.log'),
      cli('export', 'hb1.jsonl', '-f', 'perfetto'),
      cli('export', 'kv.jsonl', '--format', 'jepsen', '--until', '750us'),
      cli('export', 'kv.jsonl', '--format', 'porcupine', '-o', 'kv.txt'),
    ]);
    expect(shiviz.stderr).toBe('');
    expect(shiviz.stdout).toMatch(/^export: wrote ShiViz log: 2 executions, [\d,]+ events to both\.shiviz\.log\n$/);
    expect(validateShiviz(readFileSync(join(dir, 'both.shiviz.log'), 'utf8')).map((e) => e.label)).toEqual(['heartbeat seed 1', 'heartbeat seed 2']);
    expect(perfetto.status).toBe(0);
    expect(validateChromeTrace(JSON.parse(perfetto.stdout)).processes.get(1)).toBe('n1');
    expect(jepsen.status).toBe(0);
    expect(validateJepsenHistory(jepsen.stdout)).toMatchObject({ invokes: 5, open: 1 }); // cut: the get invoked at 800 us, and the append's info at 1700 us
    expect(jepsen.stdout).toMatch(/^\{:index 0, :time 100000, :type :invoke, :process 0, :f :write, :value \["x" "a"\], :node "n1"\}$/m);
    // put, get, a cas that did not swap: call and return each; the append of unknown outcome and the open get: a call each; the failed get: nothing.
    expect(porcupine.stdout).toBe('export: wrote Porcupine kv EDN (kv model): 8 lines to kv.txt\n');
    const text = readFileSync(join(dir, 'kv.txt'), 'utf8');
    expect(checkLoadedHistory(loadHistory(text, 'kv.txt')).verdict).toBe('linearizable');
  });

  it('answers bad input with one line naming the field, exit code 2, no stack trace, no file left behind', async () => {
    const cases: [string[], RegExp][] = [
      [['export', 'hb1.jsonl', '--format', 'nope'], /^faultlab: --format: expected one of shiviz, perfetto, jepsen, porcupine; got "nope"$/m],
      [['export', 'hb1.jsonl'], /^faultlab: required option '-f, --format <format>' not specified$/m],
      [['export', 'missing.jsonl', '--format', 'shiviz'], /^faultlab: export: cannot read missing\.jsonl: no such file; expected a faultlab trace/m],
      [['export', 'edited.jsonl', '--format', 'shiviz'], /^faultlab: edited\.jsonl: line \d+: (the trace hash does not match|time goes backwards)/m],
      [['export', 'hb1.jsonl', '--format', 'jepsen'], /^faultlab: --format jepsen: hb1\.jsonl: no client operations in this heartbeat run/m],
      [['export', 'hb1.jsonl', 'hb2.jsonl', '--format', 'perfetto'], /^faultlab: --format perfetto: takes one trace; got 2/m],
      [['export', 'hb1.jsonl', '--format', 'shiviz', '-o', 'no/such/dir/out.log'], /^faultlab: -o: cannot write no\/such\/dir\/out\.log: no such folder$/m],
      [['import', 'hb1.jsonl'], /^faultlab: import: hb1\.jsonl: not a Jepsen EDN history/m],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(...args)));
    results.forEach((r, i) => {
      const [args, message] = cases[i] as [string[], RegExp];
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
      expect(r.stdout).toBe('');
    });
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(existsSync(join(dir, 'no'))).toBe(false);
  });
});
