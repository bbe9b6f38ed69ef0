// Lesson anchors: a narration step is tied to an event by a small pattern (its kind and a few
// fields, such as a note's name and data, a fault's type and node, a message's type or a drop's
// reason) and which occurrence it is, counted after the previous step's event. The same matcher
// runs in the worker (to place steps on a loaded run) and in the tests (to prove every anchor occurs).
// Leaves out: time-based anchors (an anchor is always an event, so it survives small timing changes).
import { z } from 'zod';
import { TRACE_EVENT_KINDS } from '../../sim/traceEvents.ts';

export const anchorSchema = z.object({
  kind: z.enum(TRACE_EVENT_KINDS as unknown as [string, ...string[]]),
  /** The node of a node event, the sender of a message, the node a fault names. */
  node: z.number().int().min(1).optional(),
  /** The receiver of a message. */
  to: z.number().int().min(1).optional(),
  /** A note's name. */
  name: z.string().optional(),
  /** A message's type or a fault's type. */
  type: z.string().optional(),
  /** A drop's reason. */
  reason: z.string().optional(),
  /** A fault's phase. */
  phase: z.enum(['start', 'end']).optional(),
  /** A completion's outcome. */
  outcome: z.enum(['ok', 'fail', 'info']).optional(),
  /** Fields that must be equal in a note's data, a fault, a message or a violation. */
  data: z.record(z.string(), z.unknown()).optional(),
  /** Which match after the previous step's event (1 = the first). */
  nth: z.number().int().min(1).optional(),
}).strict();

export type Anchor = z.infer<typeof anchorSchema>;

type Raw = Record<string, unknown>;

export function matches(anchor: Anchor, e: Raw): boolean {
  if (e.kind !== anchor.kind) return false;
  const node = e.kind === 'send' || e.kind === 'deliver' || e.kind === 'drop' ? e.from : e.kind === 'fault' ? (e.fault as Raw | undefined)?.node : e.node;
  if (anchor.node !== undefined && node !== anchor.node) return false;
  if (anchor.to !== undefined && e.to !== anchor.to) return false;
  if (anchor.name !== undefined && e.name !== anchor.name) return false;
  const type = e.kind === 'send' ? (e.msg as Raw | undefined)?.type : e.kind === 'fault' ? (e.fault as Raw | undefined)?.type : undefined;
  if (anchor.type !== undefined && type !== anchor.type) return false;
  if (anchor.reason !== undefined && e.reason !== anchor.reason) return false;
  if (anchor.phase !== undefined && e.phase !== anchor.phase) return false;
  if (anchor.outcome !== undefined && e.outcome !== anchor.outcome) return false;
  if (anchor.data !== undefined) {
    const data = (e.kind === 'note' ? e.data : e.kind === 'fault' ? e.fault : e.kind === 'send' ? e.msg : e) as Raw | undefined;
    for (const [k, v] of Object.entries(anchor.data)) if (!sameJson(data?.[k], v)) return false;
  }
  return true;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The event index of each anchor, in order, each searched after the previous one's event; -1 for
 * an anchor that does not occur (and every anchor after it). kindOf lets the search skip events
 * of other kinds without decoding them.
 */
export function findAnchors(anchors: readonly Anchor[], count: number, kindOf: (i: number) => string, read: (i: number) => Raw): number[] {
  const out: number[] = [];
  let from = 0;
  for (const anchor of anchors) {
    let seen = 0;
    let found = -1;
    for (let i = from; i < count; i++) {
      if (kindOf(i) !== anchor.kind || !matches(anchor, read(i))) continue;
      if (++seen === (anchor.nth ?? 1)) {
        found = i;
        break;
      }
    }
    out.push(found);
    if (found < 0) {
      while (out.length < anchors.length) out.push(-1);
      break;
    }
    from = found + 1;
  }
  return out;
}
