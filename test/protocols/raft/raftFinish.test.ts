// finishState, Raft's spelled-out end of a step, must see a change to every field of the state
// (a field left out of it would make a changed step look unchanged and lose the change).
import { describe, expect, it } from 'vitest';
import { finishState } from '../../../protocols/raft/raft.ts';
import type { RaftState } from '../../../protocols/raft/types.ts';
import { stateWith } from './raftFixtures.ts';

/** A value of the same kind as `v`, but a different object or number. */
function another(v: unknown): unknown {
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'string') return `${v}x`;
  if (v === null) return 7;
  if (Array.isArray(v)) return [...v, { added: true }];
  return { ...(v as object), added: { deep: true } };
}

describe('finishState', () => {
  const before = stateWith({ term: 2, votedFor: 1, log: [] });

  it('returns the state itself when no field was replaced', () => {
    expect(finishState(before, { ...before })).toBe(before);
  });

  for (const key of Object.keys(stateWith()) as (keyof RaftState)[]) {
    it(`sees a change to ${key} and freezes what the step made`, () => {
      const working = { ...before, [key]: another(before[key]) };
      const after = finishState(before, working);
      expect(after).not.toBe(before);
      expect(after[key]).toEqual(working[key]);
      expect(Object.isFrozen(after)).toBe(true);
      const value = after[key] as unknown;
      if (typeof value === 'object' && value !== null) {
        expect(Object.isFrozen(value)).toBe(true);
        const added = Array.isArray(value) ? value[value.length - 1] : (value as { added?: unknown }).added;
        expect(Object.isFrozen(added)).toBe(true);
      }
    });
  }
});
