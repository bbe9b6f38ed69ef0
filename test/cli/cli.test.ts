// The command line as a user meets it: real processes of bin/faultlab, their exit codes, their
// one-line errors, the trace files they leave (or do not leave) behind, and replay.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/faultlab');
const dir = mkdtempSync(join(tmpdir(), 'faultlab-cli-'));

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('faultlab run', () => {
  test('prints the verdict, metrics, trace hash and replay command, and writes the trace', () => {
    const plan = join(dir, 'plan.json');
    writeFileSync(plan, JSON.stringify({ faults: [{ at: '2s', type: 'crash', node: 'n2' }, { at: '3s', for: '1s', type: 'partition', groups: [['n1'], ['n3', 'n4', 'n5']] }] }));
    const r = cli('run', 'heartbeat', '--nodes', '5', '--seed', '42', '--duration', '5s', '--loss', '0.05', '--latency', '1ms..10ms', '--fault-plan', plan, '--out', 'run.jsonl');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/verdict: PASS/);
    expect(r.stdout).toMatch(/dropped \(crashed [\d,]+, loss [\d,]+, partition [\d,]+\)/);
    expect(r.stdout).toMatch(/hash [0-9a-f]{16}/);
    expect(r.stdout).toContain('replay: faultlab replay run.jsonl');
    const lines = readFileSync(join(dir, 'run.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0] as string).faultlab).toBe(1);
    expect(JSON.parse(lines[lines.length - 1] as string).end).toBe(true);

    const replay = cli('replay', 'run.jsonl');
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('identical');
  });

  test('a buggy variant fails with exit code 1 and names the broken check', () => {
    const r = cli('run', 'heartbeat', '--bug', 'early-fail', '--duration', '2s', '--no-trace');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/verdict: FAIL \(safety violation: accuracy: n\d declared n\d Failed/);
    expect(r.stdout).toContain('trace: not written');
  });

  test('--client-ops caps each client\'s operations; the summary, the JSON, the trace and its replay keep the budget', () => {
    const r = cli('run', '2pc', '--clients', '3', '--client-ops', '2', '--duration', '2s', '--out', 'ops.jsonl');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ {2}clients: 6 invoked \(at most 2 per client\), /m);
    const header = JSON.parse(readFileSync(join(dir, 'ops.jsonl'), 'utf8').split('\n')[0] as string);
    expect(header.options.clients).toMatchObject({ count: 3, ops: 2 });
    expect(cli('replay', 'ops.jsonl').stdout).toContain('identical');
    const json = JSON.parse(cli('run', '2pc', '--clients', '3', '--client-ops', '2', '--duration', '2s', '--no-trace', '--json').stdout);
    expect(json.metrics.clients.invoked).toBe(6);
    expect(json.history).toHaveLength(6);
    expect(json.replay).toContain('--client-ops 2');
  });

  test('--swarm draws and prints options and a fault plan from the seed, the same each time', () => {
    const a = cli('run', 'heartbeat', '--swarm', '--seed', '7', '--duration', '5s', '--no-trace');
    const b = cli('run', 'heartbeat', '--swarm', '--seed', '7', '--duration', '5s', '--no-trace');
    expect(a.stdout).toMatch(/swarm draw for seed 7/);
    expect(a.stdout).toMatch(/\{"faults":\[/);
    expect(a.stdout.replace(/in [\d.]+s wall \([\d,.]+x real time\)/, '')).toBe(b.stdout.replace(/in [\d.]+s wall \([\d,.]+x real time\)/, ''));
    const c = cli('run', 'heartbeat', '--swarm', '--seed', '8', '--duration', '5s', '--no-trace');
    expect(c.stdout).not.toBe(a.stdout);
  });
});

test.each<[string, string[]]>([
  ['defaults', ['heartbeat']],
  ['settings, a bug, a heal phase and clients', ['raft', '--set', 'heartbeat=40ms', '--bug', 'stale-read', '--heal', '16s', '--clients', '2', '--client-think', '50ms']],
  ['a client budget', ['2pc', '--clients', '2', '--client-ops', '2']],
])('the by-hand command --swarm prints reproduces the swarm run exactly (%s)', (_what, args) => {
  const swarm = cli('run', ...args, '--swarm', '--seed', '11', '--duration', '3s', '--out', 'swarm11.jsonl');
  const plan = /^ {2}fault plan: (.*)$/m.exec(swarm.stdout)?.[1] as string;
  writeFileSync(join(dir, 'plan.json'), plan);
  const byHand = /^ {4}faultlab (run .*)$/m.exec(swarm.stdout)?.[1] as string;
  const hand = cli(...byHand.split(' '), '--out', 'hand11.jsonl');
  const hash = (out: string) => /hash ([0-9a-f]{16})/.exec(out)?.[1];
  expect(hand.code).toBe(swarm.code);
  expect(hash(hand.stdout)).toBeDefined();
  expect(hash(hand.stdout)).toBe(hash(swarm.stdout));
});

test('--variant picks a protocol variant (same as --set variant=...), and a conflicting --set is refused', () => {
  const r = cli('run', 'saga', '--variant', 'choreography', '--duration', '2s', '--no-trace');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/settings: variant=choreography /);
  const both = cli('run', 'saga', '--variant', 'choreography', '--set', 'variant=orchestration', '--no-trace');
  expect(both.code).toBe(2);
  expect(both.stderr).toMatch(/^faultlab: --variant: "choreography" disagrees with --set variant=orchestration/);
});

describe('bad input: one line naming the field, exit code 2, no trace left behind', () => {
  const cases: [string[], RegExp][] = [
    [['run', 'heartbeat', '--loss', '2'], /^faultlab: --loss: expected a probability between 0 and 1/],
    [['run', 'heartbeat', '--nodes', 'x'], /^faultlab: --nodes: expected a whole number/],
    [['run', 'heartbeat', '--duration', '30'], /^faultlab: --duration: expected a duration with a unit/],
    [['run', 'heartbeat', '--latency', '5ms..1ms'], /^faultlab: --latency: the maximum 1ms is below the minimum 5ms/],
    [['run', 'heartbeat', '--frobnicate'], /^faultlab: unknown option '--frobnicate'/],
    [['run', 'paxos'], /^faultlab: run: unknown protocol "paxos"/],
    [['run', 'heartbeat', '--set', 'interval=soon'], /^faultlab: --set \(heartbeat settings\): interval: expected a duration/],
    [['run', 'heartbeat', '--bug', 'nope'], /^faultlab: --bug: "nope" is not a bug of heartbeat/],
    [['run', 'heartbeat', '--clients', '3'], /^faultlab: --clients: heartbeat has no client workload/],
    [['run', '2pc', '--client-ops', '0'], /^faultlab: --client-ops: expected a whole number from 1 to 1000000000; got "0"$/],
    [['run', '2pc', '--client-ops', '-2'], /^faultlab: --client-ops: expected a whole number from 1 to 1000000000; got "-2"$/],
    [['run', '2pc', '--client-ops', '1.5'], /^faultlab: --client-ops: expected a whole number from 1 to 1000000000; got "1\.5"$/],
    [['run', '2pc', '--client-ops', 'x'], /^faultlab: --client-ops: expected a whole number from 1 to 1000000000; got "x"$/],
    [['run', 'heartbeat', '--client-ops', '2'], /^faultlab: --client-ops: heartbeat has no client workload/],
    [['run', 'heartbeat', '--duration', '1s', '--out', '/proc/faultlab-test.jsonl'], /^faultlab: --out: cannot write \/proc\/faultlab-test.jsonl: ENOENT/],
    [['run', 'heartbeat', '--duration', '1s', '--out', 'run.jsonl/x.jsonl'], /^faultlab: --out: cannot create the folder for run.jsonl\/x.jsonl/],
    [['run', 'heartbeat', '--fault-plan', 'missing.json'], /^faultlab: --fault-plan: cannot read missing.json: no such file/],
    [['run', 'heartbeat', '--heal', '10ms', '--out', 'short.jsonl'], /^faultlab: heal: the heal phase \(10ms\) is shorter than the bound/],
  ];
  test.each(cases)('%j', (args, message) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('a bad fault plan names the fault and field', () => {
    writeFileSync(join(dir, 'bad-plan.json'), JSON.stringify({ faults: [{ at: '1s', type: 'crash', node: 'n2' }, { at: '2s', type: 'crash', node: 'n9' }] }));
    const r = cli('run', 'heartbeat', '--fault-plan', 'bad-plan.json', '--out', 'bad-plan-run.jsonl');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/faults\[1\]\.node: n9 does not exist \(the cluster has n1..n5\)/);
    writeFileSync(join(dir, 'bad-json.json'), '{ "faults": [ ');
    expect(cli('run', 'heartbeat', '--fault-plan', 'bad-json.json').stderr).toMatch(/is not valid JSON/);
    expect(readdirSync(dir).filter((f) => f.startsWith('bad-plan-run') || f.includes('.tmp-'))).toEqual([]);
    expect(existsSync(join(dir, 'short.jsonl'))).toBe(false);
  });

  test('bad traces: truncated, wrong version, unknown event kind, edited', () => {
    expect(cli('run', 'heartbeat', '--duration', '2s', '--out', 'good.jsonl').code).toBe(0);
    const text = readFileSync(join(dir, 'good.jsonl'), 'utf8');
    const lines = text.split('\n');
    const variants: [string, string, RegExp][] = [
      ['cut.jsonl', text.slice(0, Math.floor(text.length / 2)), /line \d+: the last line has no newline: the file was cut short \(truncated\)/],
      ['few.jsonl', `${lines.slice(0, 40).join('\n')}\n`, /line 41: the trace ends without its end record/],
      ['v2.jsonl', text.replace('"faultlab":1', '"faultlab":2'), /line 1: unsupported trace version 2/],
      ['kind.jsonl', text.replace('"kind":"deliver"', '"kind":"teleport"'), /line \d+: unknown event kind "teleport"/],
      ['edit.jsonl', text.replace('"sentAtUs":', '"sentAtUs":1'), /the trace hash does not match .*; line \d+ differs from a fresh replay/],
    ];
    for (const [name, content, message] of variants) {
      writeFileSync(join(dir, name), content);
      const r = cli('replay', name);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(message);
    }
  });
});
