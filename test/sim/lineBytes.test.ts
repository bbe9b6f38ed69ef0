import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineBytes } from '../../sim/lineBytes.ts';

const decode = (b: LineBytes): string => new TextDecoder().decode(b.buffer.subarray(0, b.used));

describe('LineBytes', () => {
  it('writes integers exactly as String(n) does, at every digit-count boundary', () => {
    const edges = [0, 1, 9, 10, 99, 100, 999_999_999, 1_000_000_000, 1_000_000_001, 1_999_999_999, 2 ** 31, 2 ** 32 + 7, 10 ** 15, Number.MAX_SAFE_INTEGER];
    for (const n of edges) {
      const b = new LineBytes(64);
      b.int(n);
      expect(decode(b)).toBe(String(n));
    }
    fc.assert(fc.property(fc.maxSafeNat(), (n) => {
      const b = new LineBytes(64);
      b.int(n);
      return decode(b) === String(n);
    }));
  });

  it('writes text as UTF-8, falling back from the ASCII loop for other characters', () => {
    const b = new LineBytes(256);
    b.text('{"a":"plain"}');
    b.newline();
    b.text('{"b":"é ✓ 🙂"}');
    expect(decode(b)).toBe('{"a":"plain"}\n{"b":"é ✓ 🙂"}');
  });
});
