// Hand-made key-value histories: missing keys read "", put / append / cas, keys checked as
// independent parts (and the same verdicts unsplit), unknown outcomes, the counterexample naming
// the failing key, and the one-key and whole-map models agreeing with each other.
import { describe, expect, test } from 'vitest';
import { checkLinearizability } from '../../../sim/linearizability/checkLinearizability.ts';
import { kvKeyModel, kvModel, type KvState, type KvValue } from '../../../sim/linearizability/kvModel.ts';
import { UNKNOWN } from '../../../sim/linearizability/operation.ts';
import { KvHistory } from './historyBuilders.ts';

const both = (h: KvHistory) => {
  const split = checkLinearizability(kvModel, h.ops);
  const whole = checkLinearizability(kvModel, h.ops, { partition: false });
  expect(whole.verdict, 'split and unsplit agree').toBe(split.verdict);
  return split;
};

describe('kv model', () => {
  test('a missing key reads as "", and putting "" is the same state as never writing', () => {
    expect(kvModel.step(kvModel.init(), { f: 'get', key: 'k' }, { ok: true, value: '' })).toEqual({});
    const put = kvModel.step(kvModel.init(), { f: 'put', key: 'k', value: '' }, { ok: true }) as KvState;
    expect(kvModel.key(put)).toBe(kvModel.key(kvModel.init()));
  });

  test('state keys do not depend on the order keys were written', () => {
    const s = kvModel.init();
    const ab = kvModel.step(kvModel.step(s, { f: 'put', key: 'a', value: '1' }, UNKNOWN) as KvState, { f: 'put', key: 'b', value: '2' }, UNKNOWN) as KvState;
    const ba = kvModel.step(kvModel.step(s, { f: 'put', key: 'b', value: '2' }, UNKNOWN) as KvState, { f: 'put', key: 'a', value: '1' }, UNKNOWN) as KvState;
    expect(kvModel.key(ab)).toBe(kvModel.key(ba));
    expect(kvModel.key(ab)).not.toBe(kvModel.key(kvModel.step(ab, { f: 'append', key: 'a', value: 'x' }, UNKNOWN) as KvState));
  });

  test('steps never change the state they are given', () => {
    const s = Object.freeze({ k: 'v' });
    expect(kvModel.step(s, { f: 'append', key: 'k', value: 'w' }, { ok: true })).toEqual({ k: 'vw' });
    expect(kvModel.step(s, { f: 'cas', key: 'k', from: 'v', to: 'x' }, { ok: true })).toEqual({ k: 'x' });
    expect(s).toEqual({ k: 'v' });
  });

  test('the one-key model steps exactly as the map model does on that key, and its hash follows the value', () => {
    const one = kvKeyModel('k');
    const inputs = [
      { f: 'put', key: 'k', value: 'a' },
      { f: 'append', key: 'k', value: 'b' },
      { f: 'append', key: 'k', value: 'cd' },
      { f: 'cas', key: 'k', from: 'abcd', to: 'abcd' },
    ] as const;
    let map: KvState = kvModel.init();
    let value = one.init();
    for (const input of inputs) {
      map = kvModel.step(map, input, { ok: true }) as KvState;
      value = one.step(value, input, { ok: true }) as KvValue;
      expect(map.k).toBe(value.value);
    }
    const direct = one.step(one.init(), { f: 'put', key: 'k', value: 'abcd' }, { ok: true }) as KvValue;
    expect(one.hash?.(direct)).toBe(one.hash?.(value));
    expect(one.equal?.(direct, value)).toBe(true);
    expect(one.hash?.(one.step(value, { f: 'append', key: 'k', value: 'e' }, UNKNOWN) as KvValue)).not.toBe(one.hash?.(value));
    expect(one.step(value, { f: 'get', key: 'k' }, { ok: true, value: 'ab' })).toBeUndefined();
    expect(one.step(value, { f: 'get', key: 'k' }, { ok: true, value: 'abcd' })).toBe(value);
    expect(one.explain?.(value, { f: 'get', key: 'k' }, { ok: true, value: 'ab' })).toBe('get of "k" returned "ab" but the value could only be "abcd"');
  });

  test('splits a history per key, in the order keys first appear', () => {
    const h = new KvHistory().put(1, 'b', '1', 0, 1).put(1, 'a', '1', 2, 3).get(2, 'b', '1', 4, 5);
    expect(kvModel.partition?.(h.ops).map((p) => [p.label, p.ops.map((op) => op.id)])).toEqual([['key "b"', [1, 3]], ['key "a"', [2]]]);
  });
});

describe('kv histories', () => {
  test('put, append and get, sequential', () => {
    const h = new KvHistory().put(1, 'x', 'a', 0, 1).append(2, 'x', 'b', 2, 3).get(3, 'x', 'ab', 4, 5).get(3, 'y', '', 6, 7);
    expect(both(h)).toMatchObject({ verdict: 'linearizable', partitions: 2, operations: 4 });
  });

  test('appends that overlap may land in either order, but a read fixes it', () => {
    const h = () => new KvHistory().append(1, 'x', 'a', 0, 10).append(2, 'x', 'b', 0, 10);
    expect(both(h().get(3, 'x', 'ab', 11, 12)).verdict).toBe('linearizable');
    expect(both(h().get(3, 'x', 'ba', 11, 12)).verdict).toBe('linearizable');
    expect(both(h().get(3, 'x', 'ba', 11, 12).get(3, 'x', 'ab', 13, 14)).verdict).toBe('not-linearizable');
    expect(both(h().get(3, 'x', 'a', 11, 12)).verdict).toBe('not-linearizable');
  });

  test('a put of unknown outcome may take effect at any time after its call, or never', () => {
    expect(both(new KvHistory().put(1, 'x', 'v', 0).get(2, 'x', '', 5, 6).get(2, 'x', 'v', 7, 8)).verdict).toBe('linearizable');
    expect(both(new KvHistory().put(1, 'x', 'v', 0).get(2, 'x', '', 5, 6)).verdict).toBe('linearizable');
    expect(both(new KvHistory().get(2, 'x', 'v', 0, 1).put(1, 'x', 'v', 2)).verdict).toBe('not-linearizable');
  });

  test('cas: ok swapped, failed found another value', () => {
    const h = () => new KvHistory().put(1, 'x', 'a', 0, 1);
    expect(both(h().cas(2, 'x', 'a', 'b', true, 2, 3).get(3, 'x', 'b', 4, 5)).verdict).toBe('linearizable');
    expect(both(h().cas(2, 'x', 'z', 'b', false, 2, 3).get(3, 'x', 'a', 4, 5)).verdict).toBe('linearizable');
    const failed = both(h().cas(2, 'x', 'a', 'b', false, 2, 3));
    expect(failed.counterexample?.unplaceable[0]?.reason).toBe('cas of "x" from "a" failed but the value was "a", so it would have swapped');
  });

  test('the counterexample names the key that fails, with the key\'s state after each operation', () => {
    const h = new KvHistory().put(1, 'ok', 'v', 0, 1).get(1, 'ok', 'v', 2, 3).append(2, 'bad', 'x 0', 0, 1).append(2, 'bad', 'x 1', 2, 3).get(3, 'bad', 'x 1', 4, 5);
    const r = checkLinearizability(kvModel, h.ops);
    expect(r.verdict).toBe('not-linearizable');
    expect(r.counterexample).toMatchObject({
      partition: 'key "bad"',
      operations: 3,
      prefix: [
        { id: 3, op: 'append("bad", "x 0")', state: { bad: 'x 0' }, stateText: '{"bad": "x 0"}' },
        { id: 4, op: 'append("bad", "x 1")', state: { bad: 'x 0x 1' }, stateText: '{"bad": "x 0x 1"}' },
      ],
      unplaceable: [{ id: 5, client: 3, op: 'get("bad") -> "x 1"', reason: 'get of "bad" returned "x 1" but the value could only be "x 0x 1"' }],
    });
    const whole = checkLinearizability(kvModel, h.ops, { partition: false });
    expect(whole.counterexample?.partition).toBe('whole history');
    expect(whole.counterexample?.unplaceable.map((u) => u.reason)).toEqual(['get of "bad" returned "x 1" but the value could only be "x 0x 1"']);
  });

  test('gets of unknown outcome are dropped', () => {
    expect(both(new KvHistory().put(1, 'x', 'a', 0, 1).get(2, 'x', 'unknown', 2))).toMatchObject({ verdict: 'linearizable', dropped: 1, operations: 1 });
  });
});
