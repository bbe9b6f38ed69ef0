// A lesson: a guided scenario in a JSON file (web/lessons/*.json). It names a protocol, the run
// (the CLI's flags: seed, duration, network options, clients, settings, a bug), a fault plan, the
// failure types it teaches, the verdict the run should reach, and narration steps. Each step asks
// the class to predict what happens next, then reveals it at an event (an anchor.ts pattern).
// The zod schema validates lessons in the page and in the tests, naming the bad field.
// Leaves out: free-form layout (the lesson panel decides how steps look).
import { z } from 'zod';
import { zodErrorLine } from '../../sim/schemaHelpers.ts';
import { RUN_FLAGS, type RunSpec } from '../run/runSpec.ts';
import { anchorSchema } from './anchor.ts';

/** The failure types the design notes list; the lessons together must cover each. */
export const FAILURE_TYPES = ['crash', 'byzantine', 'slow node', 'partition', 'delay', 'loss', 'duplication', 'storage corruption', 'full disk', 'slow storage', 'clock skew', 'clock drift', 'clock stop'] as const;

const flagValue = z.union([z.string(), z.number(), z.boolean()]);
const runSchema = z.object(Object.fromEntries(RUN_FLAGS.map((f) => [f, flagValue.optional()])) as Record<(typeof RUN_FLAGS)[number], z.ZodOptional<typeof flagValue>>)
  .extend({ set: z.record(z.string(), flagValue).optional() }).strict();

const stepSchema = z.object({
  title: z.string().min(1),
  /** The event this step reveals; omitted: the start of the run. */
  anchor: anchorSchema.optional(),
  /** The question asked before the reveal. */
  predict: z.string().min(1),
  /** Optional answers to pick from, and which one is right. */
  choices: z.array(z.string().min(1)).min(2).optional(),
  answer: z.number().int().min(0).optional(),
  /** What happened and why, shown after the reveal. */
  reveal: z.string().min(1),
  /** How much time to show around the revealed event, e.g. "300ms" (default: a tenth of the run). */
  zoom: z.string().optional(),
}).strict().refine((s) => s.answer === undefined || (s.choices !== undefined && s.answer < s.choices.length), { message: 'answer must index one of the choices', path: ['answer'] });

export const lessonSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'expected a lowercase id with dashes, like raft-leader-crash'),
  title: z.string().min(1),
  protocol: z.string().min(1),
  failures: z.array(z.enum([...FAILURE_TYPES, 'split vote', 'stale read', 'blocking', 'compensation', 'false suspicion'])).min(1),
  summary: z.string().min(1),
  run: runSchema,
  plan: z.object({ faults: z.array(z.record(z.string(), z.unknown())) }).strict(),
  expect: z.enum(['pass', 'safety', 'liveness', 'crash', 'guard']),
  steps: z.array(stepSchema).min(2),
}).strict();

export type Lesson = z.infer<typeof lessonSchema>;

export function parseLesson(json: unknown, source: string): Lesson {
  const parsed = lessonSchema.safeParse(json);
  if (!parsed.success) throw new Error(zodErrorLine(`lesson ${source}`, parsed.error));
  return parsed.data;
}

export function lessonRunSpec(lesson: Lesson): RunSpec {
  const flags: RunSpec['flags'] = {};
  for (const flag of RUN_FLAGS) {
    const v = lesson.run[flag];
    if (v !== undefined) flags[flag] = String(v);
  }
  const set = Object.entries(lesson.run.set ?? {}).map(([k, v]): [string, string] => [k, String(v)]);
  return { protocol: lesson.protocol, flags, set, plan: lesson.plan.faults.length ? lesson.plan : undefined };
}
