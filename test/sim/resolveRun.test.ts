import { describe, expect, it } from 'vitest';
import { heartbeatSpec } from '../../protocols/heartbeat/spec.ts';
import { twoPhaseCommitSpec } from '../../protocols/twoPhaseCommit/spec.ts';
import { resolveRun, validateRunOptions } from '../../sim/resolveRun.ts';
import { DEFAULT_NETWORK, runOptionsSchema } from '../../sim/runOptions.ts';
import { InputError } from '../../sim/schemaHelpers.ts';

const noFaults = { faults: [] };

describe('resolveRun', () => {
  it('fills in defaults and the heal phase from the protocol', () => {
    const options = resolveRun(heartbeatSpec, { seed: 9 }, noFaults);
    expect(options).toMatchObject({ protocol: 'heartbeat', seed: 9, nodes: 5, bug: null, network: DEFAULT_NETWORK });
    expect(options.config).toEqual({ interval: 100_000, timeout: 300_000 });
    // completeness bound (timeout + max latency + 1 ms) plus one more timeout
    expect(options.healUs).toBe(300_000 + 10_000 + 1_000 + 300_000);
  });

  it('reads protocol settings with units', () => {
    const options = resolveRun(heartbeatSpec, { seed: 1, config: { interval: '50ms', timeout: '1s' } }, noFaults);
    expect(options.config).toEqual({ interval: 50_000, timeout: 1_000_000 });
  });

  it.each([
    [{ seed: 1, bug: 'off-by-one' }, /--bug: "off-by-one" is not a bug of heartbeat; expected one of: never-fail, early-fail/],
    [{ seed: 1, nodes: 0 }, /--nodes: expected a whole number from 1 to 1000; got 0/],
    [{ seed: 1, config: { interval: 'often' } }, /heartbeat settings\): interval: /],
    [{ seed: 1, config: { color: 'red' } }, /color/],
    [{ seed: 1, network: { loss: 1.5 } }, /network\.loss/],
    [{ seed: -1 }, /seed/],
    [{ seed: 1, clients: { ops: 2 } }, /--client-ops: heartbeat has no client workload/],
  ])('rejects %j, naming the field', (request, message) => {
    expect(() => resolveRun(heartbeatSpec, request, noFaults)).toThrow(InputError);
    expect(() => resolveRun(heartbeatSpec, request, noFaults)).toThrow(message);
  });

  it('a client budget (clients.ops) is optional: given, it is kept; not given, there is no key, and old options load', () => {
    const budget = resolveRun(twoPhaseCommitSpec, { seed: 1, clients: { count: 3, ops: 2 } }, noFaults);
    expect(budget.clients).toEqual({ count: 3, timeoutUs: 10_000_000, thinkUs: 10_000, ops: 2 });
    const plain = resolveRun(twoPhaseCommitSpec, { seed: 1 }, noFaults);
    expect(plain.clients).toEqual({ count: 3, timeoutUs: 10_000_000, thinkUs: 10_000 });
    expect(Object.keys(plain.clients)).toEqual(['count', 'timeoutUs', 'thinkUs']);
    // Options as traces and repro files stored them before the budget existed.
    const old = JSON.parse(JSON.stringify(plain));
    expect(runOptionsSchema.safeParse(old).success).toBe(true);
    expect(JSON.stringify(validateRunOptions(old, 'options'))).toBe(JSON.stringify(plain));
    for (const ops of [0, -1, 1.5, '2']) {
      expect(() => validateRunOptions({ ...old, clients: { ...old.clients, ops } }, 'options')).toThrow(/options: clients\.ops/);
    }
  });
});
