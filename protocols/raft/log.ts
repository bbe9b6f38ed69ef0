// Log helpers: 1-based indexes, the term at an index, the up-to-date check of RequestVote (section
// 5.4.1), and the prefix hash each entry carries (so that equal index and h mean equal prefixes).
import type { Command, Entry } from './types.ts';

export const lastIndex = (log: readonly Entry[]): number => log.length;
export const termAt = (log: readonly Entry[], index: number): number => (index <= 0 ? 0 : (log[index - 1]?.term ?? -1));
export const lastTerm = (log: readonly Entry[]): number => termAt(log, log.length);

/** Whether a candidate's log (lastTerm, lastIndex) is at least as up to date as ours. */
export function upToDate(log: readonly Entry[], candidateLastIndex: number, candidateLastTerm: number): boolean {
  const myTerm = lastTerm(log);
  return candidateLastTerm > myTerm || (candidateLastTerm === myTerm && candidateLastIndex >= log.length);
}

/** A 32-bit FNV-1a style mix of the previous prefix hash, the term and the command's identity. */
export function chainHash(prev: number, term: number, cmd: Command | null): number {
  let h = (prev ^ 0x811c9dc5) >>> 0;
  const mix = (n: number): void => {
    h = Math.imul(h ^ (n & 0xffff), 16777619) >>> 0;
    h = Math.imul(h ^ (n >>> 16), 16777619) >>> 0;
  };
  mix(term);
  mix(cmd ? cmd.client : 0xffff);
  mix(cmd ? cmd.req : 0);
  return h;
}

/** A new entry, frozen at once (with its command) so freezing a step's state never walks the log. */
export function newEntry(log: readonly Entry[], term: number, cmd: Command | null): Entry {
  const prev = log.length === 0 ? 0 : (log[log.length - 1] as Entry).h;
  if (cmd) Object.freeze(Object.freeze(cmd).op);
  return Object.freeze({ term, cmd, h: chainHash(prev, term, cmd) });
}

/** The first index of the given term in the log (for fast backtracking), or 0. */
export function firstIndexOfTerm(log: readonly Entry[], term: number, upTo: number): number {
  let i = Math.min(upTo, log.length);
  while (i > 1 && termAt(log, i - 1) === term) i--;
  return termAt(log, i) === term ? i : 0;
}
