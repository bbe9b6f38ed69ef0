// Every lesson in web/lessons/: valid against the schema, its run reaches the verdict it expects
// (simulated with the same code the page's worker uses), and every narration step's anchor occurs,
// in order. Together the lessons must cover every failure type of the design notes, each with a
// run that really has that fault, plus the named protocol scenarios.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { PROTOCOLS } from '../../protocols/registry.ts';
import { FAILURE_TYPES, lessonRunSpec, parseLesson, type Lesson } from '../../web/lessons/lessonSchema.ts';
import { simulateSpec } from '../../web/worker/simulate.ts';
import { Slot } from '../../web/worker/traceSlots.ts';

const DIR = new URL('../../web/lessons/', import.meta.url);
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const lessons: [string, Lesson][] = files.map((f) => [f, parseLesson(JSON.parse(readFileSync(new URL(f, DIR), 'utf8')), f)]);

type Check = (l: Lesson) => boolean;
const has = (type: string): Check => (l) => l.plan.faults.some((f) => f.type === type);
const flag = (name: keyof Lesson['run'], pred: (v: number) => boolean = (v) => v > 0): Check => (l) => l.run[name] !== undefined && pred(Number(l.run[name]));

/** What makes a lesson's claim to teach a failure type true. */
const EVIDENCE: Record<string, Check> = {
  crash: has('crash'),
  byzantine: has('byzantine'),
  'slow node': (l) => has('slow')(l) || has('pause')(l),
  partition: (l) => has('partition')(l) || has('partition-one-way')(l),
  delay: (l) => has('clog')(l) || l.run['latency-dist'] === 'pareto',
  loss: flag('loss'),
  duplication: flag('dup'),
  'storage corruption': has('disk-corrupt'),
  'full disk': has('disk-full'),
  'slow storage': has('disk-slow'),
  'clock skew': has('clock-skew'),
  'clock drift': has('clock-drift'),
  'clock stop': has('clock-stop'),
  'split vote': (l) => l.protocol === 'raft',
  'stale read': (l) => l.protocol === 'raft' && l.run.bug === 'stale-read',
  blocking: (l) => l.protocol === '2pc' && has('crash')(l),
  compensation: (l) => l.protocol === 'saga',
  'false suspicion': (l) => l.protocol === 'swim',
};

describe('lesson files', () => {
  test('ids are unique and match the file names', () => {
    expect(lessons.map(([f, l]) => `${l.id}.json`)).toEqual(files);
  });

  test('together they cover every failure type and the named scenarios', () => {
    const covered = new Set(lessons.flatMap(([, l]) => l.failures));
    const wanted = [...FAILURE_TYPES, 'split vote', 'stale read', 'blocking', 'compensation', 'false suspicion'];
    expect(wanted.filter((w) => !covered.has(w as never))).toEqual([]);
  });

  test('each claimed failure type is really in the lesson\'s run', () => {
    for (const [file, l] of lessons) for (const failure of l.failures) expect(EVIDENCE[failure]?.(l), `${file}: ${failure}`).toBe(true);
  });

  test('each lesson\'s protocol is in the registry', () => {
    for (const [file, l] of lessons) expect(PROTOCOLS[l.protocol], `${file}: protocol ${l.protocol} (has it landed in protocols/registry.ts?)`).toBeDefined();
  });

  test('a broken lesson is reported with the field', () => {
    const [, good] = lessons[0] as [string, Lesson];
    expect(() => parseLesson({ ...good, steps: [{ title: 'x', predict: 'y', reveal: 'z', anchor: { kind: 'teleport' } }] }, 'bad.json')).toThrow(/lesson bad.json: steps\[0\]\.anchor\.kind/);
    expect(() => parseLesson({ ...good, run: { seeed: 1 } }, 'bad.json')).toThrow(/unknown field "seeed"/);
  });
});

describe('every lesson runs to its end and every anchor occurs', () => {
  for (const [file, l] of lessons) {
    test(file, () => {
      const sim = simulateSpec(lessonRunSpec(l));
      const slot = Slot.index(sim.bytes, file, () => undefined);
      expect(slot.trace.footer.verdict.kind).toBe(l.expect);
      const anchors = slot.anchors(l.steps.map((s) => s.anchor ?? { kind: 'boot' }));
      l.steps.forEach((s, i) => expect(anchors[i], `${file} step ${i + 1} "${s.title}"`).toBeGreaterThanOrEqual(0));
      for (let i = 1; i < anchors.length; i++) expect(anchors[i] as number).toBeGreaterThan(anchors[i - 1] as number);
    });
  }
});
