// A node's durable store. Writes are explicit (persist effects), take a latency, and complete in
// order; until a write completes its data is unsynced and a crash loses it. Faults: a full disk
// makes writes fail; a slow disk adds latency; corruption damages the stored record, which the
// checksum catches at the next restart (the node then boots as if with a blank disk).
// The record is kept as the (deep-frozen) value written, not as JSON text: Raft writes its whole
// log on every append, and serializing it each time made long runs quadratic. Frozen data cannot
// be changed through an alias, so a restarted node reading it back is as safe as with a copy; and
// since a checksum always catches a flipped byte, corruption is kept as a flag with the same effect.
// Leaves out: torn and lost writes, partial reads.
import { settled } from './freezing.ts';
import type { Rng } from './rng.ts';

export type DiskStatus = 'fresh' | 'ok' | 'corrupt';

interface Stored {
  data: unknown;
  corrupt: boolean;
}

export class Disk {
  full = false;
  slowLatencyUs: number | undefined = undefined;
  private stored: Stored | undefined;
  private busyUntil = 0;

  constructor(private readonly latencyUs: number) {}

  /** Global time at which a write issued now completes; writes complete in issue order. */
  scheduleWrite(now: number): number {
    const start = Math.max(now, this.busyUntil);
    this.busyUntil = start + (this.slowLatencyUs ?? this.latencyUs);
    return this.busyUntil;
  }

  /** Completes a write: false (and nothing stored) when the disk is full. */
  commit(data: unknown): boolean {
    if (this.full) return false;
    this.stored = { data: deepFreeze(data ?? null), corrupt: false };
    return true;
  }

  /** A crash: writes in flight never complete (the engine drops their completion events). */
  crash(now: number): void {
    this.busyUntil = now;
  }

  /**
   * Damages the stored record (a flipped byte, which the checksum will catch); returns false when
   * nothing is stored. Draws once from rng, as picking the byte did, so later draws are unchanged.
   */
  corrupt(rng: Rng): boolean {
    if (!this.stored) return false;
    rng.next();
    this.stored = { ...this.stored, corrupt: true };
    return true;
  }

  /** What a booting node reads: the durable data if the checksum holds, else nothing. */
  read(): { durable: unknown; status: DiskStatus } {
    if (!this.stored) return { durable: undefined, status: 'fresh' };
    if (this.stored.corrupt) return { durable: undefined, status: 'corrupt' };
    return { durable: this.stored.data, status: 'ok' };
  }
}

/**
 * Freezes a value and everything in it; stops at what is already frozen (a protocol's frozen
 * state). Nothing while freezing is off (sim/freezing.ts).
 */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || settled(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
