// Checks a reported counterexample independently of the search: its prefix replays through the
// model to the states reported, respects real-time order (nothing placed after an operation that
// returned before it was called, nothing left out that returned before a placed one was called),
// and every operation it calls unplaceable is rejected by the model in the prefix's final state.
import { expect } from 'vitest';
import type { LinearizabilityResult } from '../../../sim/linearizability/checkLinearizability.ts';
import type { Model } from '../../../sim/linearizability/model.ts';
import type { Operation } from '../../../sim/linearizability/operation.ts';

export function expectValidCounterexample<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], result: LinearizabilityResult): void {
  const c = result.counterexample;
  expect(c, 'a counterexample').toBeDefined();
  if (!c) return;
  const byId = new Map(ops.map((op) => [op.id, op]));
  const placed = c.prefix.map((p) => byId.get(p.id) as Operation<I, O>);
  let state = model.init();
  placed.forEach((op, i) => {
    const next = model.step(state, op.input, op.output);
    expect(next, `prefix operation #${op.id} replays`).toBeDefined();
    state = next as S;
    expect(c.prefix[i]?.state, `the state after #${op.id}`).toEqual(model.stateJson ? model.stateJson(state) : state);
  });
  const placedIds = new Set(c.prefix.map((p) => p.id));
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      expect((placed[j] as Operation<I, O>).returnUs < (placed[i] as Operation<I, O>).callUs, 'real-time order inside the prefix').toBe(false);
    }
  }
  const partOps = ops.filter((op) => c.partition === 'whole history' || model.partition?.([op])[0]?.label === c.partition);
  for (const op of partOps) {
    if (placedIds.has(op.id)) continue;
    for (const p of placed) expect(op.returnUs < p.callUs, `#${op.id} returned before #${p.id} was called but is not in the prefix`).toBe(false);
  }
  for (const u of c.unplaceable) {
    const op = byId.get(u.id) as Operation<I, O>;
    expect(placedIds.has(u.id)).toBe(false);
    expect(model.step(state, op.input, op.output), `#${u.id} is rejected after the prefix`).toBeUndefined();
  }
  expect(c.unplaceable.length).toBeGreaterThan(0);
}
