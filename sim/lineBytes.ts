// A reusable byte buffer that trace lines are written into as UTF-8: constant ASCII pieces,
// non-negative integers and JSON text, without building an intermediate string per line (joining
// and flattening those strings cost more than the rest of tracing together). The Tracer hashes and
// hands on the buffer when it fills. Leaves out: anything but what trace lines need.

const encoder = new TextEncoder();

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
    const { buffer } = this;
    let at = this.used;
    for (let i = 0; i < piece.length; i++) buffer[at++] = piece[i] as number;
    this.used = at;
  }

  /** A safe, non-negative integer in decimal (callers check). */
  int(n: number): void {
    const { buffer } = this;
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    let at = this.used + digits;
    this.used = at;
    let x = n;
    do {
      buffer[--at] = 48 + (x % 10);
      x = Math.floor(x / 10);
    } while (x > 0);
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
