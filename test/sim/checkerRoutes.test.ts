// The engine hands each observed event only to the checkers that read it, in their own order.
import { describe, expect, it } from 'vitest';
import type { AlwaysChecker, Checker } from '../../sim/checker.ts';
import { CheckerRoutes } from '../../sim/checkerRoutes.ts';
import type { ObservedEvent } from '../../sim/traceEvents.ts';

function checker(name: string, reads?: string[]): AlwaysChecker {
  return { name, kind: 'always', description: name, observe() {}, broken: () => undefined, ...(reads ? { reads } : {}) };
}
const names = (list: readonly Checker[]): string[] => list.map((c) => c.name);
const note = (name: string): ObservedEvent => ({ t: 0, kind: 'note', node: 1, name });

describe('CheckerRoutes', () => {
  const all = checker('all');
  const leader = checker('leader', ['fault', 'note:leader']);
  const notes = checker('notes', ['note']);
  const boots = checker('boots', ['boot']);
  const routes = new CheckerRoutes([all, leader, notes, boots]);

  it('routes a note by its name, keeping the checkers in order', () => {
    expect(names(routes.for(note('leader')))).toEqual(['all', 'leader', 'notes']);
    expect(names(routes.for(note('entry')))).toEqual(['all', 'notes']);
    expect(names(routes.for(note('entry')))).toEqual(['all', 'notes']);
  });

  it('routes other events by kind; a checker without reads gets everything', () => {
    expect(names(routes.for({ t: 0, kind: 'fault', phase: 'start', fault: { type: 'crash', node: 1, at: 0, for: 1 } } as ObservedEvent))).toEqual(['all', 'leader']);
    expect(names(routes.for({ t: 0, kind: 'boot', node: 1, disk: 'fresh', state: {} } as ObservedEvent))).toEqual(['all', 'boots']);
    expect(names(routes.for({ t: 0, kind: 'phase', phase: 'heal' }))).toEqual(['all']);
  });

  it('refuses a kind it does not know, naming the checker', () => {
    expect(() => new CheckerRoutes([checker('typo', ['notes:leader'])])).toThrow(/checker typo: reads "notes:leader"; expected one of boot, note, fault, phase, invoke, complete or note:NAME/);
    expect(() => new CheckerRoutes([checker('empty', ['note:'])])).toThrow(/checker empty/);
  });
});
