// The viewer in real headless Chromium (DESIGN.md 7): open the default lesson and step through it;
// a linked run hashes exactly like the CLI (this replaces the placeholder's determinism test);
// load traces by file picker, drag and drop and ?trace=URL; scrub, step, zoom and hover; refuse a
// damaged file and render a hostile one as text; fork a run with a crash and see the divergence.
// No console errors anywhere. Screenshots go to test-results/viewer-*.png for a person to look at.
// Every lesson is run to its end in viewerLessons.test.ts.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runSpecToCli, runSpecToParams, type RunSpec } from '../../web/run/runSpec.ts';
import { openPage, settled, startViewer, statesShown, stopViewer, type Viewer } from './browser.ts';
import { RAFT_PARTITIONED, runSpec, splitTrace, traceText, withFooter } from './webTraces.ts';

let v: Viewer;
const dir = mkdtempSync(join(tmpdir(), 'faultlab-viewer-'));
const RAFT = RAFT_PARTITIONED;
const raftText = traceText(RAFT);
const raftFile = join(dir, 'raft-seed5.jsonl');

beforeAll(async () => {
  v = await startViewer();
  writeFileSync(raftFile, raftText);
  // Ahead of Vite's own handlers, which would answer with the page.
  v.server.middlewares.stack.unshift({ route: '/fixtures/raft.jsonl', handle: (_req: unknown, res: { end(t: string): void }) => res.end(raftText) } as never);
}, 60_000);

afterAll(async () => {
  await stopViewer(v);
  rmSync(dir, { recursive: true, force: true });
});

const text = async (page: Page, selector: string): Promise<string> => (await page.textContent(selector)) ?? '';
const cursor = (page: Page): Promise<number> => page.evaluate(() => (window as unknown as { faultlab: { session: { cursor: number } } }).faultlab.session.cursor);

function cliHash(spec: RunSpec): string {
  const planFile = join(dir, 'plan.json');
  if (spec.plan !== undefined) writeFileSync(planFile, JSON.stringify(spec.plan));
  const out = spawnSync(process.execPath, ['bin/faultlab', ...runSpecToCli(spec, planFile), '-o', join(dir, 'cli.jsonl'), '--json'], { encoding: 'utf8' });
  return (JSON.parse(out.stdout) as { traceHash: string }).traceHash;
}

test('opens on the default lesson; the future stays hidden until a step is revealed', async () => {
  const { page, errors } = await openPage(v, '');
  expect(await settled(page)).toBe('');
  await page.waitForSelector('#lesson [data-step="0"][data-revealed="false"]');
  expect(await page.evaluate(() => (window as unknown as { faultlab: { session: { horizon?: number } } }).faultlab.session.horizon)).toBe(0);
  await page.click('#lesson .choice >> nth=3');
  await page.waitForSelector('#lesson [data-step="0"][data-revealed="true"]');
  expect(await text(page, '#lesson .answer')).toContain('Right');
  await page.click('#lesson-next');
  await page.click('#lesson-reveal');
  await page.waitForTimeout(900);
  await statesShown(page);
  expect(await text(page, '#states')).toContain('down (crashed)');
  await page.screenshot({ path: 'test-results/viewer-lesson.png', fullPage: true });
  expect(errors).toEqual([]);
}, 90_000);

test('a linked run reproduces the CLI run: same trace hash (heartbeat seeds 3 and 4, raft with faults)', async () => {
  const specs = [runSpec('heartbeat', { seed: '3' }), runSpec('heartbeat', { seed: '4' }), { ...RAFT, set: [['preVote', 'true']] as [string, string][], flags: { ...RAFT.flags, loss: '0.02', ordering: 'fifo' } }];
  const { page, errors } = await openPage(v, `?${runSpecToParams(specs[0] as RunSpec).toString()}`);
  for (const [i, spec] of specs.entries()) {
    if (i > 0) await page.goto(`${v.url}?${runSpecToParams(spec).toString()}`);
    expect(await settled(page)).toBe('');
    expect(await text(page, '#trace-hash')).toBe(`hash ${cliHash(spec)}`);
    expect(new URL(page.url()).searchParams.get('seed')).toBe(spec.flags.seed);
  }
  expect(await text(page, '#run-cli')).toContain('faultlab run raft --seed 5');
  expect(errors).toEqual([]);
}, 120_000);

test('file picker: load, scrub, step, zoom and hover', async () => {
  const { page, errors } = await openPage(v, '?protocol=heartbeat&seed=1&duration=1s');
  expect(await settled(page)).toBe('');
  await page.setInputFiles('#file', raftFile);
  expect(await settled(page, 2)).toBe('');
  expect(await text(page, '#trace-hash')).toBe(`hash ${JSON.parse(splitTrace(raftText).footer).traceHash}`);
  const count = Number(await page.getAttribute('#scrubber', 'max')) + 1;
  expect(count).toBe(splitTrace(raftText).events.length);
  await page.$eval('#scrubber', (el, n) => {
    (el as HTMLInputElement).value = String(n);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, Math.floor(count * 0.8));
  expect(await statesShown(page)).toBe(Math.floor(count * 0.8));
  expect(await page.$$eval('#states .card', (cards) => cards.length)).toBe(5);
  await page.click('#next');
  await page.click('#next');
  expect(await cursor(page)).toBe(Math.floor(count * 0.8) + 2);
  await page.click('#prev');
  await page.keyboard.press('ArrowLeft');
  expect(await cursor(page)).toBe(Math.floor(count * 0.8));
  expect(await statesShown(page)).toBe(Math.floor(count * 0.8));
  // Zoom in around the partition, then hover an arrow.
  await page.evaluate(() => (window as unknown as { faultlab: { session: { setView(a: number, b: number): void } } }).faultlab.session.setView(690_000, 760_000));
  await page.waitForTimeout(200);
  const hovered = await hoverSomeMessage(page);
  expect(hovered).toMatch(/n\d -> n\d/);
  await page.screenshot({ path: 'test-results/viewer-zoomed.png', fullPage: false });
  await page.mouse.move(700, 200);
  await page.mouse.wheel(0, 600);
  await page.waitForTimeout(100);
  const span = await page.evaluate(() => { const s = (window as unknown as { faultlab: { session: { t0: number; t1: number } } }).faultlab.session; return s.t1 - s.t0; });
  expect(span).toBeGreaterThan(70_000);
  expect(errors).toEqual([]);
}, 90_000);

/** Moves the mouse along the diagram until the tooltip shows a message; returns its title. */
async function hoverSomeMessage(page: Page): Promise<string> {
  const box = await page.$eval('#diagram', (c) => c.getBoundingClientRect().toJSON() as { x: number; y: number; width: number; height: number });
  for (let x = box.x + 120; x < box.x + box.width - 20; x += 9) {
    for (const dy of [0.2, 0.3, 0.4, 0.5, 0.6]) {
      await page.mouse.move(x, box.y + box.height * dy);
      const title = await page.$eval('.tooltip', (t) => ((t as HTMLElement).hidden ? '' : (t.querySelector('strong')?.textContent ?? ''))).catch(() => '');
      if (/->/.test(title)) return title;
    }
  }
  return '';
}

test('drag and drop, and ?trace=URL', async () => {
  const { page, errors } = await openPage(v, '?trace=/fixtures/raft.jsonl');
  expect(await settled(page)).toBe('');
  expect(await text(page, '#summary')).toContain('seed 5');
  const small = traceText(runSpec('heartbeat', { seed: '9', duration: '1s' }));
  const transfer = await page.evaluateHandle((t) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], 'dropped.jsonl'));
    return dt;
  }, small);
  await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
  expect(await settled(page, 2)).toBe('');
  expect(await text(page, '#summary')).toContain('heartbeat');
  expect(await text(page, '#summary')).toContain('seed 9');
  await page.goto(`${v.url}?trace=/fixtures/missing.jsonl`);
  expect(await settled(page)).toMatch(/trace URL \/fixtures\/missing\.jsonl|not a faultlab trace|not valid JSON/);
  expect(errors.filter((e) => !/404|Failed to load resource/.test(e))).toEqual([]);
}, 90_000);

test('a damaged file gets a clear error; a hostile one is shown as text and breaks nothing', async () => {
  const { page, errors } = await openPage(v, '?protocol=heartbeat&seed=1&duration=1s');
  expect(await settled(page)).toBe('');
  const { header, events } = splitTrace(raftText);
  const damaged = join(dir, 'damaged.jsonl');
  writeFileSync(damaged, withFooter(header, [...events.slice(0, 40), '{"t":1,"kind":"send","id":"oops"}', ...events.slice(40)]));
  await page.setInputFiles('#file', damaged);
  await page.waitForSelector('#error:not([hidden])');
  expect(await settled(page)).toMatch(/damaged\.jsonl: line 42: unknown event kind|damaged\.jsonl: line 42: send event field id/);
  await page.screenshot({ path: 'test-results/viewer-error.png' });
  await page.click('#error .close');
  const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const hostile = join(dir, 'hostile.jsonl');
  const t = (JSON.parse(events[10] as string) as { t: number }).t;
  const lines = [...events.slice(0, 10), JSON.stringify({ t, kind: 'note', node: 1, name: evil, data: { html: evil } }), JSON.stringify({ t, kind: 'send', id: 999_999, from: 1, to: 2, msg: { type: evil, body: evil } }), JSON.stringify({ t, kind: 'drop', id: 999_999, from: 1, to: 2, reason: evil }), ...events.slice(10)];
  writeFileSync(hostile, withFooter(header, lines));
  await page.setInputFiles('#file', hostile);
  expect(await settled(page, 2)).toBe('');
  await page.$eval('#scrubber', (el) => {
    (el as HTMLInputElement).value = '10';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.waitForFunction(() => document.getElementById('event-details')?.textContent?.includes('onerror'));
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.$$eval('main img, main script', (els) => els.length)).toBe(0);
  expect(errors).toEqual([]);
}, 90_000);

test('inject a crash at the cursor: the run forks and the divergence is shown', async () => {
  const { page, errors } = await openPage(v, `?${runSpecToParams(RAFT).toString()}`);
  expect(await settled(page)).toBe('');
  await page.evaluate(() => (window as unknown as { faultlab: { session: { setCursorTime(t: number): void } } }).faultlab.session.setCursorTime(400_000));
  await page.selectOption('#fault-action', 'crash');
  await page.selectOption('#fault-node', '3');
  await page.fill('#fault-extra input', '300ms');
  await page.click('#fork');
  await page.waitForSelector('#branches:not([hidden]) #goto-divergence', { timeout: 60_000 });
  // The fork starts at the cursor's event: the last one at or before 400 ms.
  const branches = await text(page, '#branches');
  const forkAt = Number(/fork 1: crash n3 for 300ms at ([\d.]+)ms/.exec(branches)?.[1]);
  const faultAt = Number(/Differs from event [\d,]+ \([\d.]+ms\): fault start: at ([\d.]+)ms: crash node=n3 for 300ms/.exec(branches)?.[1]);
  expect(faultAt).toBeGreaterThan(380);
  expect(faultAt).toBeLessThanOrEqual(400);
  expect(Math.abs(forkAt - faultAt)).toBeLessThan(0.1);
  expect(new URL(page.url()).searchParams.get('plan')).toContain('"node":"n3"');
  await page.click('#goto-divergence');
  await statesShown(page);
  await page.screenshot({ path: 'test-results/viewer-fork.png', fullPage: true });
  await page.click('#branches [data-branch="0"]');
  expect(await page.getAttribute('#branches [data-branch="0"]', 'aria-pressed')).toBe('true');
  expect(await text(page, '#trace-hash')).toBe(`hash ${JSON.parse(splitTrace(raftText).footer).traceHash}`);
  await page.selectOption('#fault-action', 'skew');
  await page.evaluate(() => (window as unknown as { faultlab: { session: { setCursorTime(t: number): void } } }).faultlab.session.setCursorTime(1_900_000));
  await page.evaluate(() => (window as unknown as { faultlab: { session: { setCursorTime(t: number): void } } }).faultlab.session.setCursorTime(2_500_000));
  await page.click('#fork');
  expect(await text(page, '#error-text')).toMatch(/only be injected in the fault phase/);
  expect(errors).toEqual([]);
}, 90_000);

test('faultlab view run.jsonl builds the viewer if needed, serves it and opens the trace', async () => {
  const child = spawn(process.execPath, ['bin/faultlab', 'view', raftFile, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /faultlab viewer: (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1] as string);
      });
      child.stderr.on('data', (d: Buffer) => reject(new Error(d.toString())));
      child.on('exit', (code) => reject(new Error(`faultlab view exited with ${code}: ${out}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?trace=\/trace\/raft-seed5\.jsonl$/);
    const page = await v.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(url);
    expect(await settled(page)).toBe('');
    expect(await text(page, '#trace-hash')).toBe(`hash ${JSON.parse(splitTrace(raftText).footer).traceHash}`);
    expect(errors).toEqual([]);
  } finally {
    child.kill();
  }
}, 120_000);
