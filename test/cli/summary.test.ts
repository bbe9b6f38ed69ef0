// The run summary's protocol-metrics block, from a real `faultlab run`: readable labels, durations in human form,
// lists as count, median and max, counts as numbers; and the same figures in `run --json`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/faultlab');
const dir = mkdtempSync(join(tmpdir(), 'faultlab-summary-'));

function cli(...args: string[]): { code: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout };
}

test('a run prints its protocol metrics after the engine metrics, and --json carries them', () => {
  writeFileSync(join(dir, 'plan.json'), JSON.stringify({ faults: [{ at: '1s', type: 'crash', node: 'n2' }, { at: '2s', type: 'crash', node: 'n4' }] }));
  const args = ['run', 'heartbeat', '--duration', '4s', '--fault-plan', 'plan.json', '--no-trace'];
  const text = cli(...args);
  expect(text.code).toBe(0);
  const block = text.stdout.slice(text.stdout.indexOf('  protocol metrics:\n'), text.stdout.indexOf('\ntrace:'));
  expect(text.stdout.indexOf('  protocol metrics:')).toBeGreaterThan(text.stdout.indexOf('metrics: '));
  expect(block).toMatch(/^ {4}crashes: 2$/m);
  expect(block).toMatch(/^ {4}detection \(declared failed\): 2 values, median [\d.]+ms, max [\d.]+ms$/m);
  expect(block).toMatch(/^ {4}crashes never detected: 0$/m);
  expect(block).toMatch(/^ {4}false failure declarations: 0$/m);
  expect(block).toMatch(/^ {4}protocol period: 100ms$/m);
  expect(block).toMatch(/^ {4}messages per member per period: [\d.]+$/m);

  const json = JSON.parse(cli(...args, '--json').stdout) as { protocolMetrics: Record<string, unknown> };
  expect(json.protocolMetrics.crashes).toBe(2);
  expect(json.protocolMetrics.detectionUs).toHaveLength(2);
  const [a, b] = (json.protocolMetrics.detectionUs as number[]).slice().sort((x, y) => x - y);
  expect(block).toContain(`median ${+((a as number) / 1000).toFixed(3)}ms, max ${+((b as number) / 1000).toFixed(3)}ms`);
});
