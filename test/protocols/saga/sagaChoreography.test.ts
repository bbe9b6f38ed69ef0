// Step-level tests of the choreographed saga: the order service (n1) takes an order and emits
// OrderCreated; each service reacts to its neighbour's event, writes its reaction with the event
// it owes, acknowledges only behind that write, and re-sends its own event with backoff until it
// is acknowledged; a refusal travels back and compensations follow it upstream one service at a
// time (forward under the bug); a restart re-sends what the disk still owes.
import { describe, expect, it } from 'vitest';
import type { SagaMessage, SagaState, ServiceState } from '../../../protocols/saga/types.ts';
import { constRng } from '../../helpers.ts';
import { choreography, configOf, ctxOf, effectsOf, msg, noteNames, notesNamed, order, persisted, persists, protocolOf, sentMsgs, stepDurably, timer, timers } from './sagaFixtures.ts';

const protocol = protocolOf(choreography);
const node = (id: number, cfg = choreography, rng = constRng(0.5)) => ({ ctx: ctxOf(id, cfg, 0, rng), p: protocolOf(cfg) });
const bootOf = (id: number): SagaState => protocol.init(ctxOf(id, choreography), undefined).state;
const ev = (from: number, m: SagaMessage) => msg(from, m);

describe('the choreographed saga', () => {
  it('the order service takes an order, writes it with the OrderCreated it owes, and sends it to payment', () => {
    const ctx = ctxOf(1, choreography);
    const step = protocol.step(bootOf(1), order(11), ctx);
    expect(step.effects[0]?.kind).toBe('persist');
    expect(sentMsgs(step)).toEqual([{ to: 2, type: 'OrderCreated', saga: 11 }]);
    expect(timers(step)).toEqual([{ kind: 'setTimer', timer: 'e11', afterUs: 100_000 }]);
    expect(noteNames(protocol.step(step.state, persisted(persists(step)[0]!.token), ctx))).toEqual(['saga-start', 'step-applied']);
  });

  it('payment charges on OrderCreated, emits PaymentCharged to inventory, and acknowledges behind its write', () => {
    const { ctx } = node(2);
    const step = protocol.step(bootOf(2), ev(1, { type: 'OrderCreated', saga: 11 }), ctx);
    expect(step.effects[0]?.kind).toBe('persist');
    expect(sentMsgs(step)).toEqual([{ to: 3, type: 'PaymentCharged', saga: 11 }, { to: 1, type: 'EventAck', saga: 11, event: 'OrderCreated' }]);
  });

  it('a duplicate event is acknowledged from the record, with no second effect', () => {
    const { ctx } = node(2);
    const first = stepDurably(protocol, bootOf(2), ev(1, { type: 'OrderCreated', saga: 11 }), ctx);
    const dup = protocol.step(first.state, ev(1, { type: 'OrderCreated', saga: 11 }), ctx);
    expect(persists(dup)).toEqual([]);
    expect(noteNames(dup)).toEqual([]);
    expect(sentMsgs(dup)).toEqual([{ to: 1, type: 'EventAck', saga: 11, event: 'OrderCreated' }]);
  });

  it('a declined payment goes back to the order service, which cancels the order and ends the saga compensated', () => {
    const declining = configOf({ variant: 'choreography', paymentDecline: 1 });
    const pay = node(2, declining, constRng(0.99));
    const declined = stepDurably(pay.p, pay.p.init(pay.ctx, undefined).state, ev(1, { type: 'OrderCreated', saga: 11 }), pay.ctx);
    expect(sentMsgs(declined)[0]).toEqual({ to: 1, type: 'PaymentDeclined', saga: 11, failedAt: 1 });
    const ctx = ctxOf(1, choreography);
    const placed = stepDurably(protocol, bootOf(1), order(11), ctx);
    const ended = stepDurably(protocol, placed.state, ev(2, { type: 'PaymentDeclined', saga: 11, failedAt: 1 }), ctx);
    expect(notesNamed(ended, 'compensation-applied')).toEqual([{ saga: 11, step: 'order' }]);
    expect(notesNamed(ended, 'saga-end')).toEqual([{ saga: 11, outcome: 'compensated', why: 'payment declined' }]);
    expect(effectsOf(ended, 'reply')).toEqual([{ kind: 'reply', requestId: 11, result: { ok: true, saga: 11, outcome: 'compensated', why: 'payment declined' } }]);
  });

  it('compensations travel back one service at a time: OutOfStock -> payment refunds -> PaymentRefunded -> order', () => {
    const { ctx } = node(2);
    const charged = stepDurably(protocol, bootOf(2), ev(1, { type: 'OrderCreated', saga: 11 }), ctx);
    const refunded = stepDurably(protocol, charged.state, ev(3, { type: 'OutOfStock', saga: 11, failedAt: 2 }), ctx);
    expect(notesNamed(refunded, 'compensation-applied')).toEqual([{ saga: 11, step: 'payment' }]);
    expect(sentMsgs(refunded)).toEqual([{ to: 1, type: 'PaymentRefunded', saga: 11, failedAt: 2 }, { to: 3, type: 'EventAck', saga: 11, event: 'OutOfStock' }]);
  });

  it('under forward-order-compensation a refusal goes to the order service and compensations travel forward', () => {
    const bugged = protocolOf(choreography, 'forward-order-compensation');
    const inv = configOf({ variant: 'choreography', outOfStock: 1 });
    const i = node(3, inv, constRng(0.99));
    const buggyInv = protocolOf(inv, 'forward-order-compensation');
    const refused = stepDurably(buggyInv, buggyInv.init(i.ctx, undefined).state, ev(2, { type: 'PaymentCharged', saga: 11 }), i.ctx);
    expect(sentMsgs(refused)[0]).toEqual({ to: 1, type: 'OutOfStock', saga: 11, failedAt: 2 });
    const ctx = ctxOf(1, choreography);
    const placed = stepDurably(bugged, bugged.init(ctx, undefined).state, order(11), ctx);
    const cancelled = stepDurably(bugged, placed.state, ev(3, { type: 'OutOfStock', saga: 11, failedAt: 2 }), ctx);
    expect(sentMsgs(cancelled)[0]).toEqual({ to: 2, type: 'OrderCancelled', saga: 11, failedAt: 2 });
    expect(notesNamed(cancelled, 'saga-end')).toEqual([]);
    // The last compensator (payment) tells the order service the saga is over.
    const ended = stepDurably(bugged, cancelled.state, ev(2, { type: 'PaymentRefunded', saga: 11, failedAt: 2 }), ctx);
    expect(notesNamed(ended, 'saga-end')).toEqual([{ saga: 11, outcome: 'compensated', why: 'out of stock' }]);
  });

  it('shipping tells the order service ShipmentScheduled, which completes the saga', () => {
    const { ctx } = node(4);
    expect(sentMsgs(protocol.step(bootOf(4), ev(3, { type: 'InventoryReserved', saga: 11 }), ctx))[0]).toEqual({ to: 1, type: 'ShipmentScheduled', saga: 11 });
    const c1 = ctxOf(1, choreography);
    const placed = stepDurably(protocol, bootOf(1), order(11), c1);
    const done = stepDurably(protocol, placed.state, ev(4, { type: 'ShipmentScheduled', saga: 11 }), c1);
    expect(notesNamed(done, 'saga-end')).toEqual([{ saga: 11, outcome: 'completed' }]);
    // The order's own event is no longer owed: its timer is cancelled.
    expect(effectsOf(done, 'cancelTimer')).toContainEqual({ kind: 'cancelTimer', timer: 'e11' });
  });

  it('re-sends an unacknowledged event after a backoff, and stops once it is acknowledged', () => {
    const ctx = ctxOf(1, choreography);
    const placed = stepDurably(protocol, bootOf(1), order(11), ctx);
    const wait = protocol.step(placed.state, timer('e11'), ctx);
    expect(sentMsgs(wait)).toEqual([]);
    expect(timers(wait)).toEqual([{ kind: 'setTimer', timer: 'e11', afterUs: 5_000 }]); // full jitter of 10 ms, drawn 0.5
    const resent = protocol.step(wait.state, timer('e11'), ctx);
    expect(sentMsgs(resent)).toEqual([{ to: 2, type: 'OrderCreated', saga: 11 }]);
    expect(notesNamed(resent, 'retry')).toEqual([{ saga: 11, event: 'OrderCreated', attempt: 2 }]);
    const acked = protocol.step(resent.state, ev(2, { type: 'EventAck', saga: 11, event: 'OrderCreated' }), ctx);
    expect(effectsOf(acked, 'cancelTimer')).toEqual([{ kind: 'cancelTimer', timer: 'e11' }]);
    expect(protocol.step(acked.state, timer('e11'), ctx).effects).toEqual([]);
  });

  it('a restarted service re-sends every event its disk still owes', () => {
    const { ctx } = node(2);
    const charged = protocol.step(bootOf(2), ev(1, { type: 'OrderCreated', saga: 11 }), ctx);
    const disk = persists(charged)[0]!.data;
    const restarted = protocol.init(ctx, disk);
    expect(sentMsgs(restarted)).toEqual([{ to: 3, type: 'PaymentCharged', saga: 11 }]);
    expect((restarted.state as ServiceState).records).toEqual((charged.state as ServiceState).records);
  });

  it('a client that reaches another service is sent to n1; malformed events are ignored, unacknowledged', () => {
    const { ctx } = node(3);
    expect(effectsOf(protocol.step(bootOf(3), order(4), ctx), 'reply')[0]?.result).toEqual({ ok: false, error: 'redirect', to: 1 });
    expect(protocol.step(bootOf(3), ev(2, { type: 'PaymentCharged', saga: 0 }), ctx).effects).toEqual([]);
    expect(protocol.step(bootOf(2), ev(3, { type: 'InventoryReleased', saga: 5, failedAt: 9 }), ctxOf(2, choreography)).effects).toEqual([]);
  });
});
