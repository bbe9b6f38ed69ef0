// The facts a saga node notes, as checkers and metrics read them. Services note step-applied,
// step-refused, step-cancelled and compensation-applied ({ saga, step: "payment" }); the saga's
// owner (orchestrator, or the order service in choreography) notes saga-start and saga-end
// ({ saga, outcome, why }); all of these only once they are on disk, with v, the token of the
// write that holds them. A node that boots announces its last write's notes again (it cannot
// know whether it did before it crashed), so a checker counts a note with the same node and v
// once (firstAnnouncement). The orchestrator also notes
// retry, give-up, rejected ({ saga, service, by: bulkhead | breaker }), breaker ({ service, from,
// to, reason }) and resume; a choreographed service notes retry ({ saga, event, attempt }).
// Leaves out: anything not in a note (checkers never read node state).
import type { ObservedEvent } from '../../sim/traceEvents.ts';
import { STEPS } from './steps.ts';

export interface SagaNote {
  readonly node: number;
  readonly name: string;
  readonly saga: number;
  /** The step's index (-1 when the note names none). */
  readonly step: number;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A filter that passes each durable note's first announcement and drops repeats (same node, v, name, saga, step). */
export function firstAnnouncement(): (n: SagaNote) => boolean {
  const seen = new Set<string>();
  return (n) => {
    const v = n.data.v;
    if (typeof v !== 'number') return true;
    const key = `${n.node}:${v}:${n.name}:${n.saga}:${n.step}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}

let lastEvent: ObservedEvent | undefined;
let lastNote: SagaNote | undefined;

/** The note as a saga fact, or undefined. Every checker reads every event, so the last one is remembered. */
export function sagaNote(e: ObservedEvent): SagaNote | undefined {
  if (e === lastEvent) return lastNote;
  lastEvent = e;
  lastNote = undefined;
  if (e.kind !== 'note' || typeof e.data !== 'object' || e.data === null) return undefined;
  const data = e.data as Record<string, unknown>;
  if (typeof data.saga !== 'number') return undefined;
  lastNote = { node: e.node, name: e.name, saga: data.saga, step: STEPS.indexOf(data.step as never), data };
  return lastNote;
}

