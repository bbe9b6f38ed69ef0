// How a SWIM node answers facts about itself (membership.ts aboutSelf): a Suspect or Dead at an
// incarnation >= its own is refuted with that incarnation + 1, noted, and gossiped as Alive(self)
// on the next message; older facts are ignored; the no-refute bug never refutes.
import { describe, expect, it } from 'vitest';
import type { Update } from '../../../protocols/swim/types.ts';
import { allAlive, buggy, ctxOf, noteData, ping, sends, stateWith, swim, timer, upd } from './swimFixtures.ts';

const ctx = ctxOf(1, 5);
const at2 = stateWith(allAlive(5), { inc: 2 });

describe('SWIM refutation', () => {
  it.each([
    ['Suspect', 2, 'refute suspicion'],
    ['Suspect', 5, 'refute suspicion'],
    ['Dead', 2, 'refute death'],
    ['Dead', 4, 'refute death'],
  ] as const)('%s about itself at incarnation %i (own 2): raises to inc + 1, notes it, and the Ack carries Alive(self)', (status, inc, reason) => {
    const step = swim.step(at2, ping(3, 9, [upd(1, status, inc)]), ctx);
    expect(step.state.inc).toBe(inc + 1);
    expect(noteData(step, 'incarnation')).toEqual([{ inc: inc + 1, reason }]);
    expect(sends(step)).toEqual([{ kind: 'send', to: 3, msg: { type: 'Ack', seq: 9, updates: [upd(1, 'Alive', inc + 1)] } }]);
    expect(noteData(step, 'status')).toEqual([]); // a node has no member entry for itself
    expect(step.state.members).toBe(at2.members);
  });

  it('the queued Alive(self) rides on the next message when the refuting one carried nothing', () => {
    // The suspicion arrives on an Ack (no reply), so the refutation waits in the queue for the next Ping.
    const refuted = swim.step(at2, { kind: 'message', from: 4, msg: { type: 'Ack', seq: 0, updates: [upd(1, 'Suspect', 2)] } }, ctx);
    expect(sends(refuted)).toEqual([]);
    expect(refuted.state.gossip).toEqual([{ update: upd(1, 'Alive', 3), sent: 0 }]);
    const next = swim.step({ ...refuted.state, order: [4], next: 0 }, timer('period'), ctx);
    expect(sends(next)).toEqual([{ kind: 'send', to: 4, msg: { type: 'Ping', seq: 0, updates: [upd(1, 'Alive', 3)] } }]);
  });

  it.each(['Suspect', 'Dead'] as const)('a %s about an older incarnation is ignored', (status) => {
    const step = swim.step(at2, ping(3, 9, [upd(1, status, 1)]), ctx);
    expect(step.state.inc).toBe(2);
    expect(noteData(step, 'incarnation')).toEqual([]);
    expect(sends(step)[0]?.msg).toEqual({ type: 'Ack', seq: 9, updates: [] });
  });

  it('repeated suspicions at the same incarnation are refuted once', () => {
    const once = swim.step(at2, ping(3, 1, [upd(1, 'Suspect', 2)]), ctx);
    const twice = swim.step(once.state, ping(4, 2, [upd(1, 'Suspect', 2)]), ctx);
    expect(twice.state.inc).toBe(3);
    expect(noteData(twice, 'incarnation')).toEqual([]);
  });

  it('an Alive about itself at a higher incarnation (from an earlier life) is adopted but not gossiped', () => {
    const step = swim.step(at2, ping(3, 1, [upd(1, 'Alive', 7)]), ctx);
    expect(step.state.inc).toBe(7);
    expect(noteData(step, 'incarnation')).toEqual([{ inc: 7, reason: 'saw a higher one' }]);
    expect(step.state.gossip).toEqual([]);
    const lower = swim.step(at2, ping(3, 1, [upd(1, 'Alive', 2)]), ctx);
    expect(lower.state.inc).toBe(2);
    expect(noteData(lower, 'incarnation')).toEqual([]);
  });

  it.each(['Suspect', 'Dead'] as const)('no-refute: a %s about itself is ignored', (status) => {
    const step = buggy('no-refute').step(at2, ping(3, 9, [upd(1, status, 2)]), ctx);
    expect(step.state.inc).toBe(2);
    expect(noteData(step, 'incarnation')).toEqual([]);
    expect(step.state.gossip).toEqual([]);
  });

  it('other updates in the same message are still applied around a self-refutation', () => {
    const updates: Update[] = [upd(2, 'Suspect', 0), upd(1, 'Suspect', 2), upd(3, 'Dead', 0)];
    const step = swim.step(at2, ping(4, 1, updates), ctx);
    expect(step.state.inc).toBe(3);
    expect(step.state.members).toMatchObject({ n2: { status: 'Suspect', inc: 0 }, n3: { status: 'Dead', inc: 0 } });
    expect(sends(step)[0]?.msg.type).toBe('Ack');
    // The latest fact goes to the front of the queue; all three ride on the Ack.
    expect((sends(step)[0]?.msg as unknown as { updates: Update[] }).updates).toEqual([upd(3, 'Dead', 0), upd(1, 'Alive', 3), upd(2, 'Suspect', 0)]);
  });
});
