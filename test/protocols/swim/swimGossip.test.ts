// SWIM dissemination by piggybacking (gossip.ts, and through step()): an update rides on at most
// retransmitLimit messages, at most `piggyback` updates go on one message, least-sent first, and
// a newer update about a member replaces the queued one. Plus a fast-check property of the queue.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retransmitLimit } from '../../../protocols/swim/config.ts';
import { enqueue, takePiggyback } from '../../../protocols/swim/gossip.ts';
import type { Gossip, Update } from '../../../protocols/swim/types.ts';
import { allAlive, config, ctxOf, drive, member, ping, sends, stateWith, swim, upd } from './swimFixtures.ts';

const updatesOf = (msg: unknown): Update[] => (msg as { updates: Update[] }).updates;

describe('SWIM piggybacking through step()', () => {
  it('the retransmit limit is lambda x ceil(log10(n + 1)): 4 for 5 nodes, 8 for 10, 12 for 100', () => {
    expect([retransmitLimit(config, 5), retransmitLimit(config, 10), retransmitLimit(config, 100)]).toEqual([4, 8, 12]);
  });

  it('an update rides on exactly retransmitLimit messages, then leaves the queue', () => {
    const ctx = ctxOf(1, 5);
    const state = stateWith(allAlive(5), { gossip: [{ update: upd(3, 'Suspect', 1), sent: 0 }] });
    const steps = drive(state, Array.from({ length: 6 }, (_, i) => ping(2, i)), ctx);
    const carried = steps.map((s) => updatesOf(sends(s)[0]?.msg));
    expect(carried).toEqual([[upd(3, 'Suspect', 1)], [upd(3, 'Suspect', 1)], [upd(3, 'Suspect', 1)], [upd(3, 'Suspect', 1)], [], []]);
    expect(steps[2]!.state.gossip).toEqual([{ update: upd(3, 'Suspect', 1), sent: 3 }]);
    expect(steps[3]!.state.gossip).toEqual([]);
  });

  it('at most `piggyback` (6) updates per message, least-sent first', () => {
    const ctx = ctxOf(1, 10);
    const queue: Gossip[] = [2, 3, 4, 5, 6, 7, 8, 9].map((id) => ({ update: upd(id, 'Alive', 1), sent: 0 }));
    const [first, second] = drive(stateWith(allAlive(10), { gossip: queue }), [ping(2, 1), ping(2, 2)], ctx);
    expect(updatesOf(sends(first!)[0]?.msg).map((u) => u.id)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(first!.state.gossip.map((g) => [g.update.id, g.sent])).toEqual([[8, 0], [9, 0], [2, 1], [3, 1], [4, 1], [5, 1], [6, 1], [7, 1]]);
    expect(updatesOf(sends(second!)[0]?.msg).map((u) => u.id)).toEqual([8, 9, 2, 3, 4, 5]);
  });

  it('a newer update about a member replaces the queued one and goes to the front, unsent', () => {
    const ctx = ctxOf(1, 5);
    const gossip: Gossip[] = [{ update: upd(4, 'Alive', 0), sent: 0 }, { update: upd(3, 'Alive', 1), sent: 2 }];
    const state = stateWith({ ...allAlive(5), 3: member('Alive', 1) }, { gossip });
    const step = swim.step(state, { kind: 'message', from: 2, msg: { type: 'Ack', seq: 0, updates: [upd(3, 'Suspect', 1)] } }, ctx);
    expect(step.state.gossip).toEqual([{ update: upd(3, 'Suspect', 1), sent: 0 }, { update: upd(4, 'Alive', 0), sent: 0 }]);
  });

  it('a fact the node already knows is not queued again', () => {
    const ctx = ctxOf(1, 5);
    const stale = swim.step(stateWith(allAlive(5)), ping(2, 1, [upd(3, 'Alive', 0)]), ctx);
    expect(stale.state.gossip).toEqual([]);
    expect(updatesOf(sends(stale)[0]?.msg)).toEqual([]);
  });

  it('messages share the frozen queued updates: a receiver cannot change the sender\'s queue', () => {
    const ctx = ctxOf(1, 5);
    const step = swim.step(stateWith(allAlive(5), { gossip: [{ update: upd(3, 'Dead', 0), sent: 0 }] }), ping(2, 1), ctx);
    const carried = updatesOf(sends(step)[0]?.msg)[0];
    expect(carried).toEqual(upd(3, 'Dead', 0));
    expect(Object.isFrozen(carried)).toBe(true);
    expect(Object.isFrozen(step.state.gossip[0])).toBe(true);
  });

  it('members discovered by push-pull are not gossiped on; the Sync sender, and every Suspect, Dead or change, are', () => {
    const ctx = ctxOf(1, 6);
    const state = stateWith({ 2: member('Alive', 0) });
    const view = [upd(3, 'Alive', 0), upd(2, 'Alive', 1), upd(4, 'Alive', 0), upd(5, 'Suspect', 0), upd(6, 'Dead', 2)];
    for (const type of ['Sync', 'SyncAck'] as const) {
      const step = swim.step(state, { kind: 'message', from: 3, msg: { type, members: view } }, ctx);
      expect(Object.keys(step.state.members).sort()).toEqual(['n2', 'n3', 'n4', 'n5', 'n6']);
      // Queued newest first: n6 Dead, n5 Suspect, n2's new incarnation, and n3 (the sender); not n4.
      expect(step.state.gossip.map((g) => g.update)).toEqual([upd(6, 'Dead', 2), upd(5, 'Suspect', 0), upd(2, 'Alive', 1), upd(3, 'Alive', 0)]);
    }
    // The same facts on a Ping are all gossiped.
    const gossiped = swim.step(state, ping(3, 1, view), ctx);
    expect(gossiped.state.gossip.map((g) => g.update.id).sort()).toEqual([2, 3, 4, 5, 6]);
  });
});

const gossipArb = fc
  .array(fc.record({ id: fc.integer({ min: 1, max: 40 }), sent: fc.nat({ max: 5 }) }), { maxLength: 20 })
  .map((gs) => gs.sort((a, b) => a.sent - b.sent).map(({ id, sent }) => ({ update: upd(id, 'Alive', 0), sent })));

describe('SWIM broadcast queue properties', () => {
  it('takePiggyback takes the first `max`, counts one send each, drops those that reach the limit, and keeps the queue sorted', () => {
    fc.assert(
      fc.property(gossipArb, fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), (queue, max, extra) => {
        const limit = Math.max(...queue.map((g) => g.sent), 0) + extra;
        const { updates, queue: next } = takePiggyback(queue, max, limit);
        const taken = queue.slice(0, max);
        expect(updates).toEqual(taken.map((g) => g.update));
        const kept = taken.filter((g) => g.sent + 1 < limit).length;
        expect(next).toHaveLength(queue.length - taken.length + kept);
        expect(next.map((g) => g.sent)).toEqual([...next.map((g) => g.sent)].sort((a, b) => a - b));
        const sends = (q: readonly Gossip[]) => q.reduce((sum, g) => sum + g.sent, 0);
        expect(sends(next)).toBe(sends(queue) + kept - (taken.length - kept) * (limit - 1));
      }),
    );
  });

  it('enqueue keeps at most one entry per member, the new one first', () => {
    fc.assert(
      fc.property(gossipArb, fc.integer({ min: 1, max: 40 }), (queue, id) => {
        const next = enqueue(queue, upd(id, 'Dead', 9));
        expect(next[0]).toEqual({ update: upd(id, 'Dead', 9), sent: 0 });
        expect(next.slice(1).some((g) => g.update.id === id)).toBe(false);
        expect(next.length).toBe(queue.filter((g) => g.update.id !== id).length + 1);
      }),
    );
  });
});
