// `faultlab compare` as a user meets it: real processes of bin/faultlab running a small comparison
// on worker threads, the table they print, the per-run figures of --json (whose medians this test
// recomputes), the same output whatever the number of workers, and one-line errors for bad input.
// Also the table renderer on hand-made runs, for what a real small run cannot show (failed runs).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { humanDuration } from '../../sim/duration.ts';
import { aggregate } from '../../sim/cli/compareAggregate.ts';
import type { CompareRun } from '../../sim/cli/compareJob.ts';
import { renderGroup } from '../../sim/cli/compareTable.ts';

const BIN = join(import.meta.dirname, '../../bin/faultlab');

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Nearest rank, written out independently of sim/stats.ts. */
function nearestRank(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] as number;
}

const SMALL = ['compare', 'heartbeat', '--nodes', '4,6', '--seeds', '3', '--loss', '0.05'];

interface JsonReport {
  runs: CompareRun[];
  table: { nodes: number; rows: { key: string }[]; protocols: Record<string, { runs: number; failed: number; figures: Record<string, { count: number; median: number | null; p95: number | null }> }> }[];
  failed: number;
}

describe('faultlab compare', () => {
  test('prints a table per cluster size with every detector row, and exits 0 when all runs pass', () => {
    const r = cli(...SMALL, '--workers', '2');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^compare: 6\/6 runs in [\d.]+s wall time$/m);
    expect(r.stdout).toContain('N = 4 nodes, loss 5%, latency 1ms..10ms, fault phase 10s, 3 seeds, 1 permanent crash per run\n');
    expect(r.stdout).toContain('N = 6 nodes, loss 5%');
    expect(r.stdout).toMatch(/^ +heartbeat$/m);
    expect(r.stdout).toMatch(/^metric +median +p95$/m);
    for (const label of ['first suspicion', 'detection \\(declared failed\\)', 'full dissemination', 'crashes never detected \\(per run\\)', 'false suspicions \\(per run\\)', 'false failure declarations \\(/run\\)', 'messages per member per period', 'messages per member per second']) {
      expect(r.stdout).toMatch(new RegExp(`^${label} +\\S+ +\\S+$`, 'm'));
    }
    expect(r.stdout).toMatch(/^protocol period +100ms +100ms$/m);
    expect(r.stdout).toMatch(/^crashes never detected \(per run\) +0 +0$/m);
    expect(r.stdout).toContain('checks: heartbeat 3/3 runs passed');
    expect(r.stdout.trimEnd().endsWith('all 6 runs passed their checks')).toBe(true);
  });

  test('--json: per-run figures, and the medians and p95s of the table follow from them', () => {
    const r = cli(...SMALL, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.runs.map((run) => `${run.protocol}/${run.nodes}/${run.seed}`)).toEqual(['heartbeat/4/1', 'heartbeat/4/2', 'heartbeat/4/3', 'heartbeat/6/1', 'heartbeat/6/2', 'heartbeat/6/3']);
    expect(report.failed).toBe(0);
    for (const run of report.runs) {
      expect(run.verdict).toBe('pass');
      expect(run.crashes).toHaveLength(1);
      expect(run.metrics.crashes).toBe(1);
      expect(run.metrics.detectionUs).toHaveLength(1);
      expect(run.metrics.messagesPerMemberPerSecond).toBeCloseTo(((run.metrics.messagesPerMemberPerPeriod as number) * 1e6) / (run.metrics.periodUs as number));
    }
    // Seed s crashes the same node at the same time whatever the protocol: here, the same per seed and size.
    expect(report.runs[0]?.crashes).not.toEqual(report.runs[1]?.crashes);
    for (const group of report.table) {
      const runs = report.runs.filter((run) => run.nodes === group.nodes);
      const figures = group.protocols.heartbeat?.figures ?? {};
      for (const key of ['firstSuspicionUs', 'detectionUs', 'disseminationUs', 'falseSuspicions', 'falseDown', 'messagesPerMemberPerSecond']) {
        const values = runs.flatMap((run) => {
          const v = run.metrics[key];
          return v === null || v === undefined ? [] : Array.isArray(v) ? v : [v];
        });
        expect(figures[key], `${group.nodes}/${key}`).toEqual({ count: 3, median: nearestRank(values, 50), p95: nearestRank(values, 95), max: nearestRank(values, 100) });
      }
    }
    // The text table prints the same figures.
    const text = cli(...SMALL).stdout;
    const detection = report.table[0]?.protocols.heartbeat?.figures.detectionUs;
    const row = /^detection \(declared failed\) +(\S+) +(\S+)$/m.exec(text);
    expect(row?.slice(1)).toEqual([humanDuration(detection?.median as number), humanDuration(detection?.p95 as number)]);
  });

  test('the output is the same with one worker as with two', () => {
    const one = cli(...SMALL, '--json', '--workers', '1');
    const two = cli(...SMALL, '--json', '--workers', '2');
    expect(one.code).toBe(0);
    expect(one.stdout).toBe(two.stdout);
    const tiny = ['compare', 'heartbeat', '--nodes', '5', '--seeds', '2', '--loss', '0.05'];
    expect(cli(...tiny, '--workers', '1').stdout).toBe(cli(...tiny, '--workers', '2').stdout);
  });
});

describe('compare: bad input is one line naming the field, exit code 2', () => {
  const cases: [string[], RegExp][] = [
    [['compare', 'paxos'], /^faultlab: compare: unknown protocol "paxos"; expected one or more of [a-z0-9, ]*heartbeat/],
    [['compare', 'heartbeat', 'heartbeat'], /^faultlab: compare: heartbeat is listed twice/],
    [['compare'], /^faultlab: missing required argument 'protocols'/],
    [['compare', 'heartbeat', '--nodes', '0'], /^faultlab: --nodes: expected comma-separated whole numbers from 1 to 1000/],
    [['compare', 'heartbeat', '--nodes', '8,x'], /^faultlab: --nodes: expected comma-separated whole numbers/],
    [['compare', 'heartbeat', '--nodes', '8,8'], /^faultlab: --nodes: 8 is listed twice/],
    [['compare', 'heartbeat', '--nodes', '4,8', '--crashes', '4'], /^faultlab: --crashes: expected fewer crashes than nodes; 4 crashes per run need clusters of at least 5 nodes, but --nodes includes 4/],
    [['compare', 'heartbeat', '--loss', '2'], /^faultlab: --loss: expected a probability between 0 and 1/],
    [['compare', 'heartbeat', '--seeds', '0'], /^faultlab: --seeds: expected a whole number from 1/],
    [['compare', 'heartbeat', '--workers', '0'], /^faultlab: --workers: expected a whole number from 1/],
    [['compare', 'heartbeat', '--duration', '5ms'], /^faultlab: --duration: expected a fault phase of at least 10ms/],
    [['compare', 'heartbeat', '--latency', '5ms..1ms'], /^faultlab: --latency: the maximum 1ms is below the minimum 5ms/],
  ];
  test.each(cases)('%j', (args, message) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});

describe('compare table', () => {
  const run = (protocol: string, seed: number, detectionUs: number[], falseDown: number, failure?: string): CompareRun => ({
    protocol, nodes: 8, seed, healUs: 1_000_000, crashes: [{ node: 3, atUs: 2_500_000 }], verdict: failure ? 'liveness' : 'pass', ...(failure ? { failure } : {}),
    messagesSent: 100, virtualUs: 11_000_000,
    metrics: { crashes: 1, detectionUs, undetected: detectionUs.length === 0 ? 1 : 0, falseDown, periodUs: protocol === 'a' ? 100_000 : 500_000, extraFigure: null },
  });
  const runs = [run('a', 1, [300_000], 2), run('a', 2, [250_000], 0), run('long-protocol-name', 1, [], 0, 'liveness violation: completeness: n3 is not Failed at n1'), run('long-protocol-name', 2, [1_200_000], 1)];
  const [group] = aggregate(runs, ['a', 'long-protocol-name'], [8]);

  test('pools list metrics, takes per-run figures over runs, and shows - for no values', () => {
    const lines = renderGroup(group!, 'heading');
    expect(lines.slice(0, 3)).toEqual([
      'heading',
      '                                   a                     long-protocol-name',
      'metric                             median     p95        median     p95',
    ]);
    expect(lines).toContain('detection (declared failed)        250ms      300ms      1.2s       1.2s');
    expect(lines).toContain('crashes never detected (per run)   0          0          0          1');
    expect(lines).toContain('protocol period                    100ms      100ms      500ms      500ms');
    expect(lines).toContain('extraFigure                        -          -          -          -');
    expect(lines.some((l) => /^crashes +\d/.test(l))).toBe(false);
  });

  test('says loudly which runs failed their checks', () => {
    const lines = renderGroup(group!, 'heading');
    expect(lines).toContain('checks: a 2/2 runs passed, long-protocol-name 1/2 runs passed');
    expect(lines).toContain('!! long-protocol-name: 1 of 2 runs FAILED their checks (their figures are included above):');
    expect(lines).toContain('     seed 1 (crash n3 at 2.5s): liveness violation: completeness: n3 is not Failed at n1');
  });
});
