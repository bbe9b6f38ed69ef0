// Checks a history against a model: drops reads of unknown outcome (they constrain nothing),
// splits the history into the model's independent parts, searches them in turns (search.ts; as
// Porcupine searches them in parallel, a part that fails fast is not stuck behind a slow one),
// and for the first part found not linearizable reports the longest linearizable prefix found and the
// operations that cannot be placed after it, with the model's reason for each. Pure and
// deterministic. Leaves out: timing (the caller measures wall time if it wants to).
import type { Model, Partition } from './model.ts';
import { isUnknown, type Operation } from './operation.ts';
import { PartitionSearch } from './search.ts';
import { sortedEvents } from './eventList.ts';

export type LinearizabilityVerdict = 'linearizable' | 'not-linearizable' | 'unknown';

export interface CheckOptions {
  /** Search steps allowed over all parts; past it the verdict is `unknown` (default: no limit). */
  maxSteps?: number;
  /** false: check the history whole even if the model can split it (default true). */
  partition?: boolean;
}

export interface PlacedOperation {
  id: number;
  client: number;
  op: string;
  /** The model state after this operation (plain JSON data) and its description. */
  state: unknown;
  stateText: string;
}

export interface UnplaceableOperation {
  id: number;
  client: number;
  op: string;
  callUs: number;
  /** +Infinity (null in JSON) when the outcome is unknown. */
  returnUs: number;
  /** One line: why it cannot go next. */
  reason: string;
}

export interface Counterexample {
  /** The part that is not linearizable, e.g. `key "x"` (`whole history` when not split). */
  partition: string;
  /** Operations in that part. */
  operations: number;
  /** The longest linearizable prefix any search path reached, in linearization order. */
  prefix: PlacedOperation[];
  /** The model state before any operation of the part. */
  initialState: string;
  /** Operations that could be next after the prefix in real-time order, none of which the model accepts. */
  unplaceable: UnplaceableOperation[];
}

export interface LinearizabilityResult {
  verdict: LinearizabilityVerdict;
  model: string;
  /** Operations checked (after dropping reads of unknown outcome). */
  operations: number;
  /** Reads of unknown outcome left out. */
  dropped: number;
  /** Checked operations of unknown outcome (they may take effect at any time after their call, or never). */
  unknownOutcome: number;
  partitions: number;
  /** Parts whose search finished (either way) before the verdict was reached. */
  partitionsChecked: number;
  steps: number;
  /** (linearized set, state) pairs memoised. */
  explored: number;
  /** Present when not linearizable. */
  counterexample?: Counterexample;
  /** Present when unknown: why no verdict was reached. */
  reason?: string;
}

/** Steps each unfinished part searches in its turn; parts take turns so that one quickly found violation is not stuck behind a long search. */
const SLICE = 10_000;

export function checkLinearizability<S, I, O>(model: Model<S, I, O>, history: readonly Operation<I, O>[], options: CheckOptions = {}): LinearizabilityResult {
  const ops = history.filter((op) => !(isUnknown(op.output) && model.readOnly?.(op.input)));
  const parts: Partition<I, O>[] = options.partition !== false && model.partition ? model.partition(ops) : [{ label: 'whole history', ops }];
  const budget = options.maxSteps ?? Number.POSITIVE_INFINITY;
  const searches = parts.map((part) => new PartitionSearch<unknown, I, O>(part.model ?? model, part.ops));
  const result: LinearizabilityResult = {
    verdict: 'linearizable',
    model: model.name,
    operations: ops.length,
    dropped: history.length - ops.length,
    unknownOutcome: ops.filter((op) => isUnknown(op.output)).length,
    partitions: parts.length,
    partitionsChecked: 0,
    steps: 0,
    explored: 0,
  };
  const failed = runInTurns(searches, budget);
  result.steps = searches.reduce((sum, s) => sum + s.steps, 0);
  result.explored = searches.reduce((sum, s) => sum + s.explored, 0);
  result.partitionsChecked = searches.filter((s) => s.status !== 'searching').length;
  if (failed !== undefined) {
    const part = parts[failed] as Partition<I, O>;
    result.verdict = 'not-linearizable';
    result.counterexample = counterexample(part.model ?? model, part.label, searches[failed] as PartitionSearch<unknown, I, O>);
  } else if (result.partitionsChecked < parts.length) {
    const open = parts.filter((_, i) => searches[i]?.status === 'searching').map((p) => p.label);
    result.verdict = 'unknown';
    result.reason = `the search budget of ${budget.toLocaleString('en-US')} steps ran out with ${open.length} of ${parts.length} part(s) undecided (${open.slice(0, 3).join(', ')}${open.length > 3 ? ', ...' : ''})`;
  }
  return result;
}

/** Runs the searches in turns of SLICE steps until one fails (its index), all finish, or the budget is spent. */
function runInTurns(searches: readonly PartitionSearch<unknown, unknown, unknown>[], budget: number): number | undefined {
  let used = 0;
  let open = searches.map((_, i) => i);
  while (open.length > 0) {
    for (const i of open) {
      const search = searches[i] as PartitionSearch<unknown, unknown, unknown>;
      const before = search.steps;
      if (search.run(Math.min(SLICE, budget - used)) === 'not-linearizable') return i;
      used += search.steps - before;
      if (used >= budget) return undefined;
    }
    open = open.filter((i) => searches[i]?.status === 'searching');
  }
  return undefined;
}

function counterexample<I, O>(model: Model<unknown, I, O>, label: string, search: PartitionSearch<unknown, I, O>): Counterexample {
  const { space, ops } = search;
  const best = search.longestPrefix();
  const stateJson = (s: unknown): unknown => (model.stateJson ? model.stateJson(s) : s);
  const prefix = best.ops.map((index, i): PlacedOperation => {
    const op = ops[index] as Operation<I, O>;
    const after = space.state(best.states[i] as number);
    return { id: op.id, client: op.client, op: model.describe(op.input, op.output), state: stateJson(after), stateText: model.describeState(after) };
  });
  const state = space.state(best.states.length > 0 ? (best.states[best.states.length - 1] as number) : space.initial);
  const unplaceable = frontier(ops, best.ops).map((index): UnplaceableOperation => {
    const op = ops[index] as Operation<I, O>;
    const possible = model.step(state, op.input, op.output) !== undefined;
    const reason = possible
      ? 'the model accepts it here, but no linearization continues after it'
      : (model.explain?.(state, op.input, op.output) ?? `impossible when the state is ${model.describeState(state)}`);
    return { id: op.id, client: op.client, op: model.describe(op.input, op.output), callUs: op.callUs, returnUs: op.returnUs, reason };
  });
  return { partition: label, operations: ops.length, prefix, initialState: model.describeState(space.state(space.initial)), unplaceable };
}

/** Operations not in the prefix that were called before the first of them returned: the candidates to go next. */
function frontier(ops: readonly Operation<unknown, unknown>[], prefix: readonly number[]): number[] {
  const placed = new Uint8Array(ops.length);
  for (const index of prefix) placed[index] = 1;
  const candidates: number[] = [];
  for (const event of sortedEvents(ops)) {
    const index = event >> 1;
    if (placed[index]) continue;
    if (event & 1) break;
    candidates.push(index);
  }
  return candidates;
}
