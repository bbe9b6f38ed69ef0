import fc from 'fast-check';
import { applyPatches, enablePatches, freeze, produce, type Patch as ImmerPatch } from 'immer';
import { describe, expect, it } from 'vitest';
import { diffStates, type Patch } from '../../sim/stateDiff.ts';

enablePatches();

const apply = (base: unknown, patches: Patch[]): unknown => applyPatches(base as object, patches as ImmerPatch[]);

/**
 * JSON values as they come out of JSON.parse (so no -0, no undefined). Objects with an own
 * "__proto__" key are left out: immer's applyPatches cannot write that key (it drops it), so no
 * patch format it reads could carry it; protocol states never have one.
 */
const json = fc
  .json({ maxDepth: 4 })
  .filter((text) => !text.includes('"__proto__"'))
  .map((text) => JSON.parse(text) as unknown);
const jsonObject = fc.dictionary(fc.string({ maxLength: 4 }), json, { maxKeys: 6 });
const jsonArray = fc.array(json, { maxLength: 6 });

describe('diffStates', () => {
  it('applyPatches(a, diffStates(a, b)) gives b for any JSON values (property)', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        expect(apply(a, diffStates(a, b))).toEqual(b);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips objects and arrays that share keys and indices (property)', () => {
    fc.assert(
      fc.property(jsonObject, jsonObject, (a, b) => {
        expect(apply(a, diffStates(a, b))).toEqual(b);
        expect(apply(b, diffStates(b, a))).toEqual(a);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(jsonArray, jsonArray, (a, b) => {
        expect(apply(a, diffStates(a, b))).toEqual(b);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips small edits made with produce, as protocols make them (property)', () => {
    type State = { peers: Record<string, string>; log: number[]; term: number };
    const edit = fc.oneof(
      fc.record({ op: fc.constant('set' as const), key: fc.constantFrom('n1', 'n2', 'n3', 'n4'), value: fc.constantFrom('Healthy', 'Suspect', 'Failed') }),
      fc.record({ op: fc.constant('delete' as const), key: fc.constantFrom('n1', 'n2', 'n3', 'n4') }),
      fc.record({ op: fc.constant('push' as const), value: fc.integer() }),
      fc.record({ op: fc.constant('truncate' as const), value: fc.nat({ max: 5 }) }),
      fc.record({ op: fc.constant('term' as const), value: fc.integer() }),
    );
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 8 }), (edits) => {
        const a: State = freeze({ peers: { n1: 'Healthy', n2: 'Suspect' }, log: [1, 2, 3], term: 1 }, true);
        const b = produce(a, (d) => {
          for (const e of edits) {
            if (e.op === 'set') d.peers[e.key] = e.value;
            else if (e.op === 'delete') delete d.peers[e.key];
            else if (e.op === 'push') d.log.push(e.value);
            else if (e.op === 'truncate') d.log.length = Math.min(d.log.length, e.value);
            else d.term = e.value;
          }
        });
        const patches = diffStates(a, b);
        expect(apply(a, patches)).toEqual(b);
        if (a === b) expect(patches).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('gives no patches for the same object and skips shared subtrees', () => {
    const shared = { big: Array.from({ length: 100 }, (_, i) => i) };
    const a = { shared, x: 1 };
    const b = { shared, x: 2 };
    expect(diffStates(a, a)).toEqual([]);
    expect(diffStates(a, b)).toEqual([{ op: 'replace', path: ['x'], value: 2 }]);
  });

  it('writes adds, removes and array truncation as immer patches', () => {
    expect(diffStates({ a: 1, b: 2 }, { a: 1, c: 3 })).toEqual([
      { op: 'add', path: ['c'], value: 3 },
      { op: 'remove', path: ['b'] },
    ]);
    expect(diffStates([1, 2, 3], [1, 9])).toEqual([
      { op: 'replace', path: [1], value: 9 },
      { op: 'replace', path: ['length'], value: 2 },
    ]);
    expect(diffStates({ a: [1] }, { a: { 0: 1 } })).toEqual([{ op: 'replace', path: ['a'], value: { 0: 1 } }]);
  });
});
