// The model's states as small integers (interned by the model's key, or by its hash and equality
// where it has them), and a memo of transitions: a (state, operation) pair is stepped through the
// model once, then looked up: in a full table for the first few states (a register has few, so
// its search never calls the model again), and in a direct-mapped cache for the others (a newer
// pair may take a slot, and the model steps the old one again). Leaves out: forgetting states.
import type { Model } from './model.ts';
import type { Operation } from './operation.ts';

/** Returned by next() when the operation is impossible in that state. */
export const IMPOSSIBLE = -1;
const UNSEEN = -2;
/** The first states (a register has few) get a table of every transition: this many entries in all. */
const DIRECT_ENTRIES = 1 << 14;
const MAX_DIRECT_STATES = 16;
/** Transitions of later states are cached in a table that grows to this many entries, then overwrites. */
const MAX_SLOTS = 1 << 16;

export class StateSpace<S, I, O> {
  readonly states: S[] = [];
  /** Interning by key: key -> id. */
  private readonly ids = new Map<string | number, number>();
  /** Interning by hash and equality (models that have them): an open-addressing table. */
  private internMask = (1 << 8) - 1;
  private internHashes = new Int32Array(1 << 8);
  private internIds = new Int32Array(1 << 8);
  private readonly stateHashes: number[] = [];
  private mask = 0;
  private stateKeys = new Int32Array(0);
  private opKeys = new Int32Array(0);
  private values = new Int32Array(0);
  private misses = 0;
  /** States 0..directStates-1 have a full row of transitions, one per operation (UNSEEN until stepped). */
  private readonly direct: Int32Array;
  private readonly directStates: number;

  constructor(
    private readonly model: Model<S, I, O>,
    private readonly ops: readonly Operation<I, O>[],
  ) {
    this.directStates = Math.min(MAX_DIRECT_STATES, Math.floor(DIRECT_ENTRIES / Math.max(1, ops.length)));
    this.direct = new Int32Array(this.directStates * ops.length).fill(UNSEEN);
    this.resize(Math.min(1 << 10, 1 << Math.ceil(Math.log2(ops.length + 2))));
    this.intern(model.init());
  }

  /** The id of the initial state. */
  get initial(): number {
    return 0;
  }

  /** The id of the state after operation `op` (an index into ops) from state `id`, or IMPOSSIBLE. */
  next(id: number, op: number): number {
    if (id < this.directStates) {
      const at = id * this.ops.length + op;
      const known = this.direct[at] as number;
      if (known !== UNSEEN) return known;
      return (this.direct[at] = this.compute(id, op));
    }
    const slot = slotOf(id, op) & this.mask;
    if (this.stateKeys[slot] === id && this.opKeys[slot] === op) return this.values[slot] as number;
    const result = this.compute(id, op);
    if (++this.misses > this.mask && this.mask + 1 < MAX_SLOTS) this.resize((this.mask + 1) * 2);
    const at = slotOf(id, op) & this.mask;
    this.stateKeys[at] = id;
    this.opKeys[at] = op;
    this.values[at] = result;
    return result;
  }

  private compute(id: number, op: number): number {
    const operation = this.ops[op] as Operation<I, O>;
    const before = this.states[id] as S;
    const after = this.model.step(before, operation.input, operation.output);
    // A step that returns its state unchanged (a read) needs no key.
    return after === undefined ? IMPOSSIBLE : after === before ? id : this.intern(after);
  }

  state(id: number): S {
    return this.states[id] as S;
  }

  private intern(state: S): number {
    const { hash, equal } = this.model;
    if (hash && equal) return this.internByHash(state, hash(state) | 0, equal);
    const key = this.model.key(state);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.states.length;
      this.ids.set(key, id);
      this.states.push(state);
    }
    return id;
  }

  /** Interning by the model's hash and equality: open addressing over (hash, id) pairs. */
  private internByHash(state: S, hash: number, equal: (a: S, b: S) => boolean): number {
    let slot = slotOf(hash, 0) & this.internMask;
    for (;;) {
      const id = (this.internIds[slot] as number) - 1;
      if (id < 0) break;
      if (this.internHashes[slot] === hash && equal(this.states[id] as S, state)) return id;
      slot = (slot + 1) & this.internMask;
    }
    const id = this.states.length;
    this.states.push(state);
    this.stateHashes.push(hash);
    this.internHashes[slot] = hash;
    this.internIds[slot] = id + 1;
    if (this.states.length * 2 > this.internMask) this.growIntern();
    return id;
  }

  private growIntern(): void {
    const capacity = (this.internMask + 1) * 2;
    this.internMask = capacity - 1;
    this.internHashes = new Int32Array(capacity);
    this.internIds = new Int32Array(capacity);
    this.stateHashes.forEach((hash, id) => {
      let slot = slotOf(hash, 0) & this.internMask;
      while (this.internIds[slot] !== 0) slot = (slot + 1) & this.internMask;
      this.internHashes[slot] = hash;
      this.internIds[slot] = id + 1;
    });
  }

  /** A bigger cache, started empty (it is only a cache). */
  private resize(capacity: number): void {
    this.mask = capacity - 1;
    this.stateKeys = new Int32Array(capacity).fill(-1);
    this.opKeys = new Int32Array(capacity);
    this.values = new Int32Array(capacity);
    this.misses = 0;
  }
}

function slotOf(id: number, op: number): number {
  let h = Math.imul(id, 0x9e3779b1) ^ Math.imul(op + 0x632be5ab, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}
