// A fast, deterministic 64-bit running hash over a stream of UTF-8 bytes (two multiplicative lanes
// with different constants, fed 32-bit little-endian words, and a final avalanche), used for trace
// hashes and storage checksums. update(line) hashes the line plus "\n", so hashing a trace line by
// line and hashing its bytes in chunks (as the Tracer does) give the same digest. Not
// cryptographic: it detects accidental divergence and corruption, not tampering.
// Leaves out: node:crypto (banned in sim/, and absent in the browser viewer).

const encoder = new TextEncoder();
const NEWLINE = 10;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export class RunningHash {
  private a = 0x811c9dc5;
  private b = 0x01000193 ^ 0x5bd1e995;
  /** Bytes of an unfinished word (0..3 of them), and how many. */
  private carry = 0;
  private carried = 0;
  private length = 0;

  /** A line: its UTF-8 bytes followed by "\n". */
  update(line: string): this {
    const bytes = encoder.encode(line);
    this.updateBytes(bytes, 0, bytes.length);
    return this.updateBytes(NEWLINE_BYTE, 0, 1);
  }

  updateBytes(bytes: Uint8Array, start = 0, end = bytes.length): this {
    let i = start;
    this.length += end - start;
    while (this.carried > 0 && this.carried < 4 && i < end) this.carry |= (bytes[i++] as number) << (8 * this.carried++);
    if (this.carried === 4) {
      this.mix(this.carry);
      this.carry = 0;
      this.carried = 0;
    }
    let a = this.a;
    let b = this.b;
    if (LITTLE_ENDIAN && end - i >= 64 && ((bytes.byteOffset + i) & 3) === 0) {
      // Aligned and long (the Tracer's chunks): read whole words, which is the same as the byte loop below on a little-endian machine.
      const words = new Int32Array(bytes.buffer, bytes.byteOffset + i, (end - i) >> 2);
      for (let k = 0; k < words.length; k++) {
        const w = words[k] as number;
        a = Math.imul(a ^ w, 0x01000193);
        b = Math.imul(b ^ w, 0x5bd1e995);
        b ^= b >>> 15;
      }
      i += words.length << 2;
    }
    for (; i + 3 < end; i += 4) {
      const w = (bytes[i] as number) | ((bytes[i + 1] as number) << 8) | ((bytes[i + 2] as number) << 16) | ((bytes[i + 3] as number) << 24);
      a = Math.imul(a ^ w, 0x01000193);
      b = Math.imul(b ^ w, 0x5bd1e995);
      b ^= b >>> 15;
    }
    this.a = a;
    this.b = b;
    while (i < end) this.carry |= (bytes[i++] as number) << (8 * this.carried++);
    return this;
  }

  /** 16 hex digits; the hash can go on being updated afterwards. */
  digest(): string {
    let a = this.a;
    let b = this.b;
    const tail = this.carried > 0 ? this.carry | (0x80 << (8 * this.carried)) : 0x80;
    a = Math.imul(a ^ tail ^ this.length, 0x01000193);
    b = Math.imul(b ^ tail ^ Math.floor(this.length / 0x100000000), 0x5bd1e995);
    return hex32(avalanche(a ^ Math.imul(b, 0x9e3779b1))) + hex32(avalanche(b ^ a));
  }

  private mix(w: number): void {
    this.a = Math.imul(this.a ^ w, 0x01000193);
    const b = Math.imul(this.b ^ w, 0x5bd1e995);
    this.b = b ^ (b >>> 15);
  }
}

const NEWLINE_BYTE = new Uint8Array([NEWLINE]);

export function hashText(text: string): string {
  return new RunningHash().update(text).digest();
}

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}
