// A fast, deterministic 64-bit running hash (two FNV-1a lanes with different offsets and a final
// avalanche), used for trace hashes and storage checksums. Not cryptographic: it detects accidental
// divergence and corruption, not tampering. Leaves out: node:crypto (banned in sim/, and absent in
// the browser viewer).

export class RunningHash {
  private a = 0x811c9dc5;
  private b = 0x01000193 ^ 0x5bd1e995;

  update(text: string): this {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    // A line separator so ["ab","c"] and ["a","bc"] differ.
    this.a = Math.imul(a ^ 10, 0x01000193);
    this.b = Math.imul(b ^ 10, 0x5bd1e995);
    return this;
  }

  /** 16 hex digits. */
  digest(): string {
    return hex32(avalanche(this.a ^ Math.imul(this.b, 0x9e3779b1))) + hex32(avalanche(this.b ^ this.a));
  }
}

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
