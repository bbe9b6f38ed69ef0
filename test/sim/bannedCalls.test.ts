// DESIGN.md section 5, rule 1: nothing in sim/ or protocols/ may read real time, real randomness or
// schedule real asynchronous work. This test reads the source and lists every offending line.
// sim/cli/ is the command-line front end: it may read the real clock (wall time of a run) and do I/O.
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const BANNED: readonly [string, RegExp][] = [
  ['Math.random', /\bMath\s*\.\s*random\b/],
  ['Date.now', /\bDate\s*\.\s*now\b/],
  ['new Date(', /\bnew\s+Date\s*\(/],
  ['performance.now', /\bperformance\s*\.\s*now\b/],
  ['setTimeout', /\bsetTimeout\b/],
  ['setInterval', /\bsetInterval\b/],
  ['queueMicrotask', /\bqueueMicrotask\b/],
  ['crypto.', /\bcrypto\s*\./],
  ['crypto import', /\bfrom\s+['"](node:)?crypto['"]/],
  ['process.hrtime', /\bprocess\s*\.\s*hrtime\b/],
  ['async', /\basync\b/],
  ['await', /\bawait\b/],
  ['Promise', /\bPromise\b/],
];

export interface BannedHit {
  file: string;
  line: number;
  call: string;
}

/**
 * The source with comments blanked out (strings kept: a banned name in a string is flagged too).
 * A light scanner: it knows line and block comments and ', " and ` strings, which is enough for
 * this code base (regular expression literals here contain no quotes or comment markers).
 */
export function stripComments(source: string): string {
  let out = '';
  let state: 'code' | 'line' | 'block' | "'" | '"' | '`' = 'code';
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    const next = source[i + 1];
    if (state === 'line') {
      if (c === '\n') {
        state = 'code';
        out += c;
      }
    } else if (state === 'block') {
      if (c === '*' && next === '/') {
        state = 'code';
        i++;
      } else if (c === '\n') out += c;
    } else if (state === 'code') {
      if (c === '/' && next === '/') state = 'line';
      else if (c === '/' && next === '*') {
        state = 'block';
        i++;
      } else {
        if (c === "'" || c === '"' || c === '`') state = c;
        out += c;
      }
    } else {
      out += c;
      if (c === '\\') out += source[++i] ?? '';
      else if (c === state || (c === '\n' && state !== '`')) state = 'code';
    }
  }
  return out;
}

/** Every banned call in `source` outside comments, with its line number. */
export function findBannedCalls(source: string, file: string): BannedHit[] {
  const hits: BannedHit[] = [];
  stripComments(source)
    .split('\n')
    .forEach((code, i) => {
      for (const [call, pattern] of BANNED) if (pattern.test(code)) hits.push({ file, line: i + 1, call });
    });
  return hits;
}

function sourceFiles(dir: string): string[] {
  return (readdirSync(join(ROOT, dir), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f).split(sep).join('/'))
    .filter((f) => !f.startsWith('sim/cli/'))
    .sort();
}

describe('banned calls in sim/ and protocols/', () => {
  const files = [...sourceFiles('sim'), ...sourceFiles('protocols')];

  it('none of the simulator or protocol sources calls real time, randomness or async machinery', () => {
    const hits = files.flatMap((f) => findBannedCalls(readFileSync(join(ROOT, f), 'utf8'), f));
    expect(hits.map((h) => `${h.file}:${h.line}: ${h.call}`)).toEqual([]);
  });

  it('really scans the sources (and leaves out the CLI)', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    expect(files).toContain('sim/engine.ts');
    expect(files).toContain('protocols/heartbeat/heartbeat.ts');
    expect(files.some((f) => f.startsWith('sim/cli/'))).toBe(false);
  });

  it('the comment scanner stays in step with every source file', () => {
    // If the scanner lost track (an unclosed string or comment), top-level lines would vanish.
    for (const f of files) {
      const source = readFileSync(join(ROOT, f), 'utf8');
      const original = source.split('\n');
      const stripped = stripComments(source).split('\n');
      expect(stripped.length, f).toBe(original.length);
      original.forEach((line, i) => {
        if (/^(export|import|function|const|class) /.test(line)) expect(stripped[i]?.trimEnd(), `${f}:${i + 1}`).toBe(line.replace(/\s*\/\/.*$/, '').trimEnd());
      });
    }
  });

  it('the detector finds banned calls with their line numbers', () => {
    const sample = [
      'const x = 1;',
      'const jitter = Math.random() * 10;',
      'const started = Date.now();',
      'const when = new Date();',
      'setTimeout(() => tick(), 5);',
      'async function load() {',
      '  await fetchIt();',
      '  return Promise.resolve(performance.now());',
      '}',
      "import { randomBytes } from 'node:crypto';",
      'const id = crypto.randomUUID(); queueMicrotask(f); setInterval(f, 1); process.hrtime();',
    ].join('\n');
    const hits = findBannedCalls(sample, 'sample.ts').map((h) => `${h.file}:${h.line}: ${h.call}`);
    expect(hits).toEqual([
      'sample.ts:2: Math.random',
      'sample.ts:3: Date.now',
      'sample.ts:4: new Date(',
      'sample.ts:5: setTimeout',
      'sample.ts:6: async',
      'sample.ts:7: await',
      'sample.ts:8: performance.now',
      'sample.ts:8: Promise',
      'sample.ts:10: crypto import',
      'sample.ts:11: setInterval',
      'sample.ts:11: queueMicrotask',
      'sample.ts:11: crypto.',
      'sample.ts:11: process.hrtime',
    ]);
  });

  it('the detector ignores comments and words that merely contain a banned name', () => {
    const sample = [
      '// Math.random is banned here; use the Rng',
      '/* Date.now() would break replay',
      ' * and so would setTimeout',
      ' */ const ok = 1;',
      'const asyncFlag = isAsyncish(); // Promise-free /* not a block',
      'const x = 2; /* setInterval */ const y = 3;',
      "const url = 'http://example.org'; // Date.now()",
    ].join('\n');
    expect(findBannedCalls(sample, 'clean.ts')).toEqual([]);
    expect(findBannedCalls("const u = 'http://x'; const r = Math.random();", 'tricky.ts')).toEqual([{ file: 'tricky.ts', line: 1, call: 'Math.random' }]);
    expect(findBannedCalls('/* a\n * b */ await x;', 'after-block.ts')).toEqual([{ file: 'after-block.ts', line: 2, call: 'await' }]);
  });
});
