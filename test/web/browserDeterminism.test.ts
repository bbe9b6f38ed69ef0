// The same seed gives the same trace hash in Node and in real headless Chromium (DESIGN.md 5.4):
// serves web/ with Vite, runs heartbeat in the page, compares with a run in this process, and
// saves a screenshot to test-results/web-placeholder.png for a person to look at.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PROTOCOLS } from '../../protocols/registry.ts';
import { runSimulation } from '../../sim/engine.ts';
import { formatFaultPlan } from '../../sim/faultPlan.ts';
import { resolveRun } from '../../sim/resolveRun.ts';
import { Tracer } from '../../sim/tracer.ts';

const CHROMIUM = '/usr/bin/chromium';
let server: ViteDevServer;
let browser: Browser;
let url: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does this`);
  server = await createServer({ configFile: 'vite.config.ts', server: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
  await server.listen();
  url = server.resolvedUrls?.local[0] ?? '';
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function nodeHash(seed: number): string | undefined {
  const spec = PROTOCOLS.heartbeat;
  if (!spec) throw new Error('no heartbeat');
  const plan = { faults: [] };
  const options = resolveRun(spec, { seed }, plan);
  const tracer = new Tracer(undefined, { faultlab: 1, seed, protocol: spec.name, options, faultPlan: formatFaultPlan(plan) });
  return runSimulation(spec, options, plan, { tracer }).traceHash;
}

test('heartbeat seeds 3 and 4 hash the same in Chromium as in Node', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  for (const seed of [3, 4]) {
    await page.fill('#seed', String(seed));
    await page.click('#run');
    await page.waitForFunction(() => document.getElementById('out')?.textContent?.includes('trace hash'));
    const text = (await page.textContent('#out')) ?? '';
    const browserHash = /trace hash: ([0-9a-f]{16})/.exec(text)?.[1];
    expect(browserHash).toBe(nodeHash(seed));
  }
  mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: 'test-results/web-placeholder.png' });
  expect(errors).toEqual([]);
}, 120_000);
