// Property: a history made by running operations one after another against the model, each given
// a real-time window around its own moment of effect (windows apart, or overlapping their
// neighbours as far as that order allows; some outcomes unknown), is always linearizable, split
// or whole. Changing one read's result to a value nothing ever wrote makes it not linearizable,
// with a valid counterexample that names that read.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { checkLinearizability } from '../../../sim/linearizability/checkLinearizability.ts';
import { kvModel, type KvInput, type KvOutput, type KvState } from '../../../sim/linearizability/kvModel.ts';
import type { Model } from '../../../sim/linearizability/model.ts';
import { isUnknown, UNKNOWN, type Operation } from '../../../sim/linearizability/operation.ts';
import { registerModel, type RegisterInput, type RegisterOutput, type RegisterValue } from '../../../sim/linearizability/registerModel.ts';
import { expectValidCounterexample } from './counterexampleCheck.ts';

interface Planned<I> {
  input: I;
  before: number;
  after: number;
  unknown: boolean;
}

const planned = <I>(input: fc.Arbitrary<I>, overlap: boolean) =>
  fc.record({ input, before: fc.nat(overlap ? 40 : 4), after: fc.nat(overlap ? 40 : 4), unknown: fc.integer({ min: 0, max: 9 }).map((x) => x === 0) });

/** Runs the plan sequentially: operation i takes effect at 10 i + 5, inside its window. */
function sequential<S, I, O>(model: Model<S, I, O>, output: (state: S, input: I) => O, plan: Planned<I>[]): Operation<I, O>[] {
  let state = model.init();
  return plan.map((p, i) => {
    const out = output(state, p.input);
    state = model.step(state, p.input, out) as S;
    const at = 10 * i + 5;
    return { id: i + 1, client: i % 4, input: p.input, output: p.unknown ? UNKNOWN : out, callUs: at - p.before, returnUs: p.unknown ? Number.POSITIVE_INFINITY : at + p.after };
  });
}

/** The history with read number `pick` (of the reads with a known result) changed to `impossible`. */
function mutateRead<I, O>(ops: Operation<I, O>[], isRead: (input: I) => boolean, pick: number, impossible: O): { ops: Operation<I, O>[]; id: number } | undefined {
  const reads = ops.filter((op) => isRead(op.input) && !isUnknown(op.output));
  const target = reads[pick % Math.max(1, reads.length)];
  if (!target) return undefined;
  return { ops: ops.map((op) => (op === target ? { ...op, output: impossible } : op)), id: target.id };
}

const value = fc.constantFrom<RegisterValue>(null, 0, 1, 2);
const registerInput: fc.Arbitrary<RegisterInput> = fc.oneof(
  fc.constant({ f: 'read' as const }),
  fc.integer({ min: 0, max: 2 }).map((v) => ({ f: 'write' as const, value: v })),
  fc.tuple(value, value).map(([from, to]) => ({ f: 'cas' as const, from, to })),
);
const registerOutput = (state: RegisterValue, input: RegisterInput): RegisterOutput => (input.f === 'read' ? { ok: true, value: state } : input.f === 'cas' ? { ok: state === input.from } : { ok: true });

const key = fc.constantFrom('a', 'b');
const text = fc.constantFrom('', 'x', 'y', 'xy');
const kvInput: fc.Arbitrary<KvInput> = fc.oneof(
  key.map((k) => ({ f: 'get' as const, key: k })),
  fc.tuple(key, text).map(([k, v]) => ({ f: 'put' as const, key: k, value: v })),
  fc.tuple(key, text).map(([k, v]) => ({ f: 'append' as const, key: k, value: v })),
  fc.tuple(key, text, text).map(([k, from, to]) => ({ f: 'cas' as const, key: k, from, to })),
);
const kvOutput = (state: KvState, input: KvInput): KvOutput => {
  const now = state[input.key] ?? '';
  return input.f === 'get' ? { ok: true, value: now } : input.f === 'cas' ? { ok: now === input.from } : { ok: true };
};

describe.each([false, true])('sequential histories, windows overlapping: %s', (overlap) => {
  test('register: always linearizable; one impossible read makes it not', () => {
    fc.assert(
      fc.property(fc.array(planned(registerInput, overlap), { minLength: 1, maxLength: 40 }), fc.nat(), (plan, pick) => {
        const ops = sequential(registerModel, registerOutput, plan);
        expect(checkLinearizability(registerModel, ops).verdict).toBe('linearizable');
        const mutated = mutateRead(ops, (input) => input.f === 'read', pick, { ok: true, value: 99 });
        if (!mutated) return;
        const result = checkLinearizability(registerModel, mutated.ops);
        expect(result.verdict).toBe('not-linearizable');
        expectValidCounterexample(registerModel, mutated.ops, result);
        expect(result.counterexample?.unplaceable.map((u) => u.id)).toContain(mutated.id);
      }),
      { numRuns: 300 },
    );
  });

  test('kv: always linearizable, split or whole; one impossible get makes it not', () => {
    fc.assert(
      fc.property(fc.array(planned(kvInput, overlap), { minLength: 1, maxLength: 40 }), fc.nat(), (plan, pick) => {
        const ops = sequential(kvModel, kvOutput, plan);
        expect(checkLinearizability(kvModel, ops).verdict).toBe('linearizable');
        expect(checkLinearizability(kvModel, ops, { partition: false }).verdict).toBe('linearizable');
        const mutated = mutateRead(ops, (input) => input.f === 'get', pick, { ok: true, value: 'never written' });
        if (!mutated) return;
        for (const partition of [true, false]) {
          const result = checkLinearizability(kvModel, mutated.ops, { partition });
          expect(result.verdict).toBe('not-linearizable');
          expectValidCounterexample(kvModel, mutated.ops, result);
          expect(result.counterexample?.unplaceable.map((u) => u.id)).toContain(mutated.id);
        }
      }),
      { numRuns: 300 },
    );
  });
});
