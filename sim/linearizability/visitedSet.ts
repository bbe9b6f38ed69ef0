// The search's memo (Porcupine's cache): every (set of linearized operations, state) pair already
// explored. A pair is found by a 32-bit hash of the set (XOR of per-operation random words, kept
// up to date by the caller) mixed with the state id, then compared exactly: state id and every
// word of the bitset. Open addressing over typed arrays; bitsets are copied into one pooled array.
// Leaves out: eviction (memory grows with the states explored; a step budget bounds it).

export class VisitedSet {
  private mask: number;
  private slots: Int32Array;
  private hashes: Int32Array;
  private stateIds: Int32Array;
  private bits: Uint32Array;
  private count = 0;

  /** `words` per bitset; room for `expected` entries before the first growth (a power of two). */
  constructor(
    private readonly words: number,
    expected = 2048,
  ) {
    this.mask = 2 * expected - 1;
    this.slots = new Int32Array(2 * expected);
    this.hashes = new Int32Array(expected);
    this.stateIds = new Int32Array(expected);
    this.bits = new Uint32Array(expected * words);
  }

  get size(): number {
    return this.count;
  }

  /** Adds (bitset, state); false when it was already present. */
  add(hash: number, stateId: number, bitset: Uint32Array): boolean {
    const h = mix(hash, stateId);
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const entry = (this.slots[slot] as number) - 1;
      if (entry < 0) break;
      if (this.hashes[entry] === h && this.stateIds[entry] === stateId && this.sameBits(entry, bitset)) return false;
      slot = (slot + 1) & mask;
    }
    if (this.count === this.stateIds.length) this.growEntries();
    const entry = this.count++;
    this.hashes[entry] = h;
    this.stateIds[entry] = stateId;
    this.bits.set(bitset, entry * this.words);
    this.slots[slot] = entry + 1;
    if (this.count * 2 > mask) this.growSlots();
    return true;
  }

  private sameBits(entry: number, bitset: Uint32Array): boolean {
    const base = entry * this.words;
    for (let w = 0; w < this.words; w++) if (this.bits[base + w] !== bitset[w]) return false;
    return true;
  }

  private growEntries(): void {
    const capacity = this.stateIds.length * 2;
    const hashes = new Int32Array(capacity);
    hashes.set(this.hashes);
    const stateIds = new Int32Array(capacity);
    stateIds.set(this.stateIds);
    const bits = new Uint32Array(capacity * this.words);
    bits.set(this.bits);
    [this.hashes, this.stateIds, this.bits] = [hashes, stateIds, bits];
  }

  private growSlots(): void {
    const capacity = this.slots.length * 2;
    this.mask = capacity - 1;
    this.slots = new Int32Array(capacity);
    for (let entry = 0; entry < this.count; entry++) {
      let slot = (this.hashes[entry] as number) & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = entry + 1;
    }
  }
}

function mix(hash: number, stateId: number): number {
  let h = hash ^ Math.imul(stateId + 1, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** A fixed pseudo-random 32-bit word per operation index (no Rng needed: any fixed words do). */
export function zobristWords(n: number): Int32Array {
  const words = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let h = Math.imul(i + 1, 0x9e3779b1);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    words[i] = h ^ (h >>> 16);
  }
  return words;
}
