import { describe, expect, it } from 'vitest';
import type { Workload } from '../../sim/clients.ts';
import { chance, randInt } from '../../sim/rng.ts';
import type { RunOptions } from '../../sim/runOptions.ts';
import { ofKind, simulate, testProtocol, testSpec, type TracedRun } from '../helpers.ts';

type Op = { f: 'write'; v: number } | { f: 'read' };
type Result = { ok: boolean; value?: number | null };

/** A single-node register on every node (no replication): write stores, read returns it. */
const register = testProtocol<{ value: number | null }>('register', {
  init: () => ({ state: { value: null }, effects: [] }),
  step: (state, input) => {
    if (input.kind !== 'request') return { state, effects: [] };
    const op = input.op as Op;
    if (op.f === 'write') return { state: { value: op.v }, effects: [{ kind: 'reply', requestId: input.requestId, result: { ok: true } }] };
    const result: Result = state.value === null ? { ok: false } : { ok: true, value: state.value };
    return { state, effects: [{ kind: 'reply', requestId: input.requestId, result }] };
  },
});

const workload: Workload = {
  nextOp: (rng) => (chance(rng, 0.5) ? { f: 'write', v: randInt(rng, 1, 100) } : { f: 'read' }),
  outcome: (result) => ((result as Result).ok ? 'ok' : 'fail'),
};

const TIMEOUT = 50_000;

function clientRun(faults: unknown[], clients: Partial<RunOptions['clients']> = {}, healUs?: number): TracedRun {
  return simulate(testSpec(register, { workload }), { nodes: 3, clients: { count: 2, timeoutUs: TIMEOUT, thinkUs: 10_000, ...clients }, ...(healUs !== undefined ? { healUs } : {}) }, faults);
}

describe('simulated clients', () => {
  it('record a history of invocations and their outcomes', () => {
    const run = clientRun([]);
    const { history } = run.result;
    expect(history.length).toBeGreaterThan(50);
    expect(new Set(history.map((h) => h.client))).toEqual(new Set([1, 2]));
    expect(new Set(history.map((h) => h.node))).toEqual(new Set([1, 2, 3]));
    history.forEach((h, i) => expect(h.req).toBe(i + 1));
    const done = history.filter((h) => h.outcome !== 'pending');
    expect(history.length - done.length).toBeLessThanOrEqual(2); // at most one open op per client at the end
    for (const h of done) {
      expect(h.completeUs).toBe(h.invokeUs + 2_000); // 1 ms there, 1 ms back
      expect(h.outcome).toBe((h.result as Result).ok ? 'ok' : 'fail');
    }
    expect(done.some((h) => h.outcome === 'ok')).toBe(true);
    expect(done.some((h) => h.outcome === 'fail')).toBe(true); // reads before any write
    const invoked = run.result.metrics.clients;
    expect(invoked.invoked).toBe(history.length);
    expect(invoked.ok + invoked.fail + invoked.info).toBe(done.length);
  });

  it('each client has one operation open at a time and thinks between operations', () => {
    const { history } = clientRun([]).result;
    for (const client of [1, 2]) {
      const mine = history.filter((h) => h.client === client);
      for (let i = 1; i < mine.length; i++) {
        expect((mine[i] as { invokeUs: number }).invokeUs).toBe(((mine[i - 1] as { completeUs: number }).completeUs) + 10_000);
      }
    }
  });

  it('the trace has an invoke and a complete event per operation', () => {
    const run = clientRun([]);
    const invokes = ofKind(run.events, 'invoke');
    const completes = ofKind(run.events, 'complete');
    expect(invokes.map((e) => [e.t, e.client, e.req, e.node, e.op])).toEqual(run.result.history.map((h) => [h.invokeUs, h.client, h.req, h.node, h.op]));
    const done = run.result.history.filter((h) => h.outcome !== 'pending');
    expect(completes.map((e) => [e.t, e.req, e.outcome, e.result])).toEqual(
      [...done].sort((a, b) => (a.completeUs as number) - (b.completeUs as number) || a.req - b.req).map((h) => [h.completeUs, h.req, h.outcome, h.result]),
    );
  });

  it('requests to a crashed node time out as info', () => {
    const run = clientRun([{ at: '300ms', type: 'crash', node: 'n2' }]);
    const { history } = run.result;
    const toDead = history.filter((h) => h.node === 2 && h.invokeUs >= 300_000 && h.outcome !== 'pending');
    expect(toDead.length).toBeGreaterThan(3);
    for (const h of toDead) {
      expect(h.outcome).toBe('info');
      expect(h.completeUs).toBe(h.invokeUs + TIMEOUT);
      expect(h.result).toBeUndefined();
    }
    const toLive = history.filter((h) => h.outcome !== 'pending' && (h.node !== 2 || h.invokeUs < 298_000));
    expect(toLive.length).toBeGreaterThan(20);
    expect(toLive.every((h) => h.outcome === 'ok' || h.outcome === 'fail')).toBe(true);
    const infoEvents = ofKind(run.events, 'complete').filter((e) => e.outcome === 'info');
    expect(infoEvents).toHaveLength(toDead.length);
    expect(infoEvents.every((e) => !('result' in e))).toBe(true);
  });

  it('a reply that comes after the timeout does not change the recorded outcome', () => {
    // n3 is paused for 200 ms: it answers held requests late, after their clients gave up.
    const run = clientRun([{ at: '500ms', for: '200ms', type: 'pause', node: 'n3' }]);
    const late = run.result.history.filter((h) => h.node === 3 && h.invokeUs >= 500_000 && h.invokeUs < 650_000);
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((h) => h.outcome === 'info')).toBe(true);
    const completes = ofKind(run.events, 'complete');
    expect(new Set(completes.map((e) => e.req)).size).toBe(completes.length); // each op completes once
  });

  it('with a budget (clients.ops), each client invokes that many operations and then none, to the end of the run', () => {
    // n2 is down for part of the fault phase: some operations time out, and they count too.
    const run = clientRun([{ at: '100ms', for: '300ms', type: 'crash', node: 'n2' }], { count: 3, ops: 2 }, 10_000_000);
    const { history, metrics } = run.result;
    expect(history).toHaveLength(6);
    for (const client of [1, 2, 3]) expect(history.filter((h) => h.client === client)).toHaveLength(2);
    expect(history.every((h) => h.outcome !== 'pending')).toBe(true);
    expect(metrics.clients.invoked).toBe(6);
    expect(ofKind(run.events, 'invoke')).toHaveLength(6);
    expect(ofKind(run.events, 'complete')).toHaveLength(6);
    // The run goes on through its long heal phase without clients: the last operation ends early.
    expect(metrics.virtualUs).toBeGreaterThanOrEqual(11_000_000);
    expect(Math.max(...history.map((h) => h.completeUs as number))).toBeLessThan(1_000_000);
  });

  it('a budget that never binds changes nothing but the header; without one the options have no ops key', () => {
    const unlimited = clientRun([{ at: '300ms', type: 'crash', node: 'n2' }]);
    const large = clientRun([{ at: '300ms', type: 'crash', node: 'n2' }], { ops: 1_000_000 });
    expect('ops' in unlimited.options.clients).toBe(false);
    expect(unlimited.lines[0]).not.toContain('"ops"');
    expect(large.lines[0]).toContain('"ops":1000000');
    expect(large.lines.slice(1, -1)).toEqual(unlimited.lines.slice(1, -1)); // the events (the end record's hash covers the header)
    expect(large.result.history.length).toBeGreaterThan(50);
  });

  it('a budget of 1 gives exactly one operation per client', () => {
    const { history } = clientRun([], { count: 4, ops: 1 }, 2_000_000).result;
    expect(history.map((h) => h.client).sort()).toEqual([1, 2, 3, 4]);
  });
});
