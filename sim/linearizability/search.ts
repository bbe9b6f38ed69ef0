// The search for one part of a history: Wing and Gong's algorithm as refined by Lowe and by
// Porcupine. Walk the event list from the head; at a call, try to linearize that operation next
// (step the model; skip it if impossible or if the resulting (linearized set, state) pair was
// explored before), lifting it out of the list; at a return, no pending operation can go next, so
// backtrack. All operations lifted: linearizable. Backtracking past the first: not. The deepest
// point any path reached is kept as the longest linearizable prefix. The search can pause after a
// number of steps and resume, so several parts can be searched in turns.
// Leaves out: parallelism and timing (steps count the work).
import type { Model } from './model.ts';
import { EventList, NONE } from './eventList.ts';
import type { Operation } from './operation.ts';
import { StateSpace } from './stateSpace.ts';
import { VisitedSet, zobristWords } from './visitedSet.ts';

export type SearchStatus = 'searching' | 'linearizable' | 'not-linearizable';

export class PartitionSearch<S, I, O> {
  status: SearchStatus = 'searching';
  steps = 0;
  readonly space: StateSpace<S, I, O>;
  private readonly list: EventList;
  private readonly visited: VisitedSet;
  private readonly bits: Uint32Array;
  private readonly zobrist: Int32Array;
  private readonly stackCall: Int32Array;
  private readonly stackState: Int32Array;
  private readonly bestCalls: Int32Array;
  private readonly bestStates: Int32Array;
  private bestDepth = 0;
  /** The state after the deepest path's last operation. */
  private bestLast = 0;
  /**
   * The deepest path is still on the stack (nothing was popped since it was reached), so it is
   * copied out only when the search first backtracks from it: a search that goes straight through
   * copies nothing, where copying at every new depth cost n^2/2 for n operations.
   */
  private bestLive = false;
  private state: number;
  private hash = 0;
  private depth = 0;
  private entry: number;

  constructor(model: Model<S, I, O>, readonly ops: readonly Operation<I, O>[]) {
    const n = ops.length;
    const words = Math.max(1, Math.ceil(n / 32));
    this.list = new EventList(ops);
    this.space = new StateSpace(model, ops);
    this.visited = new VisitedSet(words, Math.min(2048, 1 << Math.ceil(Math.log2(n + 2))));
    this.bits = new Uint32Array(words);
    this.zobrist = zobristWords(n);
    [this.stackCall, this.stackState, this.bestCalls, this.bestStates] = [new Int32Array(n), new Int32Array(n), new Int32Array(n), new Int32Array(n)];
    this.state = this.space.initial;
    this.entry = this.list.next[0] as number;
    if (this.entry === NONE) this.status = 'linearizable';
  }

  /** (linearized set, state) pairs explored so far. */
  get explored(): number {
    return this.visited.size;
  }

  /** Searches for up to `budget` more steps; returns the status (still `searching` if the budget ran out). */
  run(budget: number): SearchStatus {
    if (this.status !== 'searching') return this.status;
    const { list, space, visited, bits, zobrist, stackCall, stackState } = this;
    const { next, match, opOf } = list;
    let { state, hash, depth, entry } = this;
    let left = budget;
    while (next[0] !== NONE) {
      if (left-- <= 0) break;
      if (match[entry] !== 0) {
        const op = opOf[entry] as number;
        const after = space.next(state, op);
        if (after >= 0) {
          const word = op >>> 5;
          const bit = 1 << (op & 31);
          bits[word] = (bits[word] as number) | bit;
          const nextHash = hash ^ (zobrist[op] as number);
          if (visited.add(nextHash, after, bits)) {
            stackCall[depth] = entry;
            stackState[depth] = state;
            depth++;
            if (depth > this.bestDepth) {
              this.bestDepth = depth;
              this.bestLast = after;
              this.bestLive = true;
            }
            state = after;
            hash = nextHash;
            list.lift(entry);
            entry = next[0] as number;
            continue;
          }
          bits[word] = (bits[word] as number) & ~bit;
        }
        entry = next[entry] as number;
      } else {
        if (depth === 0) {
          this.status = 'not-linearizable';
          break;
        }
        if (this.bestLive) this.keepBest();
        depth--;
        entry = stackCall[depth] as number;
        state = stackState[depth] as number;
        const op = opOf[entry] as number;
        bits[op >>> 5] = (bits[op >>> 5] as number) & ~(1 << (op & 31));
        hash ^= zobrist[op] as number;
        list.unlift(entry);
        entry = next[entry] as number;
      }
    }
    if (next[0] === NONE) this.status = 'linearizable';
    this.steps += budget - Math.max(left, 0);
    this.state = state;
    this.hash = hash;
    this.depth = depth;
    this.entry = entry;
    return this.status;
  }

  /** The longest linearizable prefix found: operation indices in order, and the state id after each. */
  longestPrefix(): { ops: number[]; states: number[] } {
    if (this.bestLive) this.keepBest();
    const calls = Array.from(this.bestCalls.subarray(0, this.bestDepth));
    return { ops: calls.map((call) => this.list.opOf[call] as number), states: Array.from(this.bestStates.subarray(0, this.bestDepth)) };
  }

  /** Copies the deepest path out of the stack (it is still there: bestLive), before a backtrack changes it. */
  private keepBest(): void {
    const depth = this.bestDepth;
    this.bestCalls.set(this.stackCall.subarray(0, depth));
    this.bestStates.set(this.stackState.subarray(1, depth));
    this.bestStates[depth - 1] = this.bestLast;
    this.bestLive = false;
  }
}
