// The viewer's Export control in real headless Chromium: every format downloads a file that is
// byte for byte what exportTraces gives in Node for the same trace (and, for one, what the CLI's
// `faultlab export` prints), under the exporter's file name, both for a trace opened from a file
// and for a run simulated in the page; with a fork loaded, ShiViz takes both branches. A run
// without clients has Jepsen and Porcupine disabled with the reason, and forcing one shows the
// exporter's message in the error banner. Screenshot: test-results/viewer-export.png.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { EXPORT_FORMATS, exportTraces, type ExportedFile, type ExportFormat } from '../../sim/export/formats.ts';
import { readTrace } from '../../sim/traceReader.ts';
import { runSpecToParams } from '../../web/run/runSpec.ts';
import { simulateFork } from '../../web/worker/simulate.ts';
import { openPage, settled, startViewer, stopViewer, type Viewer } from './browser.ts';
import { RAFT_PARTITIONED, runSpec, traceText } from './webTraces.ts';

let v: Viewer;
const dir = mkdtempSync(join(tmpdir(), 'faultlab-export-'));
const RAFT = RAFT_PARTITIONED;
const raftText = traceText(RAFT);
const raftFile = join(dir, 'raft-seed5.jsonl');

beforeAll(async () => {
  v = await startViewer();
  writeFileSync(raftFile, raftText);
}, 60_000);

afterAll(async () => {
  await stopViewer(v);
  rmSync(dir, { recursive: true, force: true });
});

interface Traced { text: string; source: string }

/** What `faultlab export` makes of these traces: read as the CLI reads a file, named by `source`. */
function expected(format: ExportFormat, traces: readonly Traced[]): ExportedFile {
  return exportTraces(format, traces.map(({ text, source }) => {
    const trace = readTrace(text, source);
    return { header: trace.header, events: trace.events, source };
  }));
}

interface Downloaded { name: string; bytes: Buffer; notice: string }

/** Chooses a format, presses Export and returns the downloaded file and the status notice. */
async function exportAs(page: Page, value: string): Promise<Downloaded> {
  await page.selectOption('#export-format', value);
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('#export')]);
  const name = download.suggestedFilename();
  const bytes = readFileSync(await download.path());
  await page.waitForFunction((n) => !document.getElementById('notice')?.hidden && document.getElementById('notice-text')?.textContent?.startsWith(`${n}:`), name, { timeout: 20_000 });
  return { name, bytes, notice: (await page.textContent('#notice-text')) ?? '' };
}

/** The byte where two files first differ (-1: identical), so a failure says where. */
function firstDifference(got: Buffer, want: Buffer): number {
  const n = Math.min(got.length, want.length);
  for (let i = 0; i < n; i++) if (got[i] !== want[i]) return i;
  return got.length === want.length ? -1 : n;
}

function expectSameFile(got: Downloaded, want: ExportedFile): void {
  expect(got.name).toBe(want.fileName);
  const bytes = Buffer.from(want.text, 'utf8');
  const at = firstDifference(got.bytes, bytes);
  const around = (b: Buffer) => JSON.stringify(b.subarray(Math.max(0, at - 40), at + 40).toString('utf8'));
  expect(at, `${want.fileName} differs at byte ${at}: got ${around(got.bytes)}, want ${around(bytes)}`).toBe(-1);
  expect(got.notice).toBe(`${want.fileName}: ${want.summary}`);
}

test('a trace opened from a file: all four formats download exactly what faultlab export writes', async () => {
  const { page, errors } = await openPage(v, '?protocol=heartbeat&seed=1&duration=1s');
  expect(await settled(page)).toBe('');
  await page.setInputFiles('#file', raftFile);
  expect(await settled(page, 2)).toBe('');
  const source = 'raft-seed5.jsonl';
  expect(await page.$$eval('#export-format option', (os) => os.map((o) => `${(o as HTMLOptionElement).value}${(o as HTMLOptionElement).disabled ? ' (off)' : ''}`))).toEqual([...EXPORT_FORMATS]);
  for (const format of EXPORT_FORMATS) {
    const want = expected(format, [{ text: raftText, source }]);
    const got = await exportAs(page, format);
    expectSameFile(got, want);
    if (format === 'perfetto') {
      await page.mouse.move(5, 600);
      await page.screenshot({ path: 'test-results/viewer-export.png' });
      const cli = spawnSync(process.execPath, [resolve('bin/faultlab'), 'export', source, '--format', format], { cwd: dir, maxBuffer: 1 << 28 });
      expect(cli.status, cli.stderr.toString()).toBe(0);
      expect(firstDifference(got.bytes, cli.stdout)).toBe(-1);
    }
  }
  expect(await page.textContent('#export-format option[value="jepsen"]')).toBe('Jepsen: client history as Jepsen EDN');
  expect(errors).toEqual([]);
}, 120_000);

test('a run simulated in the page, and a fork of it: downloads match, ShiViz puts both branches side by side', async () => {
  const { page, errors } = await openPage(v, `?${runSpecToParams(RAFT).toString()}`);
  expect(await settled(page)).toBe('');
  for (const format of EXPORT_FORMATS) expectSameFile(await exportAs(page, format), expected(format, [{ text: raftText, source: 'raft seed 5' }]));
  await page.evaluate(() => (window as unknown as { faultlab: { session: { setCursorTime(t: number): void } } }).faultlab.session.setCursorTime(400_000));
  await page.selectOption('#fault-action', 'crash');
  await page.selectOption('#fault-node', '3');
  await page.fill('#fault-extra input', '300ms');
  await page.click('#fork');
  await page.waitForSelector('#export-format option[value="shiviz-branches"]', { state: 'attached', timeout: 60_000 });
  expect(await page.textContent('#export-format option[value="shiviz-branches"]')).toBe('ShiViz: all 2 branches side by side');
  const fork = await page.evaluate(() => {
    const b = (window as unknown as { faultlab: { session: { branches: { name: string; run?: { plan: { faults: Record<string, unknown>[] } } }[] } } }).faultlab.session.branches[1];
    return { name: b?.name ?? '', plan: b?.run?.plan ?? { faults: [] } };
  });
  const forkText = new TextDecoder().decode(simulateFork(readTrace(raftText).header, fork.plan).bytes);
  const traces = [{ text: raftText, source: 'raft seed 5' }, { text: forkText, source: fork.name }];
  const both = await exportAs(page, 'shiviz-branches');
  expectSameFile(both, expected('shiviz', traces));
  expect(both.notice).toMatch(/^raft-seed5\+1\.shiviz\.log: ShiViz log: 2 executions, [\d,]+ events$/);
  // The shown branch is the fork: a single-trace export is the fork's.
  expectSameFile(await exportAs(page, 'jepsen'), expected('jepsen', [traces[1] as Traced]));
  expect(errors).toEqual([]);
}, 150_000);

test('a run without clients: Jepsen and Porcupine are off with the reason; forcing one shows a clear error', async () => {
  const spec = runSpec('heartbeat', { seed: '1', duration: '1s' });
  const { page, errors } = await openPage(v, `?${runSpecToParams(spec).toString()}`);
  expect(await settled(page)).toBe('');
  const options = await page.$$eval('#export-format option', (os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, off: (o as HTMLOptionElement).disabled, text: o.textContent, title: (o as HTMLOptionElement).title })));
  expect(options.filter((o) => o.off).map((o) => o.value)).toEqual(['jepsen', 'porcupine']);
  for (const o of options.filter((x) => x.off)) {
    expect(o.text).toMatch(/needs client operations$/);
    expect(o.title).toContain('not for this run: this heartbeat run has no client operations');
  }
  expect(await page.getAttribute('#export-format', 'title')).toContain('Jepsen and Porcupine are off: this heartbeat run has no client operations');
  // A disabled option can still be chosen by a script: the exporter's refusal must reach the page.
  await page.$eval('#export-format', (el) => { (el as HTMLSelectElement).value = 'jepsen'; });
  await page.click('#export');
  await page.waitForSelector('#error:not([hidden])', { timeout: 60_000 });
  expect(await page.textContent('#error-text')).toMatch(/^export as Jepsen failed: --format jepsen: heartbeat seed 1: no client operations in this heartbeat run \(the trace has no invoke events\); a jepsen export is the clients' history/);
  expect(await page.isEnabled('#export')).toBe(true);
  await page.screenshot({ path: 'test-results/viewer-export-error.png' });
  expectSameFile(await exportAs(page, 'shiviz'), expected('shiviz', [{ text: traceText(spec), source: 'heartbeat seed 1' }]));
  expect(await page.isHidden('#error')).toBe(true);
  expect(errors).toEqual([]);
}, 90_000);
