// 2PC as a user meets it on the command line: `faultlab run 2pc` with the flags every protocol
// takes, its summary (checks, the blocking metrics), --json with the blocked durations for a chart,
// a buggy variant failing with exit code 1, and a bad setting named in a one-line error.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../../bin/faultlab');
const dir = mkdtempSync(join(tmpdir(), 'faultlab-2pc-'));

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('faultlab run 2pc', () => {
  it('prints every check, the clients and the blocking metrics; --json carries the blocked durations', () => {
    const plan = join(dir, 'crash-coordinator.json');
    writeFileSync(plan, JSON.stringify({ faults: [{ type: 'crash', at: '2s', node: 'n1', for: '2s' }] }));
    const r = cli('run', '2pc', '--seed', '1', '--nodes', '4', '--duration', '5s', '--fault-plan', plan, '--no-trace');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^faultlab run 2pc: seed 1, 4 nodes/);
    expect(r.stdout).toContain('settings: coordinator=1 prepareTimeout=5s resend=500ms askAfter=1s termination=true refuse=0.02');
    for (const check of ['no-unilateral-abort', 'valid-commit', 'stable-decision', 'atomicity', 'termination']) expect(r.stdout).toMatch(new RegExp(`held +${check} \\(`));
    expect(r.stdout).toMatch(/blockedUs: [\d,]+ values, median [\d.]+ms, max [\d.]+m?s/);
    expect(r.stdout).toMatch(/blockedP95Us: [\d.]+ms/);
    const json = JSON.parse(cli('run', '2pc', '--seed', '1', '--nodes', '4', '--duration', '5s', '--fault-plan', plan, '--no-trace', '--json').stdout) as { verdict: unknown; protocolMetrics: Record<string, unknown> };
    expect(json.verdict).toEqual({ kind: 'pass' });
    expect(Array.isArray(json.protocolMetrics.blockedUs)).toBe(true);
    expect((json.protocolMetrics.blockedUs as number[]).length).toBeGreaterThan(100);
    expect(json.protocolMetrics.transactions).toBeGreaterThan(100);
  }, 60_000);

  it('a buggy variant fails with exit code 1 and names the broken check; a bad setting is one line, exit code 2', () => {
    const plan = join(dir, 'crash-participant.json');
    writeFileSync(plan, JSON.stringify({ faults: [{ type: 'crash', at: '1s', node: 'n3', for: '5s' }] }));
    const r = cli('run', '2pc', '--bug', 'commit-on-timeout', '--nodes', '4', '--duration', '6s', '--fault-plan', plan, '--no-trace');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/verdict: FAIL \(safety violation: valid-commit: transaction 1\.\d+ was committed \(at n1\) without a yes vote from n3\)/);
    const bad = cli('run', '2pc', '--set', 'coordinator=n9', '--no-trace');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('faultlab: --set (2pc settings): coordinator: n9 does not exist (the cluster has n1..n5)\n');
  }, 60_000);
});
