// Step-level tests of a saga service: the ledger's idempotent step and compensation (tombstones
// for a compensation that comes first, refusals drawn once), and an orchestrated service's
// durability: every answer waits for the write of what it says, notes come only once the write
// completes, a failed write is retried, and a restart answers from the disk.
import { describe, expect, it } from 'vitest';
import { compensateStep, runStep, stepResult } from '../../../protocols/saga/ledger.ts';
import type { ServiceState } from '../../../protocols/saga/types.ts';
import { constRng } from '../../helpers.ts';
import { configOf, ctxOf, drive, effectsOf, msg, noteNames, notesNamed, orchestration, persisted, persists, protocolOf, sentMsgs, stepDurably, timers } from './sagaFixtures.ts';

describe('ledger: one service\'s record of its step in one saga', () => {
  const yes = () => true;
  const no = () => false;

  it('runs a step once: the first request draws the decision, later ones get the same answer with no new effect', () => {
    const first = runStep(undefined, 7, 1, no, 'payment declined', 3, null);
    expect(first).toMatchObject({ record: { s: 'applied', v: 3 }, changed: true, notes: [{ name: 'step-applied', data: { saga: 7, step: 'payment' } }] });
    let drawn = 0;
    const again = runStep(first.record, 7, 1, () => (drawn++, true), 'payment declined', 4, null);
    expect(again).toEqual({ record: first.record, changed: false, notes: [] });
    expect(drawn).toBe(0);
    expect(stepResult(again.record!)).toBe('applied');
  });

  it('a refusal is final, with its reason', () => {
    const refused = runStep(undefined, 7, 2, yes, 'out of stock', 1, null);
    expect(refused).toMatchObject({ record: { s: 'refused', why: 'out of stock' }, notes: [{ name: 'step-refused', data: { saga: 7, step: 'inventory', why: 'out of stock' } }] });
    expect(stepResult(runStep(refused.record, 7, 2, no, 'out of stock', 2, null).record!)).toBe('refused');
  });

  it('compensates an applied step once; a repeat changes nothing', () => {
    const applied = runStep(undefined, 7, 1, no, '', 1, null).record;
    const undone = compensateStep(applied, 7, 1, 2, null);
    expect(undone).toMatchObject({ record: { s: 'compensated', v: 2 }, changed: true, notes: [{ name: 'compensation-applied', data: { saga: 7, step: 'payment' } }] });
    expect(compensateStep(undone.record, 7, 1, 3, null)).toEqual({ record: undone.record, changed: false, notes: [] });
    // A late step request after the compensation is answered "cancelled", never applied again.
    expect(runStep(undone.record, 7, 1, no, '', 4, null).changed).toBe(false);
    expect(stepResult(undone.record!)).toBe('cancelled');
  });

  it('a compensation that arrives before its step leaves a tombstone, and the late step is refused', () => {
    const tomb = compensateStep(undefined, 9, 3, 1, null);
    expect(tomb).toMatchObject({ record: { s: 'cancelled' }, notes: [{ name: 'step-cancelled', data: { saga: 9, step: 'shipping' } }] });
    const late = runStep(tomb.record, 9, 3, no, '', 2, null);
    expect(late.changed).toBe(false);
    expect(stepResult(late.record!)).toBe('cancelled');
  });

  it('compensating a refused step does nothing (it never took effect)', () => {
    const refused = runStep(undefined, 7, 1, yes, 'payment declined', 1, null).record;
    expect(compensateStep(refused, 7, 1, 2, null)).toEqual({ record: refused, changed: false, notes: [] });
  });

  it('bugs: non-idempotent-step applies a duplicate again, non-idempotent-compensation compensates again', () => {
    const applied = runStep(undefined, 7, 1, no, '', 1, null).record;
    expect(runStep(applied, 7, 1, no, '', 2, 'non-idempotent-step').notes.map((n) => n.name)).toEqual(['step-applied']);
    const undone = compensateStep(applied, 7, 1, 2, null).record;
    expect(compensateStep(undone, 7, 1, 3, 'non-idempotent-compensation').notes.map((n) => n.name)).toEqual(['compensation-applied']);
  });
});

describe('an orchestrated service (n3, payment)', () => {
  const protocol = protocolOf();
  const ctx = ctxOf(3);
  const boot = () => protocol.init(ctx, undefined).state as ServiceState;

  it('applies a step, writes it, and answers behind the write; the note comes when the write completes', () => {
    const step = protocol.step(boot(), msg(1, { type: 'StepRequest', saga: 5, step: 1 }), ctx);
    expect(persists(step)).toHaveLength(1);
    expect(step.effects[0]?.kind).toBe('persist'); // the reply leaves only once this is on disk
    expect(sentMsgs(step)).toEqual([{ to: 1, type: 'StepReply', saga: 5, step: 1, result: 'applied' }]);
    expect(noteNames(step)).toEqual([]);
    const token = persists(step)[0]!.token;
    const done = protocol.step(step.state, persisted(token), ctx);
    expect(effectsOf(done, 'note')).toEqual([{ kind: 'note', name: 'step-applied', data: { saga: 5, step: 'payment', v: token } }]);
  });

  it('a write that reached the disk although the node crashed before hearing so: its notes are announced at the next boot, with the same v', () => {
    const step = protocol.step(boot(), msg(1, { type: 'StepRequest', saga: 5, step: 1 }), ctx);
    const write = persists(step)[0]!;
    const restarted = protocol.init(ctx, write.data);
    expect(effectsOf(restarted, 'note')).toEqual([{ kind: 'note', name: 'step-applied', data: { saga: 5, step: 'payment', v: write.token } }]);
  });

  it('answers a duplicate from its record, with no write and no new effect', () => {
    const applied = stepDurably(protocol, boot(), msg(1, { type: 'StepRequest', saga: 5, step: 1 }), ctx);
    const dup = protocol.step(applied.state, msg(1, { type: 'StepRequest', saga: 5, step: 1 }), ctx);
    expect(persists(dup)).toEqual([]);
    expect(noteNames(dup)).toEqual([]);
    expect(sentMsgs(dup)).toEqual([{ to: 1, type: 'StepReply', saga: 5, step: 1, result: 'applied' }]);
  });

  it('a duplicate of a step whose write is still on the way waits for that write (no second write), and is answered when it completes', () => {
    const first = protocol.step(boot(), msg(1, { type: 'StepRequest', saga: 5, step: 1 }), ctx);
    const dup = protocol.step(first.state, msg(1, { type: 'StepRequest', saga: 5, step: 1 }), ctx);
    expect(dup.effects).toEqual([]);
    const done = protocol.step(dup.state, persisted(persists(first)[0]!.token), ctx);
    expect(sentMsgs(done)).toEqual([{ to: 1, type: 'StepReply', saga: 5, step: 1, result: 'applied' }]);
  });

  it('a duplicate of a step whose write failed goes out behind a new write', () => {
    const first = protocol.step(boot(), msg(1, { type: 'StepRequest', saga: 5, step: 1 }), ctx);
    const failed = protocol.step(first.state, persisted(persists(first)[0]!.token, false), ctx);
    const dup = protocol.step(failed.state, msg(1, { type: 'StepRequest', saga: 5, step: 1 }), ctx);
    expect(persists(dup)).toHaveLength(1);
    expect(dup.effects[0]?.kind).toBe('persist');
    expect(sentMsgs(dup)).toEqual([{ to: 1, type: 'StepReply', saga: 5, step: 1, result: 'applied' }]);
  });

  it('a failed write (full disk) sends nothing about it and arms a flush that writes again', () => {
    const first = protocol.step(boot(), msg(1, { type: 'StepRequest', saga: 5, step: 1 }), ctx);
    const failed = protocol.step(first.state, persisted(persists(first)[0]!.token, false), ctx);
    expect(noteNames(failed)).toEqual([]);
    expect(timers(failed)).toEqual([{ kind: 'setTimer', timer: 'flush', afterUs: 50_000 }]);
    const flush = protocol.step(failed.state, { kind: 'timer', timer: 'flush' }, ctx);
    const again = protocol.step(flush.state, persisted(persists(flush)[0]!.token), ctx);
    expect(notesNamed(again, 'step-applied')).toEqual([{ saga: 5, step: 'payment' }]);
  });

  it('refuses for business reasons with the configured probability, drawn from its own random stream', () => {
    const always = configOf({ paymentDecline: 1 });
    const p = protocolOf(always);
    const c = ctxOf(3, always, 0, constRng(0.99));
    const refused = stepDurably(p, p.init(c, undefined).state, msg(1, { type: 'StepRequest', saga: 5, step: 1 }), c);
    expect(sentMsgs(refused)[0]).toMatchObject({ result: 'refused' });
    expect(notesNamed(refused, 'step-refused')).toEqual([{ saga: 5, step: 'payment', why: 'payment declined' }]);
    const never = configOf({ paymentDecline: 0 });
    const q = protocolOf(never);
    const d = ctxOf(3, never, 0, constRng(0.99));
    expect(sentMsgs(q.step(q.init(d, undefined).state, msg(1, { type: 'StepRequest', saga: 5, step: 1 }), d))[0]).toMatchObject({ result: 'applied' });
  });

  it('after a restart it answers from its disk: a step it applied is not applied again', () => {
    const applied = stepDurably(protocol, boot(), msg(1, { type: 'StepRequest', saga: 5, step: 1 }), ctx);
    const disk = persists(protocol.step(applied.state, msg(1, { type: 'CompensationRequest', saga: 6, step: 1 }), ctx))[0]!.data;
    const restarted = protocol.init(ctx, disk).state;
    const dup = protocol.step(restarted, msg(1, { type: 'StepRequest', saga: 5, step: 1 }), ctx);
    expect(noteNames(dup)).toEqual([]);
    expect(persists(dup)).toEqual([]);
    expect(sentMsgs(dup)[0]).toMatchObject({ result: 'applied' });
  });

  it('ignores requests for another service\'s step and malformed saga ids', () => {
    const s = boot();
    expect(protocol.step(s, msg(1, { type: 'StepRequest', saga: 5, step: 2 }), ctx).effects).toEqual([]);
    expect(protocol.step(s, msg(1, { type: 'StepRequest', saga: -3, step: 1 }), ctx).effects).toEqual([]);
  });

  it('sends a client that reaches it on to n1', () => {
    const step = protocol.step(boot(), { kind: 'request', requestId: 4, client: 2, op: { f: 'place-order', amount: 1 } }, ctx);
    expect(effectsOf(step, 'reply')).toEqual([{ kind: 'reply', requestId: 4, result: { ok: false, error: 'redirect', to: 1 } }]);
  });

  it('compensates once, then answers repeats with no new effect (and the bug compensates again)', () => {
    const inputs = [msg(1, { type: 'StepRequest', saga: 5, step: 1 }), msg(1, { type: 'CompensationRequest', saga: 5, step: 1 }), msg(1, { type: 'CompensationRequest', saga: 5, step: 1 })];
    const count = (bug: 'non-idempotent-compensation' | null): number => {
      const p = protocolOf(orchestration, bug);
      let state = p.init(ctx, undefined).state;
      let n = 0;
      for (const input of inputs) {
        const s = stepDurably(p, state, input, ctx);
        n += notesNamed(s, 'compensation-applied').length;
        state = s.state;
      }
      return n;
    };
    expect(count(null)).toBe(1);
    expect(count('non-idempotent-compensation')).toBe(2);
    // Without the writes completing, the repeat's answer waits for the compensation's write.
    expect(drive(boot(), inputs, ctx).at(-1)!.effects).toEqual([]);
  });
});
