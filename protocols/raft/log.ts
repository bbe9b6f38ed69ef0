// The Raft log and its helpers: 1-based indexes, the term at an index, the up-to-date check of
// RequestVote (section 5.4.1), and the prefix hash each entry carries (so that equal index and h
// mean equal prefixes). The log is plain JSON but chunked: entries sit in frozen full chunks of
// LOG_CHUNK, then a frozen tail of fewer than LOG_CHUNK, so an append copies only the tail (and
// the list of chunks once per LOG_CHUNK appends), not the whole log: a flat copy per append made a
// long run quadratic (at 1,850 entries a copy cost 3.4us, more than the rest of a Raft step), and
// copying the list of chunks on every append was a sixth of what a raft-5 run allocated. A log is
// never changed in place; old states keep sharing the chunks they had. Leaves out: compaction
// (snapshots).
import type { Command, Entry, RaftLog } from './types.ts';
import { freeze, settled } from '../../sim/freezing.ts';

export type { RaftLog };

export const LOG_CHUNK = 32;

const NO_ENTRIES: readonly Entry[] = Object.freeze([]);
export const EMPTY_LOG: RaftLog = Object.freeze({ length: 0, chunks: Object.freeze([]), tail: NO_ENTRIES });

/** Entry `index` (1-based), or undefined outside 1..length. */
export function entryAt(log: RaftLog, index: number): Entry | undefined {
  if (index < 1 || index > log.length) return undefined;
  const i = index - 1;
  const c = Math.floor(i / LOG_CHUNK);
  return c < log.chunks.length ? (log.chunks[c] as readonly Entry[])[i % LOG_CHUNK] : log.tail[i - c * LOG_CHUNK];
}

export const lastIndex = (log: RaftLog): number => log.length;
export const termAt = (log: RaftLog, index: number): number => (index <= 0 ? 0 : (entryAt(log, index)?.term ?? -1));
export const lastTerm = (log: RaftLog): number => termAt(log, log.length);

/** Entries from index `from` (1-based) up to `to` inclusive, clipped to the log, as a new array. */
export function entriesBetween(log: RaftLog, from: number, to: number): Entry[] {
  const out: Entry[] = [];
  for (let i = Math.max(1, from); i <= Math.min(to, log.length); i++) out.push(entryAt(log, i) as Entry);
  return out;
}

/** Every entry, in order (a fresh array). */
export const logEntries = (log: RaftLog): Entry[] => entriesBetween(log, 1, log.length);

/** The log with the given entries appended (they are frozen if they were not). */
export function appendToLog(log: RaftLog, entries: readonly Entry[]): RaftLog {
  if (entries.length === 0) return log;
  let chunks = log.chunks;
  let tail: Entry[] = [];
  for (let k = 0; k < log.tail.length; k++) tail.push(log.tail[k] as Entry); // a loop: V8 copies a frozen array slowly
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k] as Entry;
    tail.push(settled(e) ? e : Object.freeze({ ...e }));
    if (tail.length === LOG_CHUNK) {
      chunks = chunksWith(chunks, freeze(tail));
      tail = [];
    }
  }
  return freeze({ length: log.length + entries.length, chunks, tail: tail.length > 0 ? freeze(tail) : NO_ENTRIES });
}

/** A frozen list of chunks with one more at the end. */
function chunksWith(chunks: readonly (readonly Entry[])[], chunk: readonly Entry[]): readonly (readonly Entry[])[] {
  const out: (readonly Entry[])[] = [];
  for (let c = 0; c < chunks.length; c++) out.push(chunks[c] as readonly Entry[]);
  out.push(chunk);
  return freeze(out);
}

/** The first `keep` entries. */
export function truncateLog(log: RaftLog, keep: number): RaftLog {
  if (keep >= log.length) return log;
  if (keep <= 0) return EMPTY_LOG;
  const full = Math.floor(keep / LOG_CHUNK);
  const chunks: (readonly Entry[])[] = [];
  for (let c = 0; c < full; c++) chunks.push(log.chunks[c] as readonly Entry[]);
  const tail = keep % LOG_CHUNK > 0 ? Object.freeze(entriesBetween(log, full * LOG_CHUNK + 1, keep)) : NO_ENTRIES;
  return Object.freeze({ length: keep, chunks: Object.freeze(chunks), tail });
}

/** A log holding exactly these entries. */
export const logFromEntries = (entries: readonly Entry[]): RaftLog => appendToLog(EMPTY_LOG, entries);

/** Whether a value read from disk has the shape of a log (full chunks and a short tail that add up to the length). */
export function isRaftLog(value: unknown): value is RaftLog {
  if (typeof value !== 'object' || value === null) return false;
  const { length, chunks, tail } = value as Record<string, unknown>;
  if (!Number.isSafeInteger(length) || !Array.isArray(chunks) || !Array.isArray(tail)) return false;
  if (tail.length >= LOG_CHUNK || chunks.length * LOG_CHUNK + tail.length !== length) return false;
  return chunks.every((c) => Array.isArray(c) && c.length === LOG_CHUNK);
}

/** Whether a candidate's log (lastTerm, lastIndex) is at least as up to date as ours. */
export function upToDate(log: RaftLog, candidateLastIndex: number, candidateLastTerm: number): boolean {
  const myTerm = lastTerm(log);
  return candidateLastTerm > myTerm || (candidateLastTerm === myTerm && candidateLastIndex >= log.length);
}

/** A 32-bit FNV-1a style mix of the previous prefix hash, the term and the command's identity. */
export function chainHash(prev: number, term: number, cmd: Command | null): number {
  let h = mix((prev ^ 0x811c9dc5) >>> 0, term);
  h = mix(h, cmd ? cmd.client : 0xffff);
  return mix(h, cmd ? cmd.req : 0);
}

function mix(h: number, n: number): number {
  const low = Math.imul(h ^ (n & 0xffff), 16777619) >>> 0;
  return Math.imul(low ^ (n >>> 16), 16777619) >>> 0;
}

/** A new entry to follow the log's last one, frozen at once with its command. */
export function newEntry(log: RaftLog | readonly Entry[], term: number, cmd: Command | null): Entry {
  const prev = Array.isArray(log) ? (log[log.length - 1] as Entry | undefined)?.h : entryAt(log as RaftLog, log.length)?.h;
  if (cmd) freeze(freeze(cmd).op);
  return freeze({ term, cmd, h: chainHash(prev ?? 0, term, cmd) });
}

/** The first index of the given term in the log (for fast backtracking), or 0. */
export function firstIndexOfTerm(log: RaftLog, term: number, upTo: number): number {
  let i = Math.min(upTo, log.length);
  while (i > 1 && termAt(log, i - 1) === term) i--;
  return termAt(log, i) === term ? i : 0;
}
