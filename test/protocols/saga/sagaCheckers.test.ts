// Each saga checker catches a deliberately broken protocol, and holds for the correct one:
// hand-made event streams for the exact messages, and whole runs of saga variants broken by
// wrapping the protocol (a service that "refunds" what it never charged, an order service that
// tells the client the wrong outcome). Also: the checks stand down outside the fault model,
// liveness is not owed with a node down for good, and the metrics agree with the notes.
import { describe, expect, it } from 'vitest';
import { clientSeesOutcome, compensationNeedsStep, effectsOnce, semanticAtomicity } from '../../../protocols/saga/checkers.ts';
import { sagasEnd } from '../../../protocols/saga/liveness.ts';
import { sagaSpec } from '../../../protocols/saga/spec.ts';
import type { AlwaysChecker, CheckerView } from '../../../sim/checker.ts';
import type { AnySpec } from '../../../sim/protocolSpec.ts';
import { resolveRun } from '../../../sim/resolveRun.ts';
import type { ObservedEvent } from '../../../sim/traceEvents.ts';
import type { AnyProtocol, Effect, Message } from '../../../sim/types.ts';
import { notes } from '../../helpers.ts';
import { configOf, outcome, sagaRun, verdictOf } from './sagaFixtures.ts';

let t = 0;
const note = (node: number, name: string, data: Record<string, unknown>): ObservedEvent => ({ t: ++t, kind: 'note', node, name, data });
const applied = (saga: number, step: string) => note(3, 'step-applied', { saga, step });
const compensated = (saga: number, step: string) => note(3, 'compensation-applied', { saga, step });
const ended = (saga: number, outcome: string) => note(1, 'saga-end', { saga, outcome });
const view: CheckerView = { nowUs: 0, phase: 'fault', healStartUs: 0, nodes: [1, 2, 3, 4, 5], isUp: () => true };

function feed(checker: AlwaysChecker, events: ObservedEvent[]): string | undefined {
  for (const e of events) checker.observe(e, view);
  return checker.broken();
}

const STEPS = ['order', 'payment', 'inventory', 'shipping'];

describe('checkers on hand-made event streams', () => {
  it('effects-once: a step or a compensation that takes effect twice', () => {
    expect(feed(effectsOnce(), [applied(1, 'payment'), applied(1, 'payment')])).toBe("saga 1: payment's step took effect 2 times (n3)");
    expect(feed(effectsOnce(), [applied(1, 'payment'), compensated(1, 'payment'), compensated(1, 'payment')])).toBe("saga 1: payment's compensation (refund) took effect 2 times (n3)");
    expect(feed(effectsOnce(), [applied(1, 'payment'), applied(2, 'payment'), compensated(1, 'payment')])).toBeUndefined();
  });

  it('compensation-needs-step: a compensation with no step', () => {
    expect(feed(compensationNeedsStep(), [applied(1, 'order'), compensated(1, 'payment')])).toBe("saga 1: payment's compensation (refund) took effect but the step was never applied");
    expect(feed(compensationNeedsStep(), [applied(1, 'payment'), compensated(1, 'payment')])).toBeUndefined();
  });

  it('semantic-atomicity: compensations out of order, a saga that ends half-done, effects after the end', () => {
    const forward = [applied(1, 'order'), applied(1, 'payment'), compensated(1, 'order')];
    expect(feed(semanticAtomicity(), forward)).toBe('saga 1: order was compensated while payment, a later step, was still applied (compensations must run in reverse order)');
    expect(feed(semanticAtomicity(), [applied(1, 'order'), applied(1, 'payment'), compensated(1, 'payment'), ended(1, 'compensated')])).toBe('saga 1 ended compensated but order is still applied (cancel order never took effect)');
    expect(feed(semanticAtomicity(), [applied(1, 'order'), applied(1, 'payment'), ended(1, 'completed')])).toBe('saga 1 completed but inventory was never applied');
    expect(feed(semanticAtomicity(), [applied(1, 'order'), compensated(1, 'order'), applied(1, 'payment')])).toBe("saga 1: payment took effect after the saga's compensation began");
    expect(feed(semanticAtomicity(), [...STEPS.map((s) => applied(1, s)), ended(1, 'completed'), compensated(1, 'shipping')])).toBe("saga 1: shipping's compensation (cancel shipment) took effect after the saga completed");
    expect(feed(semanticAtomicity(), [note(5, 'step-cancelled', { saga: 1, step: 'shipping' }), applied(1, 'shipping')])).toBe("saga 1: shipping took effect after the saga's compensation began");
    expect(feed(semanticAtomicity(), [ended(1, 'completed'), ended(1, 'compensated')])).toMatch(/^saga 1 (completed but|ended completed, then compensated)/);
  });

  it('semantic-atomicity holds for the two correct endings', () => {
    expect(feed(semanticAtomicity(), [...STEPS.map((s) => applied(1, s)), ended(1, 'completed')])).toBeUndefined();
    const reverse = [applied(2, 'order'), applied(2, 'payment'), applied(2, 'inventory'), compensated(2, 'inventory'), compensated(2, 'payment'), compensated(2, 'order'), ended(2, 'compensated')];
    expect(feed(semanticAtomicity(), reverse)).toBeUndefined();
  });

  it('client-sees-outcome: a client told an outcome its saga did not have', () => {
    const told = (outcome: string): ObservedEvent => ({ t: ++t, kind: 'complete', client: 1, req: 7, outcome: outcome === 'completed' ? 'ok' : 'fail', result: { ok: true, saga: 7, outcome } });
    expect(feed(clientSeesOutcome(), [ended(7, 'compensated'), told('completed')])).toBe('client 1 was told its saga 7 completed, but it ended compensated');
    expect(feed(clientSeesOutcome(), [told('completed')])).toBe('client 1 was told its saga 7 completed, but it has not ended');
    expect(feed(clientSeesOutcome(), [ended(7, 'completed'), told('completed')])).toBeUndefined();
  });

  it('a note announced again after a boot (same node and v) counts once; the same effect in a new write (new v) counts again', () => {
    const first = note(3, 'step-applied', { saga: 1, step: 'payment', v: 4 });
    const again = { ...first, t: ++t };
    expect(feed(effectsOnce(), [first, again])).toBeUndefined();
    expect(feed(effectsOnce(), [first, note(3, 'step-applied', { saga: 1, step: 'payment', v: 9 })])).toBe("saga 1: payment's step took effect 2 times (n3)");
    // A repeat is not a new effect after the compensation began either.
    expect(feed(semanticAtomicity(), [first, compensated(1, 'payment'), again])).toBeUndefined();
  });

  it('every safety check stands down from a byzantine "wrong" sender or a corrupted disk on, and says why', () => {
    const wrong: ObservedEvent = { t: 1, kind: 'fault', phase: 'start', fault: { type: 'byzantine', at: 0, node: 3, behaviour: 'wrong' } };
    const corrupt: ObservedEvent = { t: 1, kind: 'boot', node: 4, disk: 'corrupt', state: {} };
    for (const [event, why] of [[wrong, /n3 started sending corrupted messages/], [corrupt, /n4 booted from a corrupted disk/]] as const) {
      const c = effectsOnce();
      expect(feed(c, [event, applied(1, 'payment'), applied(1, 'payment')])).toBeUndefined();
      expect(c.inapplicable?.()).toMatch(why);
    }
  });
});

describe('sagas-end (liveness)', () => {
  const cfg = configOf();
  const options = resolveRun(sagaSpec, { seed: 1, nodes: 5, faultPhaseUs: 1_000_000 }, { faults: [] });
  const at = (nowUs: number, up = (_: number) => true): CheckerView => ({ nowUs, phase: 'heal', healStartUs: 1_000_000, nodes: [1, 2, 3, 4, 5], isUp: up });

  it('is unmet by a saga that started long enough ago and never ended, and names where it stopped', () => {
    const c = sagasEnd(cfg, options, { faults: [] });
    c.observe(note(1, 'saga-start', { saga: 3 }), at(500_000));
    c.observe(applied(3, 'payment'), at(600_000));
    expect(c.unmet(at(100_000_000))).toBe('saga 3 (started at 500ms) has not ended; last heard: step-applied payment at 600ms');
    c.observe(ended(3, 'completed'), at(100_000_001));
    expect(c.unmet(at(100_000_002))).toBeUndefined();
  });

  it('is not owed when a node the variant needs stays down after the heal phase', () => {
    const c = sagasEnd(cfg, options, { faults: [] });
    c.observe(note(1, 'saga-start', { saga: 3 }), at(500_000));
    expect(c.unmet(at(100_000_000, (id) => id !== 4))).toBeUndefined();
    expect(c.inapplicable?.()).toBe('n4 is down after the heal phase (crashed for good), so sagas that reached it cannot finish');
  });

  it('its bound covers a run\'s slowest messages: a slower network gets a longer heal phase', () => {
    const slow = resolveRun(sagaSpec, { seed: 1, nodes: 5, network: { latency: { dist: 'uniform', minUs: 1_000, maxUs: 400_000 } } }, { faults: [] });
    expect(slow.healUs).toBeGreaterThan(options.healUs);
    expect(sagasEnd(cfg, options, { faults: [] }).deadlineUs).toBeLessThanOrEqual(options.healUs);
  });
});

/** The saga spec with its protocol's effects rewritten on every node (a deliberately broken protocol). */
type AnyEffect = Effect<Message, unknown>;

function brokenSpec(name: string, rewrite: (e: AnyEffect, node: number) => AnyEffect): AnySpec {
  return {
    ...sagaSpec,
    name,
    create(config, bug): AnyProtocol {
      const base = sagaSpec.create(config, bug);
      const map = (step: { state: unknown; effects: readonly AnyEffect[] }, node: number) => ({ state: step.state, effects: step.effects.map((e) => rewrite(e, node)) });
      return { name, init: (ctx, durable) => map(base.init(ctx, durable), ctx.id), step: (s, input, ctx) => map(base.step(s, input, ctx), ctx.id) };
    },
  };
}

describe('checkers catch deliberately broken protocols in whole runs (and hold for the correct one)', () => {
  // A compensation that arrives before its step (a given-up step) leaves a tombstone; this
  // broken service "refunds" it instead, as if it had charged.
  const refundsUncharged = brokenSpec('saga-refunds-uncharged', (e) => (e.kind === 'note' && e.name === 'step-cancelled' ? { ...e, name: 'compensation-applied' } : e));
  // The orchestrator tells every client its saga completed.
  const alwaysCompleted = brokenSpec('saga-always-completed', (e) => (e.kind === 'reply' && (e.result as { outcome?: string }).outcome === 'compensated' ? { ...e, result: { ...(e.result as object), outcome: 'completed' } } : e));
  // Payment is down from 1 s to 3 s: sagas give it up and compensate it before it ever saw them.
  const paymentDown = [{ type: 'crash', at: '1s', for: '2s', node: 'n3' }];

  it('compensation-needs-step catches a service that compensates what it never applied', () => {
    const broken = sagaRun({ seed: 1 }, paymentDown, refundsUncharged);
    expect(verdictOf(broken.result)).toMatchObject({ kind: 'safety', checker: 'compensation-needs-step', message: expect.stringMatching(/^saga \d+: payment's compensation \(refund\) took effect but the step was never applied$/) });
    const correct = sagaRun({ seed: 1 }, paymentDown);
    expect(correct.result.verdict).toEqual({ kind: 'pass' });
    expect(notes(correct.events, 'step-cancelled').length).toBeGreaterThan(0); // the tombstones the broken service turned into refunds
  });

  it('client-sees-outcome catches an orchestrator that reports every saga completed', () => {
    const broken = sagaRun({ seed: 1 }, [], alwaysCompleted);
    expect(verdictOf(broken.result)).toMatchObject({ kind: 'safety', checker: 'client-sees-outcome', message: expect.stringMatching(/^client \d+ was told its saga \d+ completed, but it ended compensated$/) });
    expect(outcome(sagaRun({ seed: 1 }).result, 'client-sees-outcome')?.status).toBe('held');
  });
});

describe('metrics agree with the notes', () => {
  it('counts sagas, compensations, retries, rejections and breaker episodes', () => {
    const run = sagaRun({ seed: 2, network: { loss: 0.05 } }, [{ type: 'crash', at: '1s', for: '2s', node: 'n4' }]);
    const m = run.result.protocolMetrics;
    const count = (name: string) => notes(run.events, name).length;
    expect(m.sagasStarted).toBe(count('saga-start'));
    expect((m.sagasCompleted as number) + (m.sagasCompensated as number)).toBe(count('saga-end'));
    expect(m.compensations).toBe(count('compensation-applied'));
    expect(m.retries).toBe(count('retry'));
    expect((m.rejectedByBulkhead as number) + (m.rejectedByBreaker as number)).toBe(count('rejected'));
    const opens = notes(run.events, 'breaker').filter((n) => (n.data as { to: string }).to === 'open' && (n.data as { from: string }).from === 'closed');
    expect(m.breakerTrips).toBe(opens.length);
    expect(m.breakerTrips).toBeGreaterThan(0);
    expect((m['inventory.breakerOpenUs'] as number[]).length).toBeGreaterThan(0);
    expect((m.sagaDurationUs as number[]).length).toBe(count('saga-end'));
  });
});
