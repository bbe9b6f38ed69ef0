// The chunked Raft log (protocols/raft/log.ts) against a flat array: any sequence of appends and
// truncations reads back the same entries, old logs never change (states share chunks), every
// chunk is full and the tail shorter, and a value from disk is accepted only with consistent sizes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appendToLog, EMPTY_LOG, entriesBetween, entryAt, isRaftLog, LOG_CHUNK, logEntries, logFromEntries, newEntry, termAt, truncateLog, type RaftLog,
} from '../../../protocols/raft/log.ts';
import type { Entry } from '../../../protocols/raft/types.ts';

const entry = (n: number): Entry => newEntry([], 1 + (n % 3), { client: 1, req: n, op: { f: 'put', key: 'k', value: String(n) } });

type LogOp = { append: number } | { truncate: number };
const opArb: fc.Arbitrary<LogOp> = fc.oneof(
  fc.record({ append: fc.integer({ min: 0, max: 3 * LOG_CHUNK }) }),
  fc.record({ truncate: fc.integer({ min: 0, max: 5 * LOG_CHUNK }) }),
);

describe('the chunked log', () => {
  it('reads back like a flat array after any appends and truncations, and never changes an older log', () => {
    fc.assert(fc.property(fc.array(opArb, { maxLength: 12 }), (ops) => {
      let log: RaftLog = EMPTY_LOG;
      let flat: Entry[] = [];
      let next = 0;
      const history: [RaftLog, Entry[]][] = [];
      for (const op of ops) {
        if ('append' in op) {
          const added = Array.from({ length: op.append }, () => entry(next++));
          log = appendToLog(log, added);
          flat = [...flat, ...added];
        } else {
          log = truncateLog(log, op.truncate);
          flat = flat.slice(0, op.truncate);
        }
        history.push([log, flat]);
      }
      for (const [old, oldFlat] of history) {
        expect(old.length).toBe(oldFlat.length);
        expect(logEntries(old)).toEqual(oldFlat);
        expect(isRaftLog(old)).toBe(true);
        expect(old.chunks.every((c) => c.length === LOG_CHUNK) && old.tail.length < LOG_CHUNK).toBe(true);
        expect(Object.isFrozen(old) && Object.isFrozen(old.chunks) && Object.isFrozen(old.tail) && old.chunks.every((c) => Object.isFrozen(c))).toBe(true);
      }
    }));
  });

  it('appending shares every full chunk, and the list of them until the tail fills, with the log it extends', () => {
    const log = logFromEntries(Array.from({ length: 2 * LOG_CHUNK + 5 }, (_, i) => entry(i)));
    const longer = appendToLog(log, [entry(999)]);
    expect(longer.chunks).toBe(log.chunks);
    expect(longer.tail).toEqual([...log.tail, entry(999)]);
    expect(log.length).toBe(2 * LOG_CHUNK + 5);
    const filled = appendToLog(log, Array.from({ length: LOG_CHUNK - 5 }, (_, i) => entry(1000 + i)));
    expect(filled.chunks.slice(0, 2)).toEqual([log.chunks[0], log.chunks[1]]);
    expect(filled.chunks[0]).toBe(log.chunks[0]);
    expect(filled.chunks).toHaveLength(3);
    expect(filled.tail).toEqual([]);
  });

  it('indexes from 1: entryAt, termAt and entriesBetween clip to the log', () => {
    const entries = Array.from({ length: LOG_CHUNK + 2 }, (_, i) => entry(i));
    const log = logFromEntries(entries);
    expect(entryAt(log, 1)).toBe(entries[0]);
    expect(entryAt(log, LOG_CHUNK + 1)).toBe(entries[LOG_CHUNK]);
    expect(entryAt(log, 0)).toBeUndefined();
    expect(entryAt(log, LOG_CHUNK + 3)).toBeUndefined();
    expect(termAt(log, 0)).toBe(0);
    expect(termAt(log, LOG_CHUNK + 3)).toBe(-1);
    expect(entriesBetween(log, LOG_CHUNK, LOG_CHUNK + 10)).toEqual(entries.slice(LOG_CHUNK - 1));
    expect(entriesBetween(log, -5, 2)).toEqual(entries.slice(0, 2));
  });

  it.each<[string, unknown]>([
    ['a flat list', []],
    ['a length that disagrees with the tail', { length: 3, chunks: [], tail: [1, 2] }],
    ['a short chunk', { length: 2, chunks: [[1]], tail: [2] }],
    ['a tail of a full chunk', { length: LOG_CHUNK, chunks: [], tail: Array.from({ length: LOG_CHUNK }, (_, i) => i) }],
    ['no tail', { length: 0, chunks: [] }],
    ['a fractional length', { length: 1.5, chunks: [], tail: [1] }],
    ['chunks that are not lists', { length: LOG_CHUNK, chunks: [{ 0: 1 }], tail: [] }],
  ])('rejects %s as a log read from disk', (_what, value) => {
    expect(isRaftLog(value)).toBe(false);
  });
});
