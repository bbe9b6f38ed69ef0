// Every lesson, played to its end in real headless Chromium: chosen from the Lessons list, its run
// simulated in the page's worker, each step revealed (the cursor must land on the step's event)
// and the next one opened, until the page says the lesson is complete. No error banner, no
// console errors. A screenshot of one finished lesson per protocol goes to test-results/.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPage, settled, startViewer, stopViewer, type Viewer } from './browser.ts';

let v: Viewer;
const ids = readdirSync(new URL('../../web/lessons/', import.meta.url)).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();

beforeAll(async () => {
  v = await startViewer();
}, 60_000);

afterAll(async () => {
  await stopViewer(v);
});

test(`all ${ids.length} lessons run to their end`, async () => {
  const { page, errors } = await openPage(v, '?protocol=heartbeat&seed=1&duration=1s');
  await page.emulateMedia({ reducedMotion: 'reduce' }); // the cursor jumps to each step's event at once
  expect(await settled(page)).toBe('');
  const shot = new Set<string>();
  for (const [k, id] of ids.entries()) {
    await page.selectOption('#lesson-select', id);
    expect(await settled(page, k + 2), id).toBe('');
    await page.waitForSelector('#lesson [data-step="0"]');
    const steps = await page.evaluate(() => Number(/of (\d+)/.exec(document.querySelector('.lesson-progress')?.textContent ?? '')?.[1]));
    for (let s = 0; s < steps; s++) {
      await page.waitForSelector(`#lesson [data-step="${s}"][data-revealed="false"]`);
      await page.click('#lesson-reveal');
      const step = await page.waitForSelector(`#lesson [data-step="${s}"][data-revealed="true"]`);
      const anchor = Number(await step.getAttribute('data-anchor'));
      expect(anchor, `${id} step ${s + 1}`).toBeGreaterThanOrEqual(0);
      expect(await page.evaluate(() => (window as unknown as { faultlab: { session: { cursor: number } } }).faultlab.session.cursor)).toBe(anchor);
      if (s < steps - 1) await page.click('#lesson-next');
    }
    await page.waitForSelector('#lesson-done');
    expect(await page.$('#error:not([hidden])'), id).toBeNull();
    const protocol = id.split('-')[0] as string;
    if (!shot.has(protocol)) {
      shot.add(protocol);
      await page.waitForTimeout(300); // let the state cards and charts catch up
      await page.screenshot({ path: `test-results/viewer-lesson-${id}.png`, fullPage: true });
    }
  }
  expect(errors).toEqual([]);
}, 240_000);
