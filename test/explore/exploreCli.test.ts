// `faultlab explore` and `faultlab replay repro.json` as a user meets them: real processes, exit
// codes (0 no failure, 1 failure with a repro written, 2 bad input with one line naming the flag),
// output that is the same for the same flags (but the timing line) whatever the worker count,
// shards that together are the whole sweep, and repro files that replay exactly.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/faultlab');
const dir = mkdtempSync(join(tmpdir(), 'faultlab-explore-'));

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const untimed = (stdout: string): string => stdout.replace(/^time: .*$/m, '');

describe('faultlab explore', () => {
  test('finds a bug, shrinks it, writes a repro, and the repro replays exactly (with a trace for the viewer)', () => {
    const r = cli('explore', 'heartbeat', '--bug', 'never-fail', '--runs', '60', '--workers', '2', '--out', 'nf.json');
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAILED at run \d+ .*liveness violation: completeness/m);
    expect(r.stdout).toMatch(/^counterexample \(1-minimal: (without its only fault|removing any one of its \d+ faults makes) this failure go(es)? away\):$/m);
    expect(r.stdout).toContain('replay: faultlab replay nf.json');
    expect(r.stdout).toContain('the correct heartbeat passes this schedule: the failure is the bug\'s');
    const repro = JSON.parse(readFileSync(join(dir, 'nf.json'), 'utf8'));
    expect(repro).toMatchObject({ faultlabRepro: 1, protocol: 'heartbeat', bug: 'never-fail', verdict: { kind: 'liveness', checker: 'completeness' }, origin: { strategy: 'swarm', sweepSeed: 1 } });
    expect(repro.faultlabVersion).toMatch(/^\d+\.\d+\.\d+/);

    const replay = cli('replay', 'nf.json', '--trace', 'nf.jsonl');
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain(`identical: same verdict, trace hash ${repro.traceHash}`);
    expect(existsSync(join(dir, 'nf.jsonl'))).toBe(true);
    // This counterexample has an empty tape and no PCT, so its trace replays on its own too.
    expect(repro.tape).toEqual({});
    const traceReplay = cli('replay', 'nf.jsonl');
    expect(traceReplay.stdout).toContain(`identical: every line matches; trace hash ${repro.traceHash}`);
  });

  test('--clients and --client-ops bound every run of the sweep, the shrunk counterexample and its replay', () => {
    const r = cli('explore', '2pc', '--bug', 'commit-on-timeout', '--clients', '3', '--client-ops', '1', '--runs', '100', '--workers', '2', '--out', 'ops.json');
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^explore 2pc --bug commit-on-timeout: .*, up to 8 faults, 3 clients, at most 1 operation each$/m);
    expect(r.stdout).toMatch(/^ {2}seed \d+, \d nodes, 3 clients, at most 1 operation each, fault phase/m);
    const repro = JSON.parse(readFileSync(join(dir, 'ops.json'), 'utf8'));
    expect(repro.options.clients).toEqual({ count: 3, timeoutUs: 10_000_000, thinkUs: 10_000, ops: 1 });
    const replay = cli('replay', 'ops.json', '--trace', 'ops.jsonl');
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain(`identical: same verdict, trace hash ${repro.traceHash}`);
    const invokes = readFileSync(join(dir, 'ops.jsonl'), 'utf8').split('\n').filter((line) => line.includes('"kind":"invoke"'));
    expect(invokes.length).toBeGreaterThan(0);
    expect(invokes.length).toBeLessThanOrEqual(3);
    const json = JSON.parse(cli('explore', '2pc', '--clients', '2', '--client-ops', '1', '--runs', '4', '--workers', '1', '--json').stdout);
    expect(json.explore.clients).toEqual({ count: 2, ops: 1 });
  });

  test('output depends on the flags only (not on the worker count), but for the timing line', () => {
    const a = cli('explore', 'swim', '--bug', 'bump-suspect-incarnation', '--strategy', 'pct', '--runs', '40', '--workers', '1', '--out', 'a.json', '--max-shrinks', '40');
    const b = cli('explore', 'swim', '--bug', 'bump-suspect-incarnation', '--strategy', 'pct', '--runs', '40', '--workers', '2', '--out', 'a.json', '--max-shrinks', '40');
    expect(a.code).toBe(1);
    expect(untimed(b.stdout)).toBe(untimed(a.stdout));
    expect(a.stdout).toMatch(/scheduling: PCT, depth 3/);
  });

  test('no failure: exit 0 and how often each sometimes-check was reached; --time ends by itself', () => {
    const r = cli('explore', 'heartbeat', '--runs', '30', '--strategy', 'random', '--workers', '2');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^no failure in 30 runs$/m);
    expect(r.stdout).toMatch(/^sometimes-checks reached: false-suspicion \d+\/30$/m);
    const timed = cli('explore', 'heartbeat', '--time', '1s', '--workers', '1');
    expect(timed.code).toBe(0);
    expect(timed.stdout).toMatch(/^no failure in [1-9][\d,]* runs?$/m);
  });

  test('shards: together they explore exactly the unsharded sweep (same run count, same per-check tallies)', () => {
    const whole = JSON.parse(cli('explore', 'swim', '--runs', '24', '--json', '--workers', '2').stdout);
    const parts = [1, 2, 3].map((i) => JSON.parse(cli('explore', 'swim', '--runs', '24', '--json', '--workers', '1', '--shard', `${i}/3`).stdout));
    expect(parts.map((p) => p.runs)).toEqual([8, 8, 8]);
    expect(whole.runs).toBe(24);
    for (const name of Object.keys(whole.reached)) expect(parts.reduce((sum, p) => sum + p.reached[name], 0)).toBe(whole.reached[name]);
  });

  test('explores your own protocol from its module, in the workers too, and replays it with --spec', () => {
    const module = join(ROOT, 'examples/gcounter/spec.ts');
    const r = cli('explore', module, '--bug', 'sum-merge', '--runs', '6', '--workers', '2', '--out', 'gc.json');
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAILED at run 0 .*safety violation: no-overcount/m);
    expect(r.stdout).toContain(`replay: faultlab replay gc.json --spec ${module}`);
    expect(cli('replay', 'gc.json', '--spec', module).code).toBe(0);
    const wrong = cli('replay', 'gc.json');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^faultlab: gc\.json: protocol "gcounter" is not known .*; for your own protocol add --spec <module>$/m);
  });

  test('--bug list lists the buggy variants', () => {
    const r = cli('explore', 'raft', '--bug', 'list');
    expect(r.code).toBe(0);
    for (const bug of ['vote-without-log-check', 'commit-old-terms', 'truncate-on-append', 'stale-read', 'forget-vote']) expect(r.stdout).toMatch(new RegExp(`^${bug} +\\S`, 'm'));
  });

  test.each([
    [['explore', 'heartbeat', '--runs', '0'], /^faultlab: --runs: expected a whole number from 1/],
    [['explore', 'heartbeat', '--runs', '5', '--time', '1s'], /^faultlab: --time: cannot be combined with --runs/],
    [['explore', 'heartbeat', '--strategy', 'dfs'], /^faultlab: --strategy: expected one of swarm, pct, random; got "dfs"/],
    [['explore', 'heartbeat', '--shard', '4/3'], /^faultlab: --shard: expected i\/n with 1 <= i <= n/],
    [['explore', 'heartbeat', '--bug', 'nope'], /^faultlab: --bug: "nope" is not a bug of heartbeat; expected one of: never-fail, early-fail \(or list\)/],
    [['explore', 'paxos'], /^faultlab: explore: unknown protocol "paxos"; expected one of/],
    [['explore', './missing/spec.ts'], /^faultlab: protocol: cannot read \.\/missing\/spec\.ts: no such file/],
    [['explore', 'heartbeat', '--time', 'soon'], /^faultlab: --time: /],
    [['explore', 'heartbeat', '--duration', '0s'], /^faultlab: --duration: expected a fault phase of at least 1ms/],
    [['explore', 'heartbeat', '--set', 'interval=soon'], /^faultlab: --set \(heartbeat settings\): interval/],
    [['explore', '2pc', '--client-ops', '0'], /^faultlab: --client-ops: expected a whole number from 1 to 1000000000; got "0"/],
    [['explore', '2pc', '--client-ops', 'x'], /^faultlab: --client-ops: expected a whole number from 1 to 1000000000; got "x"/],
    [['explore', '2pc', '--clients', '-1'], /^faultlab: --clients: expected a whole number from 0 to 10000; got "-1"/],
    [['explore', 'heartbeat', '--clients', '3'], /^faultlab: --clients: heartbeat has no client workload/],
    [['explore', 'heartbeat', '--client-ops', '1'], /^faultlab: --client-ops: heartbeat has no client workload/],
    [['replay', 'absent.json'], /^faultlab: replay: cannot read absent\.json: no such file/],
  ])('bad input %j exits 2 with one line naming the flag', (args, message) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });
});
