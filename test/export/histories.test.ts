// The client-history exports: Jepsen EDN and Porcupine's formats. Raft's pinned stale-read scenario
// (the leader cut off with n2 from 1 s to 3 s, seed 1) gives a history that is not linearizable with
// the bug and linearizable without; both exports carry that verdict to `faultlab check-history`,
// to `faultlab import` and through our Porcupine readers, with the same operation counts as the
// check of the trace itself. Porcupine's kv lines match Porcupine's own parser expressions, and a
// register history becomes an etcd log that both parsers read. (Every protocol: everyProtocol.test.ts.)
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../sim/clients.ts';
import { exportJepsen } from '../../sim/export/jepsen.ts';
import { exportPorcupine } from '../../sim/export/porcupine.ts';
import { checkFaultlabHistory } from '../../sim/linearizability/checkFaultlabHistory.ts';
import { checkLinearizability } from '../../sim/linearizability/checkLinearizability.ts';
import { kvModel } from '../../sim/linearizability/kvModel.ts';
import { checkLoadedHistory, loadHistory } from '../../sim/linearizability/loadHistory.ts';
import { parseEtcdLog } from '../../sim/linearizability/parseEtcdLog.ts';
import { parseKvEdn } from '../../sim/linearizability/parseKvEdn.ts';
import { readJepsenEdn } from '../../sim/linearizability/readJepsenEdn.ts';
import { registerModel } from '../../sim/linearizability/registerModel.ts';
import { historyEvents, traceText } from '../sim/linearizability/faultlabTraces.ts';
import { inputOf, staleReadRun } from './exportFixtures.ts';
import { validateJepsenHistory } from './jepsenValidator.ts';

const BIN = join(import.meta.dirname, '../../bin/faultlab');
const dir = mkdtempSync(join(tmpdir(), 'faultlab-histories-'));
/** Runs bin/faultlab; several can run at once. */
function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
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

const buggy = staleReadRun(true);
const correct = staleReadRun(false);
/** faultlab's own verdict on each run's history, and its operation count. */
const own = (run: typeof buggy) => checkFaultlabHistory(run.run.result.history, { model: 'kv' });

describe('the histories are what the scenario needs', () => {
  it('faultlab finds the buggy history not linearizable and the correct one linearizable', () => {
    expect(own(buggy).verdict).toBe('not-linearizable');
    expect(own(correct).verdict).toBe('linearizable');
  });
});

describe('Jepsen export', () => {
  it.each([[buggy, 'not-linearizable'], [correct, 'linearizable']] as const)('keeps the verdict and the counts when read back (%#)', (run, verdict) => {
    const text = exportJepsen(run.input);
    const loaded = loadHistory(text, 'history.edn');
    expect(loaded.format).toBe('jepsen-edn');
    const result = checkLoadedHistory(loaded);
    expect(result.verdict).toBe(verdict);
    const mine = own(run);
    expect([result.operations, result.unknownOutcome, result.dropped, result.partitions]).toEqual([mine.operations, mine.unknownOutcome, mine.dropped, mine.partitions]);
    if (verdict === 'not-linearizable') expect(result.counterexample?.partition).toBe(mine.counterexample?.partition);
  });

  it('reads back to the same operations, outcomes and microsecond times', () => {
    const entries = readJepsenEdn(exportJepsen(buggy.input), 'history.edn').entries;
    const history = buggy.run.result.history;
    expect(entries).toHaveLength(history.length);
    const byInvoke = new Map(history.map((e) => [`${e.invokeUs}/${JSON.stringify(e.op)}`, e] as const));
    for (const entry of entries) {
      const original = byInvoke.get(`${entry.invokeUs}/${JSON.stringify(entry.op)}`) as HistoryEntry;
      expect(original, JSON.stringify(entry)).toBeDefined();
      expect([entry.completeUs, entry.outcome, entry.node]).toEqual([original.completeUs, original.outcome, original.node]);
    }
  });

  it('writes Knossos-style operations, the partition as nemesis operations, failed cas with :cas-mismatch', () => {
    const text = exportJepsen(buggy.input);
    const summary = validateJepsenHistory(text);
    expect(summary.invokes).toBe(buggy.run.result.history.length);
    expect(summary.nemesis).toBe(2);
    expect(text.split('\n')[0]).toMatch(/^\{:index 0, :time \d+000, :type :invoke, :process \d+, :f :(read|write|append|cas), :value \["k\d" .*\], :node "n\d"\}$/);
    expect(text).toContain(':type :info, :process :nemesis, :f :start-partition, :value {:groups [["n1" "n2"] ["n3" "n4" "n5"]]}');
    expect(text).toMatch(/:type :fail, :process \d+, :f :cas, :value \["k\d" \["" "[\d.]+"\]\], :error :cas-mismatch/);
  });

  it('the validator rejects a reused process, a completion without invocation and a bad index', () => {
    const ok = '{:index 0, :time 1, :type :invoke, :process 0, :f :read, :value nil}\n{:index 1, :time 2, :type :info, :process 0, :f :read, :value nil}\n';
    expect(validateJepsenHistory(ok).byType).toEqual({ invoke: 1, info: 1 });
    expect(() => validateJepsenHistory(`${ok}{:index 2, :time 3, :type :invoke, :process 0, :f :read, :value nil}\n`)).toThrow(/after its :info completion/);
    expect(() => validateJepsenHistory('{:index 0, :time 1, :type :ok, :process 0, :f :read, :value nil}\n')).toThrow(/nothing open/);
    expect(() => validateJepsenHistory('{:index 1, :time 1, :type :invoke, :process 0, :f :read, :value nil}\n')).toThrow(/:index must be 0/);
  });

  it('faultlab check-history and faultlab import judge the exported files as faultlab judged the runs', async () => {
    writeFileSync(join(dir, 'bad.edn'), exportJepsen(buggy.input));
    writeFileSync(join(dir, 'ok.edn'), exportJepsen(correct.input));
    const [bad, ok, imported] = await Promise.all([cli('check-history', 'bad.edn'), cli('check-history', 'ok.edn'), cli('import', 'bad.edn', '-o', 'bad.json', '--check')]);
    expect(bad.stdout).toMatch(/bad\.edn: Jepsen EDN history, kv model/);
    expect(bad.stdout).toMatch(/^verdict: NOT LINEARIZABLE \(key "k\d"/m);
    expect(bad.status).toBe(1);
    expect(ok.stdout).toMatch(/^verdict: LINEARIZABLE$/m);
    expect(ok.status).toBe(0);
    expect(imported.stdout).toMatch(/^verdict: NOT LINEARIZABLE/m);
    expect(imported.status).toBe(1);
    const json = await cli('check-history', 'bad.json', '--json');
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ format: 'faultlab-json', verdict: 'not-linearizable', operations: own(buggy).operations });
  });
});

// Porcupine's own parsers (porcupine_test.go): the kv lines it reads, and the etcd log lines.
const PORCUPINE_KV = [
  /^\{:process (\d+), :type :invoke, :f :get, :key "(.*)", :value nil\}$/,
  /^\{:process (\d+), :type :invoke, :f :put, :key "(.*)", :value "(.*)"\}$/,
  /^\{:process (\d+), :type :invoke, :f :append, :key "(.*)", :value "(.*)"\}$/,
  /^\{:process (\d+), :type :ok, :f :get, :key ".*", :value "(.*)"\}$/,
  /^\{:process (\d+), :type :ok, :f :put, :key ".*", :value ".*"\}$/,
  /^\{:process (\d+), :type :ok, :f :append, :key ".*", :value ".*"\}$/,
];
const KV_CAS = /^\{:process (\d+), :type :(invoke|ok|fail), :f :cas, :key "(.*)", :value \["(.*)" "(.*)"\]\}$/;
const PORCUPINE_ETCD = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail)\s+:(read|write|cas)\s+(nil|\d+|\[\d+ \d+\])$/;

describe('Porcupine export', () => {
  it.each([[buggy, 'not-linearizable'], [correct, 'linearizable']] as const)('round-trips through our kv EDN reader with the same verdict and counts (%#)', (run, verdict) => {
    const exported = exportPorcupine(run.input);
    expect(exported).toMatchObject({ model: 'kv', format: 'kv-edn' });
    const result = checkLinearizability(kvModel, parseKvEdn(exported.text, 'kv.txt'));
    expect(result.verdict).toBe(verdict);
    const mine = own(run);
    expect([result.operations, result.unknownOutcome, result.partitions]).toEqual([mine.operations, mine.unknownOutcome, mine.partitions]);
  });

  it('writes get, put and append exactly as Porcupine\'s kv parser reads them; a process with an operation in doubt is never used again', () => {
    const lines = exportPorcupine(buggy.input).text.trimEnd().split('\n');
    const open = new Map<string, boolean>();
    const retired = new Set<string>();
    let cas = 0;
    for (const line of lines) {
      const process = /^\{:process (\d+),/.exec(line)?.[1] as string;
      if (KV_CAS.test(line)) cas++;
      else expect(PORCUPINE_KV.some((re) => re.test(line)), line).toBe(true);
      expect(retired.has(process), `process ${process} reused: ${line}`).toBe(false);
      if (line.includes(':type :invoke')) {
        if (open.get(process)) retired.add(process);
        open.set(process, true);
      } else open.set(process, false);
    }
    expect(cas).toBeGreaterThan(0);
  });

  it('writes a register history as a Jepsen etcd log that Porcupine\'s and our parsers read, with the same verdict', () => {
    for (const lastRead of [2, 1]) {
      const history: HistoryEntry[] = [
        { client: 1, req: 1, node: 1, op: { f: 'write', value: 1 }, invokeUs: 100, completeUs: 200, outcome: 'ok', result: { ok: true } },
        { client: 2, req: 2, node: 2, op: { f: 'cas', from: 1, to: 2 }, invokeUs: 300, completeUs: 400, outcome: 'ok', result: { ok: true } },
        { client: 3, req: 3, node: 3, op: { f: 'write', value: 7 }, invokeUs: 350, completeUs: 1350, outcome: 'info' },
        { client: 1, req: 4, node: 1, op: { f: 'cas', from: 5, to: 6 }, invokeUs: 500, completeUs: 600, outcome: 'fail', result: { ok: false, error: 'cas-mismatch' } },
        { client: 2, req: 5, node: 2, op: { f: 'read' }, invokeUs: 700, completeUs: 800, outcome: 'ok', result: { ok: true, value: lastRead } },
        { client: 1, req: 6, node: 1, op: { f: 'write', value: 9 }, invokeUs: 900, completeUs: 950, outcome: 'fail', result: { ok: false, error: 'unavailable' } },
      ];
      const input = inputOf({ text: traceText(historyEvents(history)) }, 'register.jsonl');
      const exported = exportPorcupine(input);
      expect(exported.format).toBe('etcd-log');
      for (const line of exported.text.trimEnd().split('\n')) expect(line).toMatch(PORCUPINE_ETCD);
      expect(exported.text).not.toMatch(/:write\t9/); // the failed write did not happen
      const ours = checkLinearizability(registerModel, parseEtcdLog(exported.text, 'etcd.log'));
      expect(ours.verdict).toBe(checkFaultlabHistory(history, { model: 'register' }).verdict);
      expect(ours.verdict).toBe(lastRead === 2 ? 'linearizable' : 'not-linearizable');
    }
  });

  it('refuses workloads that are neither kv nor register, pointing to --format jepsen', () => {
    const history: HistoryEntry[] = [{ client: 1, req: 1, node: 1, op: { writes: [{ key: 'k1', value: 'a' }] }, invokeUs: 100, completeUs: 200, outcome: 'ok', result: { ok: true } }];
    const input = inputOf({ text: traceText(historyEvents(history)) }, 'tx.jsonl');
    expect(() => exportPorcupine(input)).toThrow(/--format porcupine: tx\.jsonl: line 2: op \{"writes".* is neither a kv operation .* export this one with --format jepsen/);
  });
});

describe('operations that touch in time stay concurrent', () => {
  it('within one microsecond, calls are written before returns, except a client\'s next call after its own return', () => {
    const history: HistoryEntry[] = [
      { client: 1, req: 1, node: 1, op: { f: 'put', key: 'x', value: 'a' }, invokeUs: 100, completeUs: 200, outcome: 'ok', result: { ok: true } },
      { client: 2, req: 2, node: 1, op: { f: 'get', key: 'x' }, invokeUs: 200, completeUs: 300, outcome: 'ok', result: { ok: true, value: '' } },
      { client: 1, req: 3, node: 1, op: { f: 'get', key: 'x' }, invokeUs: 200, completeUs: 300, outcome: 'ok', result: { ok: true, value: 'a' } },
    ];
    const input = inputOf({ text: traceText(historyEvents(history)) }, 'ties.jsonl');
    const lines = exportPorcupine(input).text.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '{:process 0, :type :invoke, :f :put, :key "x", :value "a"}',
      '{:process 1, :type :invoke, :f :get, :key "x", :value nil}',
      '{:process 0, :type :ok, :f :put, :key "x", :value "a"}',
      '{:process 0, :type :invoke, :f :get, :key "x", :value nil}',
    ]);
    // client 2's get returned "" and overlapped the put, so the history is linearizable, as faultlab says.
    expect(checkLinearizability(kvModel, parseKvEdn(lines.join('\n'), 'ties')).verdict).toBe('linearizable');
    expect(checkFaultlabHistory(history).verdict).toBe('linearizable');
  });
});
