// Durable writes of a saga node (orchestrator log or service records), and what must wait for
// them. Every step that changes durable data writes the node's whole durable state once, with
// token seq + 1 (the engine holds that step's sends and replies until the write completes, and
// drops them if it fails). A record changed in that step carries the token as its version v; it
// is durable once a write with token >= v completes (writes complete in order and each holds
// everything written before). Something that depends on a record not yet on disk, in a step that
// writes nothing, waits in `held` for the write in flight (a second write would only queue behind
// it: on a slow disk, a write per retry piles up a backlog that outlives the fault), or, if that
// write failed (full disk), goes out behind a new write. Notes about effects (a step applied, a
// saga ended) wait for their write, so a checker only hears of what the disk holds. A write can
// be on disk although the node never hears so (it crashed first), so the notes not yet announced
// are written too and announced again when the node boots from that write; each carries v, so a
// checker tells a repeat (same node and v) from the effect happening again. A failed write arms
// a `flush` timer that writes again. Leaves out: torn and lost writes (the engine has none).
import type { Effect } from '../../sim/types.ts';
import type { SagaMessage, SagaTimer } from './types.ts';

export interface PendingNote {
  readonly seq: number;
  readonly name: string;
  readonly data: unknown;
}

export type SagaEffect = Effect<SagaMessage, SagaTimer>;

/** A send or reply waiting for write `until` (volatile: lost in a crash, like any unsent message). */
export interface HeldEffect {
  readonly until: number;
  readonly effect: SagaEffect;
}

export interface Journal {
  /** Token of the latest write issued. */
  readonly seq: number;
  /** Token of the latest write completed. */
  readonly durable: number;
  /** Token of the latest write that failed (0: none). */
  readonly failed: number;
  /** Notes waiting for their write, oldest first. */
  readonly notes: readonly PendingNote[];
  readonly held: readonly HeldEffect[];
}

/** A journal after a boot: what the disk holds is durable. */
export const bootJournal = (seq: number): Journal => ({ seq, durable: seq, failed: 0, notes: [], held: [] });

/** The notes a booting node announces: those its last write held, announced or not before the crash. */
export const announceOnBoot = (notes: readonly PendingNote[] | undefined): SagaEffect[] => (notes ?? []).map((n) => ({ kind: 'note', name: n.name, data: n.data }));

/** Whether a record of version v is on disk. */
export const isDurable = (journal: Journal, v: number): boolean => v <= journal.durable;

export const dirty = (journal: Journal): boolean => journal.seq > journal.durable;

/** Whether the latest write is still in flight (it will make everything durable unless it fails). */
export const writing = (journal: Journal): boolean => dirty(journal) && journal.seq > journal.failed;

/** The journal after issuing write `token` (the caller pushes the persist effect). */
export const issued = (journal: Journal, token: number): Journal => ({ ...journal, seq: token });

/** Retry a failed write after this long (a full disk usually stays full for a while). */
export const FLUSH_AFTER_US = 50_000;

/**
 * A write completed (ok) or failed. Returns the journal after it and the effects: the notes and
 * held sends now due, or a flush timer after a failure.
 */
export function onWriteDone(journal: Journal, token: number, ok: boolean): { journal: Journal; effects: SagaEffect[] } {
  if (!ok) {
    const failed = { ...journal, failed: Math.max(journal.failed, token) };
    return { journal: failed, effects: dirty(failed) ? [{ kind: 'setTimer', timer: 'flush', afterUs: FLUSH_AFTER_US }] : [] };
  }
  if (token <= journal.durable) return { journal, effects: [] };
  const effects: SagaEffect[] = journal.notes.filter((n) => n.seq <= token).map((n) => ({ kind: 'note', name: n.name, data: n.data }));
  for (const h of journal.held) if (h.until <= token) effects.push(h.effect);
  const rest = { notes: journal.notes.filter((n) => n.seq > token), held: journal.held.filter((h) => h.until > token) };
  return { journal: { ...journal, durable: token, ...rest }, effects };
}
