// Which checkers read which observed events. A checker may declare what it reads (`reads`: event
// kinds such as 'boot' or 'fault', 'note' for every note, or 'note:NAME' for one note); one that
// declares nothing reads everything. The engine then hands an event only to the checkers that read
// it, in the checkers' own order (so the first violation is the same as with every checker called).
// On Raft's raft-5 run that skips about four of every five checker calls.
// Leaves out: filtering by node or by note data.
import type { Checker } from './checker.ts';
import type { ObservedEvent } from './traceEvents.ts';

const KINDS: readonly ObservedEvent['kind'][] = ['boot', 'note', 'fault', 'phase', 'invoke', 'complete'];

export class CheckerRoutes {
  private readonly byKind = new Map<string, readonly Checker[]>();
  private readonly byNote = new Map<string, readonly Checker[]>();
  /** The last note's name and list: notes come in runs of one name (entry, entry, apply, ...). */
  private lastNote: string | undefined;
  private lastList: readonly Checker[] = [];

  constructor(private readonly checkers: readonly Checker[]) {
    for (const c of checkers) checkReads(c);
    for (const kind of KINDS) if (kind !== 'note') this.byKind.set(kind, checkers.filter((c) => reads(c, kind)));
  }

  /** The checkers that read this event, in order. */
  for(event: ObservedEvent): readonly Checker[] {
    if (event.kind !== 'note') return this.byKind.get(event.kind) ?? this.checkers;
    if (event.name === this.lastNote) return this.lastList;
    let list = this.byNote.get(event.name);
    if (list === undefined) this.byNote.set(event.name, (list = this.checkers.filter((c) => readsNote(c, event.name))));
    this.lastNote = event.name;
    this.lastList = list;
    return list;
  }
}

function reads(c: Checker, kind: string): boolean {
  return c.reads === undefined || c.reads.includes(kind);
}

function readsNote(c: Checker, name: string): boolean {
  return c.reads === undefined || c.reads.includes('note') || c.reads.includes(`note:${name}`);
}

/** A misspelt kind would silently starve a checker; refuse it at the start of the run. */
function checkReads(c: Checker): void {
  for (const r of c.reads ?? []) {
    const kind = r.startsWith('note:') ? 'note' : r;
    if (!(KINDS as readonly string[]).includes(kind) || r === 'note:') {
      throw new Error(`checker ${c.name}: reads ${JSON.stringify(r)}; expected one of ${KINDS.join(', ')} or note:NAME`);
    }
  }
}
