// The precedence of SWIM membership updates (membership.ts `supersedes`): every row of the rules in
// that file's header, the unknown-member case and the Dead-vs-rejoin rule, then fast-check
// properties: the order is exactly "higher incarnation wins, then Alive < Suspect < Dead".
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { supersedes } from '../../../protocols/swim/membership.ts';
import type { Member, MemberStatus } from '../../../protocols/swim/types.ts';
import { member, upd } from './swimFixtures.ts';

type Row = [current: MemberStatus, currentInc: number, update: MemberStatus, updateInc: number, wins: boolean];

// current  inc  update  inc  supersedes?
const ROWS: Row[] = [
  // Alive(i) overrides Alive(j), Suspect(j) and Dead(j) when i > j
  ['Alive', 1, 'Alive', 2, true], ['Alive', 1, 'Alive', 1, false], ['Alive', 2, 'Alive', 1, false],
  ['Suspect', 1, 'Alive', 2, true], ['Suspect', 1, 'Alive', 1, false], ['Suspect', 2, 'Alive', 1, false],
  ['Dead', 1, 'Alive', 2, true], ['Dead', 1, 'Alive', 1, false], ['Dead', 2, 'Alive', 1, false],
  // Suspect(i) overrides Alive(j) when i >= j, and Suspect(j), Dead(j) when i > j
  ['Alive', 1, 'Suspect', 1, true], ['Alive', 1, 'Suspect', 2, true], ['Alive', 2, 'Suspect', 1, false],
  ['Suspect', 1, 'Suspect', 2, true], ['Suspect', 1, 'Suspect', 1, false], ['Suspect', 2, 'Suspect', 1, false],
  ['Dead', 1, 'Suspect', 2, true], ['Dead', 1, 'Suspect', 1, false], ['Dead', 2, 'Suspect', 1, false],
  // Dead(i) overrides Alive(j) and Suspect(j) when i >= j, and Dead(j) when i > j
  ['Alive', 1, 'Dead', 1, true], ['Alive', 1, 'Dead', 2, true],
  ['Suspect', 1, 'Dead', 1, true], ['Suspect', 1, 'Dead', 2, true],
  ['Dead', 1, 'Dead', 2, true], ['Dead', 1, 'Dead', 1, false], ['Dead', 2, 'Dead', 1, false],
  // Not the paper's "confirm overrides everything": a Dead about an older incarnation cannot kill
  // a member that has since rejoined (or refuted) with a higher one.
  ['Alive', 2, 'Dead', 1, false], ['Suspect', 2, 'Dead', 1, false],
];

describe('SWIM update precedence (supersedes)', () => {
  it.each(ROWS)('known %s@%i, update %s@%i: supersedes = %s', (status, inc, uStatus, uInc, wins) => {
    expect(supersedes(member(status, inc), upd(7, uStatus, uInc))).toBe(wins);
  });

  it.each(['Alive', 'Suspect', 'Dead'] as const)('any %s update about an unknown member is news', (status) => {
    expect(supersedes(undefined, upd(7, status, 0))).toBe(true);
    expect(supersedes(undefined, upd(7, status, 9))).toBe(true);
  });
});

const RANK: Record<MemberStatus, number> = { Alive: 0, Suspect: 1, Dead: 2 };
const statusArb = fc.constantFrom<MemberStatus>('Alive', 'Suspect', 'Dead');
const memberArb = fc.record({ status: statusArb, inc: fc.nat({ max: 6 }) });
const asUpdate = (m: Member) => upd(3, m.status, m.inc);
/** (inc, rank) compared lexicographically. */
const lexGreater = (a: Member, b: Member): boolean => a.inc > b.inc || (a.inc === b.inc && RANK[a.status] > RANK[b.status]);

describe('SWIM update precedence properties', () => {
  it('supersedes is exactly: higher incarnation, or the same incarnation and Alive < Suspect < Dead', () => {
    fc.assert(fc.property(memberArb, memberArb, (current, u) => supersedes(current, asUpdate(u)) === lexGreater(u, current)));
  });

  it('an update never supersedes itself', () => {
    fc.assert(fc.property(memberArb, (m) => !supersedes(m, asUpdate(m))));
  });

  it('of two different facts exactly one supersedes the other (a strict total order, so gossip converges)', () => {
    fc.assert(
      fc.property(memberArb, memberArb, (a, b) => {
        fc.pre(a.status !== b.status || a.inc !== b.inc);
        return supersedes(a, asUpdate(b)) !== supersedes(b, asUpdate(a));
      }),
    );
  });

  it('is transitive: applying a sequence of updates keeps the greatest one, forwards or backwards', () => {
    fc.assert(
      fc.property(fc.array(memberArb, { minLength: 1, maxLength: 8 }), (facts) => {
        const fold = (list: Member[]) => list.reduce<Member | undefined>((cur, u) => (supersedes(cur, asUpdate(u)) ? u : cur), undefined);
        const max = facts.reduce((a, b) => (lexGreater(b, a) ? b : a));
        const reversed = fold([...facts].reverse());
        return fold(facts)?.inc === max.inc && fold(facts)?.status === max.status && reversed?.inc === max.inc && reversed?.status === max.status;
      }),
    );
  });
});
