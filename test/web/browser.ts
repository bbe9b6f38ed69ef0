// Shared setup for the viewer's browser tests: Vite serving web/ and Debian's Chromium driven by
// playwright-core, plus a page wrapper that records console errors and waits for the viewer.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

export const CHROMIUM = '/usr/bin/chromium';

export interface Viewer {
  server: ViteDevServer;
  browser: Browser;
  url: string;
}

export async function startViewer(): Promise<Viewer> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does this`);
  const server = await createServer({ configFile: 'vite.config.ts', server: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
  await server.listen();
  const url = server.resolvedUrls?.local[0] ?? '';
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync('test-results', { recursive: true });
  return { server, browser, url };
}

/** Closes the browser and the Vite server of startViewer (either may be missing if start-up failed). */
export async function stopViewer(v: Viewer | undefined): Promise<void> {
  await v?.browser.close();
  await v?.server.close();
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

export async function openPage(v: Viewer, query: string, width = 1400): Promise<WatchedPage> {
  const page = await v.browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(`${v.url}${query}`);
  return { page, errors };
}

/** Waits until the viewer finished loading `loads` runs (or shows an error), and returns the error text if any. */
export async function settled(page: Page, loads = 1): Promise<string> {
  await page.waitForFunction((n) => {
    const f = (window as unknown as { faultlab?: { app: { busy: boolean; loads: number } } }).faultlab;
    const error = document.getElementById('error');
    return (f && !f.app.busy && f.app.loads >= n) || (error && !error.hidden);
  }, loads, { timeout: 60_000 });
  const error = await page.$('#error:not([hidden])');
  return error ? ((await error.textContent()) ?? '') : '';
}

/** Waits until the state cards show the cursor's event. */
export async function statesShown(page: Page): Promise<number> {
  await page.waitForFunction(() => {
    const f = (window as unknown as { faultlab: { session: { cursor: number } } }).faultlab;
    return document.getElementById('states')?.dataset.index === String(f.session.cursor);
  }, null, { timeout: 20_000 });
  return Number(await page.$eval('#states', (el) => (el as HTMLElement).dataset.index));
}
