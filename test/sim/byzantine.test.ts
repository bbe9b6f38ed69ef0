import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutateMessage } from '../../sim/byzantine.ts';
import { SeedRng } from '../../sim/rng.ts';

describe('mutateMessage', () => {
  it('changes exactly one scalar field, never the type, and leaves the original alone', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer(), fc.string(), fc.boolean(), (seed, n, s, b) => {
        const msg = { type: 'Vote', n, s, b, nested: { x: 1 } };
        const copy = structuredClone(msg);
        const out = mutateMessage(msg, SeedRng.fromSeed(seed));
        expect(msg).toEqual(copy);
        expect(out.type).toBe('Vote');
        expect(out.nested).toBe(msg.nested);
        const changed = (['n', 's', 'b'] as const).filter((k) => out[k] !== msg[k]);
        expect(changed).toHaveLength(1);
      }),
    );
  });

  it('flips booleans, moves numbers by 1..5 and marks strings', () => {
    const rng = SeedRng.fromSeed(1);
    expect(mutateMessage({ type: 'A', ok: true }, rng)).toEqual({ type: 'A', ok: false });
    expect(mutateMessage({ type: 'A', label: 'x' }, rng)).toEqual({ type: 'A', label: 'x~' });
    for (let i = 0; i < 50; i++) {
      const { n } = mutateMessage({ type: 'A', n: 100 }, rng);
      expect(Math.abs(n - 100)).toBeGreaterThanOrEqual(1);
      expect(Math.abs(n - 100)).toBeLessThanOrEqual(5);
    }
  });

  it('returns the message itself when it has no scalar field to change', () => {
    const msg = { type: 'Empty', list: [1, 2] };
    expect(mutateMessage(msg, SeedRng.fromSeed(1))).toBe(msg);
  });
});
