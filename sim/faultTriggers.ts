// Faults triggered by events instead of fixed times: a fault with `"after": { "note": "leader",
// "nth": 2, "delay": "3ms" }` starts 3 ms after the second `leader` note (by any node) made at or
// after the fault's `at`; `"until"` (same form) ends it the same way, counting from the same `at`.
// With `"since": { "note": "leader", "nth": 3 }` the count starts at the third `leader` note
// instead of at `at` ("the first commit after the third election"). So "cut off the new leader
// within a message latency of its election" is one fault, and a chain of them follows leader
// after leader (the leader-chase pattern). Triggers see only notes the protocol makes in simulated
// time, so runs stay deterministic: the same notes fire the same triggers, in plan order. A start
// pushed past the fault phase never happens; an end that comes before its fault started cancels
// it (its start and end are recorded together, skipped).
// Leaves out: conditions on a note's data or on which node made it (count the notes instead).
import { z } from 'zod';
import { formatDuration } from './duration.ts';
import { durationUs } from './schemaHelpers.ts';
import type { NodeId } from './types.ts';

const noteName = z.string().regex(/^[\w.:-]+$/, 'expected a note name like "leader"');
const nth = z.number().int('expected a whole number like 2 (the 2nd such note)').min(1, 'expected 1 or more (the 1st such note)').default(1);

export const triggerSchema = z.object({
  note: noteName,
  nth,
  delay: durationUs.default(0),
  since: z.object({ note: noteName, nth }).strict().optional(),
}).strict();

export type Trigger = z.output<typeof triggerSchema>;

/** The written form: durations with units, every field (so the plan reads back the same). */
export function formatTrigger(t: Trigger): Record<string, unknown> {
  return { note: t.note, nth: t.nth, delay: formatDuration(t.delay), ...(t.since ? { since: { note: t.since.note, nth: t.since.nth } } : {}) };
}

const ordinal = (n: number): string => `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;

/** For summaries: `2nd "leader" note +3ms`, `1st "commit" note after the 3rd "leader" note`. */
export function describeTrigger(t: Trigger): string {
  const since = t.since ? ` after the ${ordinal(t.since.nth)} "${t.since.note}" note` : '';
  return `${ordinal(t.nth)} "${t.note}" note${since}${t.delay > 0 ? ` +${formatDuration(t.delay)}` : ''}`;
}

export type Edge = 'start' | 'end';

interface Armed {
  token: number;
  edge: Edge;
  fromUs: number;
  nth: number;
  /** Undefined for a `since` stage, which arms `then` when it completes. */
  delayUs: number | undefined;
  then: Trigger | undefined;
  seen: number;
}

/**
 * The armed triggers of one run, by note name. `observe` counts a note for every trigger of that
 * name armed at or before it, and calls `fire` (in plan order) for each one it completes, with the
 * node that made the note and the time the trigger's edge is due.
 */
export class NoteTriggers {
  private readonly byNote = new Map<string, Armed[]>();

  constructor(private readonly fire: (token: number, edge: Edge, noted: NodeId, atUs: number) => void) {}

  arm(token: number, edge: Edge, trigger: Trigger, fromUs: number): void {
    if (trigger.since) this.add(trigger.since.note, { token, edge, fromUs, nth: trigger.since.nth, delayUs: undefined, then: trigger, seen: 0 });
    else this.add(trigger.note, { token, edge, fromUs, nth: trigger.nth, delayUs: trigger.delay, then: undefined, seen: 0 });
  }

  /** Counts one note; a trigger armed by a `since` stage counts only the notes after this one. */
  observe(node: NodeId, name: string, nowUs: number): void {
    const list = this.byNote.get(name);
    if (list === undefined) return;
    const n = list.length;
    for (let i = 0; i < n; i++) {
      const armed = list[i] as Armed;
      if (armed.seen >= armed.nth || nowUs < armed.fromUs || ++armed.seen < armed.nth) continue;
      if (armed.then) this.add(armed.then.note, { token: armed.token, edge: armed.edge, fromUs: nowUs, nth: armed.then.nth, delayUs: armed.then.delay, then: undefined, seen: 0 });
      else this.fire(armed.token, armed.edge, node, nowUs + (armed.delayUs as number));
    }
  }

  private add(note: string, armed: Armed): void {
    const list = this.byNote.get(note);
    if (list) list.push(armed);
    else this.byNote.set(note, [armed]);
  }
}
