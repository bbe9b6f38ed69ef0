// SWIM suspicion and death in step(): the suspicion timer confirms a still-Suspect member Dead and
// gossips it; Dead members stay as tombstones, are not probed, and stale Alive or Suspect facts at
// the same incarnation cannot revive them; the forget-tombstones bug deletes them instead.
import { describe, expect, it } from 'vitest';
import type { SwimState } from '../../../protocols/swim/types.ts';
import { allAlive, buggy, ctxOf, drive, member, noteData, ping, sends, stateWith, swim, timer, upd } from './swimFixtures.ts';

const ctx = ctxOf(1, 5);
const suspected = stateWith({ ...allAlive(5), 2: member('Suspect', 1) });

describe('SWIM suspicion timeout and tombstones', () => {
  it('the suspicion timer confirms a Suspect member Dead at its incarnation and queues the news', () => {
    const step = swim.step(suspected, timer('suspect:2'), ctx);
    expect(step.state.members.n2).toEqual(member('Dead', 1));
    expect(noteData(step, 'status')).toEqual([{ peer: 2, from: 'Suspect', to: 'Dead', inc: 1 }]);
    expect(step.state.gossip).toEqual([{ update: upd(2, 'Dead', 1), sent: 0 }]);
  });

  it('a suspicion timer for a member refuted meanwhile (Alive) or gone does nothing', () => {
    const refuted = stateWith({ ...allAlive(5), 2: member('Alive', 2) });
    expect(swim.step(refuted, timer('suspect:2'), ctx)).toEqual({ state: refuted, effects: [] });
    expect(swim.step(refuted, timer('suspect:2'), ctx).state).toBe(refuted);
    expect(swim.step(refuted, timer('suspect:9'), ctx).state).toBe(refuted);
  });

  it('a refutation (Alive at a higher incarnation) clears the suspicion and cancels its timer', () => {
    const step = swim.step(suspected, ping(3, 1, [upd(2, 'Alive', 2)]), ctx);
    expect(step.state.members.n2).toEqual(member('Alive', 2));
    expect(step.effects).toContainEqual({ kind: 'cancelTimer', timer: 'suspect:2' });
  });

  it('a Dead member is kept as a tombstone and never probed', () => {
    const dead = swim.step(suspected, timer('suspect:2'), ctx).state;
    expect(Object.keys(dead.members)).toEqual(['n2', 'n3', 'n4', 'n5']);
    const targets: number[] = [];
    let state: SwimState = { ...dead, order: [2, 3, 4, 5], next: 0 };
    for (let i = 0; i < 9; i++) {
      const step = swim.step(state, timer('period'), ctx);
      targets.push(...sends(step).filter((s) => s.msg.type === 'Ping').map((s) => s.to));
      state = swim.step(step.state, { kind: 'message', from: step.state.probe!.target, msg: { type: 'Ack', seq: step.state.probe!.seq, updates: [] } }, ctx).state;
    }
    expect(targets).toHaveLength(9);
    expect(targets).not.toContain(2);
  });

  it.each([
    ['Alive', 1], ['Suspect', 1], ['Alive', 0], ['Suspect', 0], ['Dead', 1], ['Dead', 0],
  ] as const)('a stale %s at incarnation %i does not revive a member Dead at 1', (status, inc) => {
    const dead = stateWith({ ...allAlive(5), 2: member('Dead', 1) });
    const step = swim.step(dead, ping(3, 1, [upd(2, status, inc)]), ctx);
    expect(step.state.members.n2).toEqual(member('Dead', 1));
    expect(noteData(step, 'status')).toEqual([]);
  });

  it('a rejoin (Alive at a higher incarnation) revives a Dead member and puts it back in the probe order', () => {
    const dead = stateWith({ ...allAlive(5), 2: member('Dead', 1) }, { order: [3, 4, 5], next: 0 });
    const step = swim.step(dead, ping(3, 1, [upd(2, 'Alive', 2)]), ctx);
    expect(step.state.members.n2).toEqual(member('Alive', 2));
    expect(noteData(step, 'status')).toEqual([{ peer: 2, from: 'Dead', to: 'Alive', inc: 2 }]);
    expect(step.state.order).toContain(2);
  });

  it('a Dead about an unknown member is kept as a tombstone too', () => {
    const step = swim.step(stateWith({}), ping(3, 1, [upd(4, 'Dead', 3)]), ctx);
    expect(step.state.members.n4).toEqual(member('Dead', 3));
    expect(step.state.order).toEqual([]);
  });

  it('forget-tombstones: the Dead member is deleted, and a stale Alive at the same incarnation brings it back', () => {
    const forgetful = buggy('forget-tombstones');
    const [death, stale] = drive(suspected, [timer('suspect:2'), ping(3, 1, [upd(2, 'Alive', 1)])], ctx, forgetful);
    expect(death!.state.members.n2).toBeUndefined();
    expect(noteData(death!, 'status')).toEqual([
      { peer: 2, from: 'Suspect', to: 'Dead', inc: 1 },
      { peer: 2, from: 'Dead', to: null, inc: 1 },
    ]);
    expect(stale!.state.members.n2).toEqual(member('Alive', 1));
    expect(noteData(stale!, 'status')).toEqual([{ peer: 2, from: null, to: 'Alive', inc: 1 }]);
  });
});
