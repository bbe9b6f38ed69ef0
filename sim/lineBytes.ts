// A reusable byte buffer that trace lines are written into as UTF-8: constant ASCII pieces,
// non-negative integers and JSON text, without building an intermediate string per line (joining
// and flattening those strings cost more than the rest of tracing together). The Tracer hashes and
// hands on the buffer when it fills. Leaves out: anything but what trace lines need.

const encoder = new TextEncoder();
const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

/** The UTF-8 bytes of an ASCII constant, made once. */
export function ascii(text: string): Uint8Array {
  return encoder.encode(text);
}

export class LineBytes {
  buffer: Uint8Array;
  used = 0;

  constructor(size: number) {
    this.buffer = new Uint8Array(size);
  }

  /** Whether `room` more bytes fit. */
  fits(room: number): boolean {
    return this.used + room <= this.buffer.length;
  }

  /** Empties the buffer, growing it first if one line needs more than it can hold. */
  reset(room: number): void {
    this.used = 0;
    if (room > this.buffer.length) this.buffer = new Uint8Array(room);
  }

  bytes(piece: Uint8Array): void {
    if (piece.length > 16) {
      this.buffer.set(piece, this.used);
      this.used += piece.length;
      return;
    }
    const { buffer } = this;
    let at = this.used;
    for (let i = 0; i < piece.length; i++) buffer[at++] = piece[i] as number;
    this.used = at;
  }

  /** A safe, non-negative integer in decimal (callers check). Int32 arithmetic only: double
   *  division and modulo per digit made this the slowest part of a trace line. */
  int(n: number): void {
    if (n < 1e9) return this.small(n);
    const high = Math.floor(n / 1e9);
    this.small(high);
    this.digits(n - high * 1e9, 9);
  }

  /** 0 <= n < 1e9. */
  private small(n: number): void {
    let count = 1;
    while (count < 9 && n >= POW10[count]!) count++;
    this.digits(n, count);
  }

  /** The lowest `count` decimal digits of 0 <= n < 1e9, zero-padded. */
  private digits(n: number, count: number): void {
    const { buffer } = this;
    let at = this.used + count;
    this.used = at;
    let x = n | 0;
    for (let i = 0; i < count; i++) {
      const q = (x / 10) | 0;
      buffer[--at] = 48 + x - q * 10;
      x = q;
    }
  }

  /** Any text (JSON, so usually ASCII); reserve 3 bytes per UTF-16 unit for it. */
  text(text: string): void {
    const { buffer } = this;
    const start = this.used;
    let at = start;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) {
        this.used = start + encoder.encodeInto(text, buffer.subarray(start)).written;
        return;
      }
      buffer[at++] = c;
    }
    this.used = at;
  }

  newline(): void {
    this.buffer[this.used++] = 10;
  }
}
