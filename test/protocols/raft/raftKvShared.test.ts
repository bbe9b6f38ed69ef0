// applyShared (protocols/raft/kv.ts): reusing another node's application of a command gives what
// applying it afresh gives, for any sequence of commands and any interleaving of nodes; inputs
// that are equal but not the same objects are applied afresh, never matched by value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyCommand, applyShared, EMPTY_KV, EMPTY_SESSIONS, type KvApplied } from '../../../protocols/raft/kv.ts';
import type { Command, KvOp } from '../../../protocols/raft/types.ts';

const opArb: fc.Arbitrary<KvOp> = fc.oneof(
  fc.record({ f: fc.constant('put' as const), key: fc.constantFrom('a', 'b'), value: fc.constantFrom('1', '2') }),
  fc.record({ f: fc.constant('append' as const), key: fc.constantFrom('a', 'b'), value: fc.constantFrom('x', 'y') }),
  fc.record({ f: fc.constant('get' as const), key: fc.constantFrom('a', 'b') }),
  fc.record({ f: fc.constant('cas' as const), key: fc.constantFrom('a', 'b'), from: fc.constantFrom('', '1'), to: fc.constantFrom('2', '3') }),
);
const commandArb: fc.Arbitrary<Command> = fc.record({ client: fc.integer({ min: 1, max: 3 }), req: fc.integer({ min: 1, max: 4 }), op: opArb })
  .map((c) => Object.freeze({ ...c, op: Object.freeze(c.op) }));

type Machine = Pick<KvApplied, 'kv' | 'sessions'>;
const start = (): Machine => ({ kv: EMPTY_KV, sessions: EMPTY_SESSIONS });

describe('applyShared', () => {
  it('gives every node what applying afresh gives, however the nodes interleave', () => {
    fc.assert(fc.property(fc.array(commandArb, { maxLength: 20 }), fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 60 }), (cmds, turns) => {
      const shared = [start(), start(), start()];
      const fresh = [start(), start(), start()];
      const at = [0, 0, 0];
      for (const n of turns) {
        const cmd = cmds[at[n] as number];
        if (cmd === undefined) continue;
        at[n] = (at[n] as number) + 1;
        const a = applyShared((shared[n] as Machine).kv, (shared[n] as Machine).sessions, cmd);
        const b = applyCommand((fresh[n] as Machine).kv, (fresh[n] as Machine).sessions, cmd);
        expect(a.result).toEqual(b.result);
        shared[n] = a;
        fresh[n] = b;
        expect(shared[n]).toEqual(fresh[n]);
      }
    }));
  });

  it('shares the result when the inputs are the same objects, and only then', () => {
    const cmd: Command = Object.freeze({ client: 1, req: 1, op: Object.freeze({ f: 'put', key: 'k', value: 'v' } as const) });
    const first = applyShared(EMPTY_KV, EMPTY_SESSIONS, cmd);
    expect(applyShared(EMPTY_KV, EMPTY_SESSIONS, cmd)).toBe(first);
    const equalKv = Object.freeze({});
    const other = applyShared(equalKv, EMPTY_SESSIONS, cmd);
    expect(other).not.toBe(first);
    expect(other).toEqual(first);
    // A different store (a diverged node) gets its own result, not the shared one.
    const diverged = applyShared(Object.freeze({ k: 'old', j: 'x' }), EMPTY_SESSIONS, cmd);
    expect(diverged.kv).toEqual({ k: 'v', j: 'x' });
  });
});
