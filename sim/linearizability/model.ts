// The sequential specification a history is checked against (after Porcupine's Model): an initial
// state, a step that either accepts an operation with its output and gives the next state or
// rejects it, a canonical key per state for memoisation, an optional split of a history into
// independent parts (P-compositionality: a history is linearizable iff each part is), and readable
// descriptions for reports. States must be immutable values: step never changes its argument.
// Leaves out: nondeterministic specifications (step returns one next state, not a set).
import type { Operation, Unknown } from './operation.ts';

export interface Partition<I, O> {
  /** Names the part in reports, e.g. `key "x"`. */
  readonly label: string;
  readonly ops: readonly Operation<I, O>[];
  /** A simpler model for this part alone (e.g. one key's value instead of the whole map); default the model itself. */
  readonly model?: Model<unknown, I, O>;
}

export interface Model<S, I, O> {
  readonly name: string;
  init(): S;
  /** The state after `input` returned `output` in `state`; undefined when that is impossible. */
  step(state: S, input: I, output: O | Unknown): S | undefined;
  /** Two states are the same state exactly when their keys are equal (===). */
  key(state: S): string | number;
  /**
   * Optional, together: a hash of the state and exact equality, for states whose key is costly to
   * build (the checker then uses these instead of key). Equal states must have equal hashes.
   */
  hash?(state: S): number;
  equal?(a: S, b: S): boolean;
  /** Independent parts, each checked alone. Omitted: the history is one part. */
  partition?(ops: readonly Operation<I, O>[]): Partition<I, O>[];
  /** True for inputs that never change the state: with an unknown output they constrain nothing and are dropped. */
  readOnly?(input: I): boolean;
  /** The operation itself, e.g. `get("k") -> "x 0"` or `write 3 (outcome unknown)`. */
  describe(input: I, output: O | Unknown): string;
  describeState(state: S): string;
  /** One line saying why step(state, input, output) is impossible. */
  explain?(state: S, input: I, output: O | Unknown): string;
  /** The state as plain JSON data, for machine-readable reports (default: the state itself). */
  stateJson?(state: S): unknown;
}
