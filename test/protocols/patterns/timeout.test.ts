import { describe, expect, it } from 'vitest';
import { deadlineFor, expired, remainingUs } from '../../../protocols/patterns/index.ts';

describe('timeout', () => {
  it('a deadline is now + timeout, and has expired from that instant on', () => {
    const deadline = deadlineFor(1_000, 300);
    expect(deadline).toBe(1_300);
    expect(expired(1_299, deadline)).toBe(false);
    expect(expired(1_300, deadline)).toBe(true);
    expect(expired(5_000, deadline)).toBe(true);
  });

  it('remaining time counts down to 0 and stays there', () => {
    expect(remainingUs(1_000, 1_300)).toBe(300);
    expect(remainingUs(1_300, 1_300)).toBe(0);
    expect(remainingUs(2_000, 1_300)).toBe(0);
  });

  it('rejects times that are not whole non-negative microseconds', () => {
    expect(() => deadlineFor(-1, 10)).toThrow(/nowUs/);
    expect(() => deadlineFor(0, 1.5)).toThrow(/timeoutUs/);
    expect(() => deadlineFor(0, Infinity)).toThrow(/timeoutUs/);
  });
});
