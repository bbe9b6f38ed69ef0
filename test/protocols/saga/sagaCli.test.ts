// The saga through the command line, as a user meets it: both variants run with the flags every
// protocol takes, print their checks and saga metrics, write a trace that replays identically,
// carry the metrics in --json, and list their settings and bugs (a cluster too small is rejected
// in sagaRuns.test.ts, through the same resolveRun the CLI calls).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../../bin/faultlab');
const dir = mkdtempSync(join(tmpdir(), 'faultlab-saga-'));

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('faultlab run saga', () => {
  it('orchestration: prints every check, the saga metrics and a trace that replays identically', () => {
    const r = cli('run', 'saga', '--seed', '3', '--duration', '3s', '--loss', '0.02', '--out', 'saga.jsonl');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const check of ['effects-once', 'compensation-needs-step', 'semantic-atomicity', 'client-sees-outcome', 'sagas-end']) expect(r.stdout).toMatch(new RegExp(`held +${check} `));
    expect(r.stdout).toMatch(/sagasCompensated: [\d,]+/);
    expect(r.stdout).toMatch(/payment\.breakerOpenUs: /);
    expect(r.stdout).toMatch(/StepRequest: [\d,]+ sent/);
    const replay = cli('replay', 'saga.jsonl');
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('identical');
  });

  it('choreography (--set variant=choreography) on 4 nodes, with --json', () => {
    const r = cli('run', 'saga', '--set', 'variant=choreography', '--nodes', '4', '--seed', '3', '--duration', '3s', '--no-trace', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { verdict: { kind: string }; protocolMetrics: Record<string, unknown>; metrics: { byType: Record<string, unknown> } };
    expect(json.verdict.kind).toBe('pass');
    expect(json.protocolMetrics).toMatchObject({ sagasStarted: expect.any(Number), compensations: expect.any(Number), retries: expect.any(Number) });
    expect(Object.keys(json.metrics.byType)).toEqual(expect.arrayContaining(['OrderCreated', 'PaymentCharged', 'EventAck']));
  });

  it('a buggy variant fails with exit code 1 and names the broken check', () => {
    const r = cli('run', 'saga', '--bug', 'forward-order-compensation', '--duration', '1s', '--no-trace');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/verdict: FAIL \(safety violation: semantic-atomicity: saga \d+: order was compensated while/);
  });

  it('lists its settings and bugs', () => {
    const list = cli('protocols');
    expect(list.stdout).toMatch(/^saga: /m);
    expect(list.stdout).toMatch(/variant=orchestration +orchestration \(n1 runs the saga/);
    for (const bug of ['non-idempotent-compensation', 'non-idempotent-step', 'forward-order-compensation', 'volatile-saga-log']) expect(list.stdout).toContain(`--bug ${bug}:`);
  });
});
