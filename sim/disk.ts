// A node's durable store. Writes are explicit (persist effects), take a latency, and complete in
// order; until a write completes its data is unsynced and a crash loses it. Faults: a full disk
// makes writes fail; a slow disk adds latency; corruption flips a stored byte, which the checksum
// catches at the next restart (the node then boots as if with a blank disk). Data is stored as
// JSON text, so a restarted node gets a fresh copy, never an alias of its old state.
// Leaves out: torn and lost writes, partial reads.
import { hashText } from './hash.ts';
import { randInt, type Rng } from './rng.ts';

export type DiskStatus = 'fresh' | 'ok' | 'corrupt';

interface Stored {
  bytes: string;
  checksum: string;
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
    const bytes = JSON.stringify(data ?? null);
    this.stored = { bytes, checksum: hashText(bytes) };
    return true;
  }

  /** A crash: writes in flight never complete (the engine drops their completion events). */
  crash(now: number): void {
    this.busyUntil = now;
  }

  /** Flips one stored character; returns false when there is nothing stored to corrupt. */
  corrupt(rng: Rng): boolean {
    if (!this.stored) return false;
    const { bytes } = this.stored;
    const at = randInt(rng, 0, bytes.length - 1);
    const flipped = String.fromCharCode(bytes.charCodeAt(at) ^ 0x01);
    this.stored = { ...this.stored, bytes: bytes.slice(0, at) + flipped + bytes.slice(at + 1) };
    return true;
  }

  /** What a booting node reads: the durable data if the checksum holds, else nothing. */
  read(): { durable: unknown; status: DiskStatus } {
    if (!this.stored) return { durable: undefined, status: 'fresh' };
    if (hashText(this.stored.bytes) !== this.stored.checksum) return { durable: undefined, status: 'corrupt' };
    return { durable: JSON.parse(this.stored.bytes) as unknown, status: 'ok' };
  }
}
