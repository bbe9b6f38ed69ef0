// SWIM failure detection in step() (probe.ts): the period tick concludes the last probe and pings
// the next member round-robin, the ping timeout asks k members for indirect probes, intermediaries
// relay the target's Ack, and the buddy rule tells a suspected member so on the Ping itself.
import { describe, expect, it } from 'vitest';
import { swimConfigSchema } from '../../../protocols/swim/config.ts';
import { createSwim } from '../../../protocols/swim/swim.ts';
import type { Probe } from '../../../protocols/swim/types.ts';
import { constRng } from '../../helpers.ts';
import { ack, allAlive, buggy, ctxOf, drive, member, noteData, ping, seeded, sends, stateWith, swim, timer, upd } from './swimFixtures.ts';

const ctx = ctxOf(1, 5);
const probing = (target: number, extra: Partial<Probe> = {}): Probe => ({ target, seq: 7, acked: false, indirect: true, ...extra });

describe('SWIM period tick', () => {
  it('concludes an unacked probe (target Suspect, suspicion timer) and pings the next member with a ping timeout', () => {
    const state = stateWith(allAlive(5), { probe: probing(3), order: [3, 4, 2, 5], next: 1, seq: 8 });
    const step = swim.step(state, timer('period'), ctx);
    expect(step.effects).toEqual([
      { kind: 'note', name: 'status', data: { peer: 3, from: 'Alive', to: 'Suspect', inc: 0 } },
      { kind: 'setTimer', timer: 'suspect:3', afterUs: 2_000_000 }, // suspicionMult 4 x max(1, log10 5) x 500ms
      { kind: 'setTimer', timer: 'period', afterUs: 500_000 },
      { kind: 'send', to: 4, msg: { type: 'Ping', seq: 8, updates: [upd(3, 'Suspect', 0)] } },
      { kind: 'setTimer', timer: 'ping-timeout', afterUs: 200_000 },
    ]);
    expect(step.state.members.n3).toEqual(member('Suspect', 0));
    expect(step.state.probe).toEqual({ target: 4, seq: 8, acked: false, indirect: false });
    expect(step.state).toMatchObject({ seq: 9, next: 2 });
  });

  it('an acked probe concludes without suspicion', () => {
    const step = swim.step(stateWith(allAlive(5), { probe: probing(3, { acked: true }), order: [3, 4], next: 1 }), timer('period'), ctx);
    expect(noteData(step, 'status')).toEqual([]);
    expect(step.state.members.n3).toEqual(member('Alive'));
  });

  it('a target that is already Suspect keeps its running suspicion timer (not re-armed, which would postpone Dead)', () => {
    const members = { ...allAlive(5), 3: member('Suspect', 1) };
    const step = swim.step(stateWith(members, { probe: probing(3), order: [3, 4], next: 1 }), timer('period'), ctx);
    expect(noteData(step, 'status')).toEqual([]);
    expect(step.effects.filter((e) => e.kind === 'setTimer' && e.timer === 'suspect:3')).toEqual([]);
  });

  it('with no live member there is nothing to probe: only the period timer', () => {
    const step = swim.step(stateWith({ 2: member('Dead', 0) }), timer('period'), ctx);
    expect(step.effects).toEqual([{ kind: 'setTimer', timer: 'period', afterUs: 500_000 }]);
    expect(step.state.probe).toBeNull();
  });

  it('round-robin: every round probes every live member exactly once, in an order reshuffled each round', () => {
    const rctx = ctxOf(1, 6, 0, seeded(3));
    let state = stateWith(allAlive(6));
    const targets: number[] = [];
    for (let i = 0; i < 60; i++) {
      const step = swim.step(state, timer('period'), rctx);
      const target = step.state.probe?.target as number;
      expect(sends(step).map((s) => s.to)).toEqual([target]);
      targets.push(target);
      state = swim.step(step.state, ack(target, step.state.probe?.seq as number), rctx).state; // so nobody is suspected
    }
    const rounds = Array.from({ length: 12 }, (_, r) => targets.slice(5 * r, 5 * r + 5));
    for (const round of rounds) expect([...round].sort()).toEqual([2, 3, 4, 5, 6]);
    expect(new Set(rounds.map((r) => r.join())).size).toBeGreaterThan(1);
  });

  it('a member learned mid-round is inserted at a random place in the rest of the round', () => {
    const state = stateWith(allAlive(4), { order: [2, 3, 4], next: 1 });
    const first = swim.step(state, ping(2, 1, [upd(5, 'Alive', 0)]), ctxOf(1, 5, 0, constRng(0)));
    expect(first.state.order).toEqual([2, 5, 3, 4]);
    const last = swim.step(state, ping(2, 1, [upd(5, 'Alive', 0)]), ctxOf(1, 5, 0, constRng(0.99)));
    expect(last.state.order).toEqual([2, 3, 4, 5]);
    // Already due later this round: not added twice.
    const again = swim.step(first.state, ping(2, 1, [upd(5, 'Alive', 1)]), ctx);
    expect(again.state.order).toEqual([2, 5, 3, 4]);
  });

  it('buddy rule: the Ping to a Suspect member carries the suspicion, even with an empty queue, and only once', () => {
    const state = stateWith({ 2: member('Suspect', 4), 3: member('Alive') }, { order: [2], next: 0 });
    expect(sends(swim.step(state, timer('period'), ctx))[0]?.msg).toEqual({ type: 'Ping', seq: 0, updates: [upd(2, 'Suspect', 4)] });
    const queued = stateWith({ 2: member('Suspect', 4) }, { order: [2], next: 0, gossip: [{ update: upd(2, 'Suspect', 4), sent: 1 }] });
    expect(sends(swim.step(queued, timer('period'), ctx))[0]?.msg).toEqual({ type: 'Ping', seq: 0, updates: [upd(2, 'Suspect', 4)] });
  });
});

const pingReqsOf = (step: ReturnType<typeof swim.step>) => sends(step).filter((s) => s.msg.type === 'PingReq');

describe('SWIM ping timeout and indirect probes', () => {
  const sevenNodes = ctxOf(1, 7, 0, seeded(1));
  const waiting = stateWith(allAlive(7), { probe: probing(2, { seq: 4, indirect: false }) });

  it('asks k = 3 distinct Alive members other than the target to probe it, each with the probe seq', () => {
    const step = swim.step(waiting, timer('ping-timeout'), sevenNodes);
    const reqs = pingReqsOf(step);
    expect(reqs).toHaveLength(3);
    expect(new Set(reqs.map((r) => r.to)).size).toBe(3);
    for (const r of reqs) {
      expect([3, 4, 5, 6, 7]).toContain(r.to);
      expect(r.msg).toEqual({ type: 'PingReq', seq: 4, target: 2, updates: [] });
    }
    expect(step.state.probe).toEqual({ target: 2, seq: 4, acked: false, indirect: true });
    expect(sends(swim.step(step.state, timer('ping-timeout'), sevenNodes))).toEqual([]); // only once per probe
  });

  it('asks min(k, Alive others) members: Suspect and Dead members are not asked', () => {
    const state = stateWith({ 2: member('Alive'), 3: member('Alive'), 4: member('Suspect'), 5: member('Dead') }, { probe: probing(2, { indirect: false }) });
    expect(pingReqsOf(swim.step(state, timer('ping-timeout'), ctx)).map((r) => r.to)).toEqual([3]);
    const k1 = createSwim(swimConfigSchema.parse({ k: 1 }), null);
    expect(pingReqsOf(k1.step(waiting, timer('ping-timeout'), sevenNodes))).toHaveLength(1);
  });

  it('an acked probe needs no indirect probe', () => {
    const step = swim.step(stateWith(allAlive(7), { probe: probing(2, { acked: true, indirect: false }) }), timer('ping-timeout'), sevenNodes);
    expect(step.effects).toEqual([]);
  });

  it('no-indirect-probe sends no PingReq', () => {
    const step = buggy('no-indirect-probe').step(waiting, timer('ping-timeout'), sevenNodes);
    expect(step.effects).toEqual([]);
    expect(step.state.probe?.indirect).toBe(false);
  });

  it('an intermediary pings the target with its own seq and relays the Ack with the requester seq', () => {
    const ctx3 = ctxOf(3, 5, 1_000);
    const state = stateWith({ 1: member('Alive'), 2: member('Alive'), 4: member('Alive'), 5: member('Alive') }, { seq: 10 });
    const [req, answer] = drive(state, [{ kind: 'message', from: 1, msg: { type: 'PingReq', seq: 4, target: 2, updates: [] } }, ack(2, 10)], ctx3);
    expect(sends(req!)).toEqual([{ kind: 'send', to: 2, msg: { type: 'Ping', seq: 10, updates: [] } }]);
    expect(req!.state.relays).toEqual({ 10: { requester: 1, seq: 4, atUs: 1_000 } });
    expect(sends(answer!)).toEqual([{ kind: 'send', to: 1, msg: { type: 'Ack', seq: 4, updates: [] } }]);
    expect(answer!.state.relays).toEqual({});
  });

  it('an intermediary asked to probe itself answers at once; relays older than a period are dropped', () => {
    const ctx3 = ctxOf(3, 5, 1_000);
    const self = swim.step(stateWith(allAlive(5)), { kind: 'message', from: 1, msg: { type: 'PingReq', seq: 4, target: 3, updates: [] } }, ctx3);
    expect(sends(self)).toEqual([{ kind: 'send', to: 1, msg: { type: 'Ack', seq: 4, updates: [] } }]);
    const relays = { 5: { requester: 1, seq: 2, atUs: 0 }, 6: { requester: 2, seq: 2, atUs: 100_000 } };
    const tick = swim.step(stateWith({}, { relays }), timer('period'), ctxOf(3, 5, 500_000));
    expect(tick.state.relays).toEqual({ 6: relays[6] });
  });

  it('a relayed Ack (from another member, with the probe seq) marks the probe acked, so the period tick does not suspect', () => {
    const state = stateWith(allAlive(5), { probe: probing(2, { seq: 4 }), order: [2, 3], next: 1, seq: 5 });
    const [relayed, tick] = drive(state, [ack(4, 4), timer('period')], ctx);
    expect(relayed!.state.probe).toEqual({ target: 2, seq: 4, acked: true, indirect: true });
    expect(noteData(tick!, 'status')).toEqual([]);
    expect(tick!.state.members.n2).toEqual(member('Alive'));
  });

  it('an Ack with another seq does not ack the probe', () => {
    const state = stateWith(allAlive(5), { probe: probing(2, { seq: 4 }) });
    expect(swim.step(state, ack(2, 3), ctx).state.probe?.acked).toBe(false);
  });
});
