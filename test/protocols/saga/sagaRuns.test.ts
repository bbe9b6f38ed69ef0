// Whole saga runs in scenarios the design is about: the orchestrator crashes mid-saga and resumes
// from its log; a service goes down, so its calls time out, its breaker opens and sagas
// compensate around it; a service's disk fills up; a choreographed service goes down and its
// neighbours re-send their events until it is back. Also: clusters too small are rejected, spare
// nodes redirect clients, and a seed decides a run byte for byte.
import { describe, expect, it } from 'vitest';
import { sagaSpec } from '../../../protocols/saga/spec.ts';
import { resolveRun } from '../../../sim/resolveRun.ts';
import { notes } from '../../helpers.ts';
import { outcome, sagaRun } from './sagaFixtures.ts';

const passes = (run: ReturnType<typeof sagaRun>) => expect(run.result.verdict, JSON.stringify(run.result.verdict)).toEqual({ kind: 'pass' });
const sagaIds = (run: ReturnType<typeof sagaRun>, name: string) => new Set(notes(run.events, name).map((n) => (n.data as { saga: number }).saga));

/** Every saga that started a second or more before the run's end has ended (later ones may still run). */
function allEnded(run: ReturnType<typeof sagaRun>): void {
  const ended = sagaIds(run, 'saga-end');
  const open = notes(run.events, 'saga-start').filter((n) => n.t < run.result.endUs - 1_000_000 && !ended.has((n.data as { saga: number }).saga));
  expect(open).toEqual([]);
}

describe('orchestrated sagas under faults', () => {
  it('the orchestrator crashes mid-saga and resumes every running saga from its log', () => {
    const run = sagaRun({ seed: 3 }, [{ type: 'crash', at: '1s', for: '500ms', node: 'n1' }]);
    passes(run);
    const resume = notes(run.events, 'resume');
    expect(resume).toHaveLength(1);
    expect((resume[0]!.data as { sagas: number }).sagas).toBeGreaterThan(0);
    allEnded(run);
  });

  it('payment is down for 2 s: calls time out, its breaker opens, sagas give payment up and compensate, and all end once it is back', () => {
    const run = sagaRun({ seed: 1, clients: { count: 4 } }, [{ type: 'crash', at: '1s', for: '2s', node: 'n3' }]);
    passes(run);
    const m = run.result.protocolMetrics;
    expect(m.stepsGivenUp).toBeGreaterThan(0);
    expect(m.rejectedByBreaker).toBeGreaterThan(0);
    expect((m['payment.breakerOpenUs'] as number[]).length).toBeGreaterThan(0);
    const changes = notes(run.events, 'breaker').map((n) => n.data as { service: string; to: string });
    expect(changes.filter((c) => c.service === 'payment').map((c) => c.to)).toContain('closed'); // it left open again
    expect(notes(run.events, 'step-cancelled').length).toBeGreaterThan(0); // given-up payments compensated before payment saw them
    allEnded(run);
  });

  it('a partition cuts n1 off from the services: the sagas wait, compensate, and finish after it heals', () => {
    const run = sagaRun({ seed: 2 }, [{ type: 'partition', at: '1s', for: '1500ms', groups: [['n1'], ['n2', 'n3', 'n4', 'n5']] }]);
    passes(run);
    expect(outcome(run.result, 'sagas-end')?.status).toBe('held');
    expect(run.result.protocolMetrics.retries).toBeGreaterThan(0);
  });

  it('inventory\'s disk is full for a second: its answers wait until a write succeeds, nothing takes effect twice', () => {
    const run = sagaRun({ seed: 4 }, [{ type: 'disk-full', at: '1s', for: '1s', node: 'n4' }]);
    passes(run);
    expect(run.events.some((e) => e.kind === 'persist' && e.node === 4 && !e.ok)).toBe(true);
    expect(outcome(run.result, 'effects-once')?.status).toBe('held');
  });

  it('with more clients than the bulkhead admits and a slow shipping service, calls over the limit are rejected', () => {
    const run = sagaRun({ seed: 1, clients: { count: 8 } }, [{ type: 'slow', at: '500ms', for: '2s', node: 'n5', stepCost: '30ms' }]);
    passes(run);
    expect(run.result.protocolMetrics.rejectedByBulkhead).toBeGreaterThan(0);
    const queued = sagaRun({ seed: 1, clients: { count: 8 }, config: { bulkheadQueue: 8 } }, [{ type: 'slow', at: '500ms', for: '2s', node: 'n5', stepCost: '30ms' }]);
    passes(queued);
    expect(queued.result.protocolMetrics.rejectedByBulkhead).toBeLessThan(run.result.protocolMetrics.rejectedByBulkhead as number);
  });
});

describe('choreographed sagas under faults', () => {
  it('inventory is down for 2 s: payment re-sends PaymentCharged until inventory is back; nothing is given up', () => {
    const run = sagaRun({ seed: 1, variant: 'choreography' }, [{ type: 'crash', at: '1s', for: '2s', node: 'n3' }]);
    passes(run);
    const resent = notes(run.events, 'retry').filter((n) => n.node === 2).map((n) => (n.data as { event: string }).event);
    expect(resent).toContain('PaymentCharged');
    expect(notes(run.events, 'give-up')).toEqual([]);
    allEnded(run);
  });

  it('the order service crashes and restarts: the events its disk owes are sent again and every saga ends', () => {
    const run = sagaRun({ seed: 5, variant: 'choreography', network: { loss: 0.05 } }, [{ type: 'crash', at: '1200ms', for: '700ms', node: 'n1' }]);
    passes(run);
    allEnded(run);
  });
});

describe('cluster shape and determinism', () => {
  it('rejects a cluster too small for the variant, naming the nodes it needs', () => {
    expect(() => resolveRun(sagaSpec, { seed: 1, nodes: 4 }, { faults: [] })).toThrow('--set (saga settings): variant: orchestration needs at least 5 nodes (n1 orchestrator, n2 order, n3 payment, n4 inventory, n5 shipping); the cluster has 4; use --nodes 5');
    expect(() => resolveRun(sagaSpec, { seed: 1, nodes: 3, config: { variant: 'choreography' } }, { faults: [] })).toThrow(/variant: choreography needs at least 4 nodes \(n1 order, n2 payment, n3 inventory, n4 shipping\)/);
    expect(() => resolveRun(sagaSpec, { seed: 1, config: { variant: 'mesh' } }, { faults: [] })).toThrow('--set (saga settings): variant: expected orchestration or choreography');
  });

  it('spare nodes send clients on to n1, and the run passes', () => {
    const run = sagaRun({ seed: 1, nodes: 7 });
    passes(run);
    const redirected = run.events.filter((e) => e.kind === 'invoke' && e.node > 5);
    expect(redirected.length).toBeGreaterThan(0);
    expect(run.result.history.filter((h) => h.node > 5).every((h) => h.outcome === 'ok' || h.outcome === 'fail')).toBe(true);
  });

  it.each(['orchestration', 'choreography'] as const)('the same seed gives the same trace (%s)', (variant) => {
    const faults = [{ type: 'crash', at: '1s', for: '1s', node: 'n2' }];
    const a = sagaRun({ seed: 9, variant, network: { loss: 0.05, duplicate: 0.05 } }, faults);
    const b = sagaRun({ seed: 9, variant, network: { loss: 0.05, duplicate: 0.05 } }, faults);
    expect(a.result.traceHash).toBe(b.result.traceHash);
    expect(sagaRun({ seed: 10, variant, network: { loss: 0.05, duplicate: 0.05 } }, faults).result.traceHash).not.toBe(a.result.traceHash);
  });
});
