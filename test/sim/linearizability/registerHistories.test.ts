// Hand-made register histories: sequential, stale and overlapping reads, writes of unknown outcome
// that must or may take effect, cas that failed, and the counterexample a failure reports (the
// longest linearizable prefix, with states, and the operations that cannot follow it).
import { describe, expect, test } from 'vitest';
import { checkLinearizability } from '../../../sim/linearizability/checkLinearizability.ts';
import { registerModel } from '../../../sim/linearizability/registerModel.ts';
import { RegisterHistory } from './historyBuilders.ts';

const check = (h: RegisterHistory, maxSteps?: number) => checkLinearizability(registerModel, h.ops, maxSteps === undefined ? {} : { maxSteps });
const verdict = (h: RegisterHistory) => check(h).verdict;

describe('register: basic histories', () => {
  test('an empty history is linearizable', () => {
    expect(check(new RegisterHistory())).toMatchObject({ verdict: 'linearizable', operations: 0, partitions: 1 });
  });

  test('a read of the initial value sees nil', () => {
    expect(verdict(new RegisterHistory().read(1, null, 0, 1))).toBe('linearizable');
    expect(verdict(new RegisterHistory().read(1, 0, 0, 1))).toBe('not-linearizable');
  });

  test('a sequential write then read', () => {
    expect(verdict(new RegisterHistory().write(1, 1, 0, 1).read(2, 1, 2, 3))).toBe('linearizable');
    expect(verdict(new RegisterHistory().write(1, 1, 0, 1).read(2, null, 2, 3))).toBe('not-linearizable');
  });

  test('reads overlapping a write may see either value, but not go back once the new one is seen', () => {
    expect(verdict(new RegisterHistory().write(1, 1, 0, 10).read(2, null, 1, 2).read(2, 1, 3, 4))).toBe('linearizable');
    expect(verdict(new RegisterHistory().write(1, 1, 0, 10).read(2, 1, 1, 2).read(2, null, 3, 4))).toBe('not-linearizable');
    // Two concurrent readers can disagree while the write is in flight.
    expect(verdict(new RegisterHistory().write(1, 1, 0, 10).read(2, 1, 1, 5).read(3, null, 2, 6))).toBe('linearizable');
  });

  test('operations that touch (one returns as the next is called) count as concurrent', () => {
    expect(verdict(new RegisterHistory().write(1, 1, 0, 5).read(2, null, 5, 6))).toBe('linearizable');
    expect(verdict(new RegisterHistory().write(1, 1, 0, 5).read(2, null, 6, 7))).toBe('not-linearizable');
  });

  test('two writes overlapping: the later read decides their order', () => {
    const h = () => new RegisterHistory().write(1, 1, 0, 10).write(2, 2, 0, 10);
    expect(verdict(h().read(3, 1, 11, 12))).toBe('linearizable');
    expect(verdict(h().read(3, 2, 11, 12))).toBe('linearizable');
    expect(verdict(h().read(3, 2, 11, 12).read(3, 1, 13, 14))).toBe('not-linearizable');
  });
});

describe('register: unknown outcomes', () => {
  test('a write of unknown outcome must take effect when a later read sees it', () => {
    expect(verdict(new RegisterHistory().write(1, 1, 0, undefined, true).read(2, 1, 5, 6))).toBe('linearizable');
  });

  test('a write of unknown outcome may never take effect', () => {
    expect(verdict(new RegisterHistory().write(1, 1, 0, undefined, true).read(2, null, 5, 6).read(2, null, 100, 101))).toBe('linearizable');
  });

  test('a write of unknown outcome cannot take effect before it was called', () => {
    expect(verdict(new RegisterHistory().read(2, 1, 0, 1).write(1, 1, 2, undefined, true))).toBe('not-linearizable');
  });

  test('once it has taken effect it stays', () => {
    expect(verdict(new RegisterHistory().write(1, 1, 0, undefined, true).read(2, 1, 5, 6).read(2, null, 7, 8))).toBe('not-linearizable');
  });

  test('it may take effect long after it timed out', () => {
    const h = new RegisterHistory().write(1, 5, 0, undefined, true).write(2, 6, 10, 11).read(3, 6, 12, 13).read(3, 5, 20, 21);
    expect(verdict(h)).toBe('linearizable');
  });

  test('reads of unknown outcome constrain nothing and are dropped', () => {
    const r = check(new RegisterHistory().write(1, 1, 0, 1).read(2, 'unknown', 2, 3).read(2, 'unknown', 4));
    expect(r).toMatchObject({ verdict: 'linearizable', operations: 1, dropped: 2 });
  });

  test('a cas of unknown outcome may or may not have swapped', () => {
    const h = () => new RegisterHistory().write(1, 1, 0, 1).cas(2, 1, 2, 'unknown', 2);
    expect(verdict(h().read(3, 2, 5, 6))).toBe('linearizable');
    expect(verdict(h().read(3, 1, 5, 6))).toBe('linearizable');
    expect(verdict(h().read(3, 3, 5, 6))).toBe('not-linearizable');
  });
});

describe('register: compare-and-set', () => {
  test('a successful cas swaps; a failed cas found a different value', () => {
    expect(verdict(new RegisterHistory().write(1, 1, 0, 1).cas(2, 1, 2, true, 2, 3).read(3, 2, 4, 5))).toBe('linearizable');
    expect(verdict(new RegisterHistory().write(1, 1, 0, 1).cas(2, 3, 2, false, 2, 3).read(3, 1, 4, 5))).toBe('linearizable');
    expect(verdict(new RegisterHistory().write(1, 1, 0, 1).cas(2, 3, 2, true, 2, 3))).toBe('not-linearizable');
  });

  test('a cas that failed although the value matched is not linearizable, and says why', () => {
    const r = check(new RegisterHistory().write(1, 1, 0, 1).cas(2, 1, 2, false, 2, 3));
    expect(r.verdict).toBe('not-linearizable');
    expect(r.counterexample?.unplaceable).toEqual([
      { id: 2, client: 2, op: 'cas 1->2 failed', callUs: 2, returnUs: 3, reason: 'cas 1->2 failed but the value was 1, so it would have swapped' },
    ]);
  });
});

describe('register: the counterexample', () => {
  test('names the longest linearizable prefix with the state after each operation, and what cannot follow', () => {
    const h = new RegisterHistory().write(1, 1, 0, 1).write(2, 2, 2, 3).read(3, 2, 4, 5).read(3, 1, 6, 7).write(1, 3, 8, 9);
    const r = check(h);
    expect(r.verdict).toBe('not-linearizable');
    expect(r.counterexample).toEqual({
      partition: 'whole history',
      operations: 5,
      initialState: 'nil',
      prefix: [
        { id: 1, client: 1, op: 'write 1', state: 1, stateText: '1' },
        { id: 2, client: 2, op: 'write 2', state: 2, stateText: '2' },
        { id: 3, client: 3, op: 'read -> 2', state: 2, stateText: '2' },
      ],
      unplaceable: [{ id: 4, client: 3, op: 'read -> 1', callUs: 6, returnUs: 7, reason: 'read returned 1 but the value could only be 2' }],
    });
  });

  test('the prefix is the longest over every path, and every concurrent candidate after it is listed', () => {
    // Write 1 and write 2 overlap; the reads that follow need 2 then 1, then a read of 3 nothing wrote.
    const h = new RegisterHistory().write(1, 1, 0, 10).write(2, 2, 0, 10).read(3, 2, 11, 12).read(3, 1, 13, 20).read(4, 7, 14, 20);
    const r = check(h);
    expect(r.verdict).toBe('not-linearizable');
    expect(r.counterexample?.prefix.map((p) => [p.id, p.state])).toEqual([[1, 1], [2, 2], [3, 2]]);
    expect(r.counterexample?.unplaceable.map((u) => [u.id, u.reason])).toEqual([
      [4, 'read returned 1 but the value could only be 2'],
      [5, 'read returned 7 but the value could only be 2'],
    ]);
  });

  test('when even the first operation fits no state, the prefix is empty', () => {
    const r = check(new RegisterHistory().read(1, 4, 0, 1));
    expect(r.counterexample?.prefix).toEqual([]);
    expect(r.counterexample?.unplaceable.map((u) => u.reason)).toEqual(['read returned 4 but the value could only be nil']);
  });
});

describe('register: the step budget', () => {
  test('a search that needs more steps than allowed ends unknown, and says so', () => {
    const h = new RegisterHistory();
    for (let c = 0; c < 8; c++) h.write(c, c, 0, 100);
    h.read(9, 0, 101, 102).read(9, 99, 103, 104);
    const r = check(h, 20);
    expect(r.verdict).toBe('unknown');
    expect(r.steps).toBe(20);
    expect(r.reason).toMatch(/the search budget of 20 steps ran out with 1 of 1 part\(s\) undecided \(whole history\)/);
    expect(check(h).verdict).toBe('not-linearizable');
  });
});
