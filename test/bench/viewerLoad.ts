// Benchmark (not a test): the viewer on a trace of about 1,000,000 events in headless Chromium.
// Records a Raft run with four clients long enough for a million trace events (cached in the OS
// temp folder), builds and serves the viewer as `faultlab view` does, and measures: the time to
// load (fetch, parse, validate, index, transfer, first draw), the diagram's frame time at several
// zoom levels (the whole run drawn as densities down to single messages), while panning, and
// while scrubbing (with the state cards' latency, which folds patches from the nearest checkpoint),
// and the browser's memory. Prints the figures. Run: node --import tsx test/bench/viewerLoad.ts
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startViewerServer } from '../../sim/cli/viewCommand.ts';

const TRACE = join(tmpdir(), 'faultlab-bench-viewer-raft-1m.jsonl');
const ARGS = ['run', 'raft', '--seed', '1', '--clients', '4', '--duration', '251s', '-o', TRACE];

interface Faultlab {
  app: { busy: boolean; loads: number; lastLoadMs: number };
  session: { count: number; current: { workerMs: number }; setCursor(i: number): void; setView(a: number, b: number): void; current_endT?: number };
  diagram: { lastFrameMs: number; frames: number; invalidate(): void };
}

function ensureTrace(): void {
  if (existsSync(TRACE) && statSync(TRACE).size > 100e6) return;
  process.stdout.write(`recording the trace: faultlab ${ARGS.join(' ')}\n`);
  execFileSync(process.execPath, ['bin/faultlab', ...ARGS], { stdio: 'inherit' });
}

const stats = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => (s[Math.min(s.length - 1, Math.floor(p * s.length))] as number).toFixed(1);
  return `median ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms`;
};

/** Moves the view (and the cursor, if given) and returns how long the diagram took to draw the next frame. */
async function frame(page: Page, t0: number, t1: number, cursor = -1): Promise<number> {
  return page.evaluate(async ([a, b, c]) => {
    const f = (window as unknown as { faultlab: Faultlab }).faultlab;
    const before = f.diagram.frames;
    if (c >= 0) f.session.setCursor(c);
    f.session.setView(a, b);
    f.diagram.invalidate();
    while (f.diagram.frames === before) await new Promise((r) => requestAnimationFrame(r));
    return f.diagram.lastFrameMs;
  }, [t0, t1, cursor] as const);
}

/**
 * Drives the page for `frames` animation frames, changing the cursor or the view on every one as
 * a dragging hand would, and returns the intervals between frames (what a person sees) and the
 * diagram's own drawing times.
 */
async function animate(page: Page, kind: 'scrub' | 'pan', frames: number): Promise<{ intervals: number[]; draws: number[] }> {
  return page.evaluate(([k, n]) => new Promise((resolve) => {
    const f = (window as unknown as { faultlab: Faultlab & { session: { t0: number; t1: number; current: { endT: number } } } }).faultlab;
    const intervals: number[] = [];
    const draws: number[] = [];
    const count = f.session.count;
    const endT = f.session.current.endT;
    let last = 0;
    let i = 0;
    const step = (now: number): void => {
      if (last) {
        intervals.push(now - last);
        draws.push(f.diagram.lastFrameMs);
      }
      last = now;
      if (i++ >= n) return resolve({ intervals, draws });
      if (k === 'scrub') f.session.setCursor(Math.floor((i / n) * (count - 1)));
      else f.session.setView(endT * 0.3 + i * 1e5, endT * 0.3 + i * 1e5 + 5e6);
      requestAnimationFrame(step);
    };
    if (k === 'scrub') f.session.setView(endT * 0.2, endT * 0.8);
    requestAnimationFrame(step);
  }), [kind, frames] as const);
}

/** Resident memory of this browser's processes (browser, renderers, GPU, utilities), from Chromium itself. */
async function browserRssMb(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { id: number }[] };
  await cdp.detach();
  const ids = processInfo.map((p) => p.id).filter((id) => id > 0);
  const out = spawnSync('ps', ['-o', 'rss=', '-p', ids.join(',')], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter((l) => l.trim()).reduce((a, l) => a + Number(l), 0) / 1024;
}

async function main(): Promise<void> {
  ensureTrace();
  const server = await startViewerServer(TRACE, { build: true, port: 0 });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('crash', () => process.stdout.write('the page crashed\n'));
    // tsx names inner functions with a helper the page does not have; give it one.
    await page.addInitScript('window.__name = (f) => f;');
    const rssBefore = await browserRssMb(browser);
    const started = Date.now();
    await page.goto(server.url);
    await page.waitForFunction(() => { const f = (window as unknown as { faultlab?: Faultlab }).faultlab; return f && f.app.loads > 0 && !f.app.busy; }, null, { timeout: 300_000, polling: 50 });
    const wall = Date.now() - started;
    const info = await page.evaluate(() => { const f = (window as unknown as { faultlab: Faultlab }).faultlab; return { events: f.session.count, request: f.app.lastLoadMs, worker: f.session.current.workerMs, heap: (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? NaN }; });
    const size = statSync(TRACE).size / 1e6;
    process.stdout.write(`trace: ${info.events.toLocaleString('en-US')} events, ${size.toFixed(0)} MB\n`);
    process.stdout.write(`load: ${(wall / 1000).toFixed(2)} s from navigation to drawn (request to loaded ${(info.request / 1000).toFixed(2)} s, of which parsing and indexing in the worker ${(info.worker / 1000).toFixed(2)} s)\n`);
    await measureFrames(page);
    process.stdout.write(`memory: page JS heap ${(info.heap / 1e6).toFixed(0)} MB; all Chromium processes ${(await browserRssMb(browser)).toFixed(0)} MB resident (${rssBefore.toFixed(0)} MB before loading)\n`);
  } finally {
    await browser.close();
    await server.close();
  }
}

async function measureFrames(page: Page): Promise<void> {
  const endT = await page.evaluate(() => (window as unknown as { faultlab: { session: { current: { endT: number } } } }).faultlab.session.current.endT);
  for (const [name, width] of [['the whole run', endT], ['10% of the run', endT / 10], ['1 s', 1e6], ['50 ms (single messages)', 5e4]] as const) {
    const times: number[] = [];
    for (let k = 0; k < 12; k++) {
      const t0 = ((k + 0.5) / 12) * (endT - width);
      times.push(await frame(page, t0, t0 + width));
    }
    process.stdout.write(`diagram frame, ${name} in view: ${stats(times)}\n`);
  }
  const pan = await animate(page, 'pan', 120);
  process.stdout.write(`panning a 5 s window, 120 frames: interval between frames ${stats(pan.intervals)}; diagram draw ${stats(pan.draws)}\n`);
  const scrub = await animate(page, 'scrub', 120);
  process.stdout.write(`scrubbing through all events, 120 frames: interval between frames ${stats(scrub.intervals)}; diagram draw ${stats(scrub.draws)}\n`);
  const states: number[] = [];
  const count = await page.evaluate(() => (window as unknown as { faultlab: Faultlab }).faultlab.session.count);
  for (let k = 0; k < 30; k++) {
    const index = Math.floor((((k * 7919) % 30) / 30) * count) + k;
    states.push(await page.evaluate(async (i) => {
      const t = performance.now();
      (window as unknown as { faultlab: Faultlab }).faultlab.session.setCursor(i);
      while (document.getElementById('states')?.dataset.index !== String(i)) await new Promise((r) => setTimeout(r, 1));
      return performance.now() - t;
    }, index));
  }
  process.stdout.write(`state cards after a jump to a random event (the worker folds patches from a checkpoint): ${stats(states)}\n`);
}

await main();
