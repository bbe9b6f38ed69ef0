// SWIM joining and restarting (swim.ts): a new node sends Sync to the seed members and retries on
// the join timer until a SyncAck (or any Sync) arrives; a sole seed is joined at once; a Sync is
// answered with the whole view; a restart boots at the stored incarnation + 1 and also tries the
// members it knew; odd durable data is ignored; snapshots persist only what changed.
import { describe, expect, it } from 'vitest';
import { swimConfigSchema } from '../../../protocols/swim/config.ts';
import { createSwim } from '../../../protocols/swim/swim.ts';
import type { SwimMessage } from '../../../protocols/swim/types.ts';
import { allAlive, ctxOf, effectsOf, member, msgFrom, seeded, sends, stateWith, swim, timer, upd } from './swimFixtures.ts';

const syncTargets = (step: { effects: readonly unknown[] }) => sends(step as never).filter((s) => s.msg.type === 'Sync').map((s) => s.to);

describe('SWIM boot and join', () => {
  it('a fresh non-seed node syncs with the seeds n1..n3 and arms join, period (random phase), sync and snapshot timers', () => {
    const boot = swim.init(ctxOf(5, 5), undefined);
    expect(boot.state).toMatchObject({ inc: 0, joined: false, members: {}, rejoin: [] });
    expect(boot.effects).toEqual([
      { kind: 'setTimer', timer: 'period', afterUs: 0 }, // constRng(0): the first phase of the period
      { kind: 'setTimer', timer: 'sync', afterUs: 5_000_000 },
      { kind: 'setTimer', timer: 'snapshot', afterUs: 500_000 },
      ...[1, 2, 3].map((to) => ({ kind: 'send', to, msg: { type: 'Sync', members: [upd(5, 'Alive', 0)] } })),
      { kind: 'setTimer', timer: 'join', afterUs: 500_000 },
    ]);
    expect(swim.init(ctxOf(5, 5, 0, { next: () => 0.5, fork: () => { throw new Error('unused'); } }), undefined).effects[0]).toEqual({ kind: 'setTimer', timer: 'period', afterUs: 250_000 });
  });

  it('a default seed syncs with the other seeds; a sole seed, or a one-node cluster, is joined at once', () => {
    const seed1 = swim.init(ctxOf(1, 5), undefined);
    expect(syncTargets(seed1)).toEqual([2, 3]);
    expect(seed1.state.joined).toBe(false);
    const sole = createSwim(swimConfigSchema.parse({ seeds: 'n1' }), null);
    const alone = sole.init(ctxOf(1, 5), undefined);
    expect(alone.state.joined).toBe(true);
    expect(sends(alone)).toEqual([]);
    expect(effectsOf(alone, 'setTimer').map((e) => e.timer)).toEqual(['period', 'sync', 'snapshot']);
    expect(syncTargets(sole.init(ctxOf(4, 5), undefined))).toEqual([1]);
    expect(swim.init(ctxOf(1, 1), undefined).state.joined).toBe(true);
  });

  it('the join timer resends Sync until a SyncAck, which joins, learns the view and cancels the timer', () => {
    const boot = swim.init(ctxOf(5, 5), undefined);
    const retry = swim.step(boot.state, timer('join'), ctxOf(5, 5));
    expect(syncTargets(retry)).toEqual([1, 2, 3]);
    expect(effectsOf(retry, 'setTimer')).toEqual([{ kind: 'setTimer', timer: 'join', afterUs: 500_000 }]);
    const view = [upd(2, 'Alive', 1), upd(1, 'Alive', 0), upd(3, 'Dead', 0), upd(5, 'Alive', 0)];
    const joined = swim.step(retry.state, msgFrom(2, { type: 'SyncAck', members: view }), ctxOf(5, 5));
    expect(joined.state.joined).toBe(true);
    expect(joined.state.members).toEqual({ n1: member('Alive', 0), n2: member('Alive', 1), n3: member('Dead', 0) });
    expect(effectsOf(joined, 'cancelTimer')).toEqual([{ kind: 'cancelTimer', timer: 'join' }]);
    const late = swim.step(joined.state, timer('join'), ctxOf(5, 5));
    expect(late).toEqual({ state: joined.state, effects: [] });
  });

  it('a Sync is answered with the whole view (self first, then members by id, tombstones included) but does not count as joined (only an answer to its own Sync does)', () => {
    const state = stateWith({ 3: member('Dead', 2), 2: member('Suspect', 1) }, { inc: 4, joined: false });
    const step = swim.step(state, msgFrom(4, { type: 'Sync', members: [upd(4, 'Alive', 0)] }), ctxOf(1, 5));
    const view = [upd(1, 'Alive', 4), upd(2, 'Suspect', 1), upd(3, 'Dead', 2), upd(4, 'Alive', 0)];
    expect(sends(step)).toEqual([{ kind: 'send', to: 4, msg: { type: 'SyncAck', members: view } satisfies SwimMessage }]);
    expect(step.state.joined).toBe(false);
  });
});

describe('SWIM restart', () => {
  it('boots at the stored incarnation + 1 and syncs with the seeds plus up to three members it knew', () => {
    const ctx = ctxOf(10, 10, 0, seeded(1));
    const boot = swim.init(ctx, { inc: 4, members: [1, 2, 3, 4, 5, 6, 7, 8, 9] });
    expect(boot.state.inc).toBe(5);
    expect(boot.state.rejoin).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const targets = syncTargets(boot);
    expect(targets.slice(0, 3)).toEqual([1, 2, 3]);
    expect(targets).toHaveLength(6);
    expect(new Set(targets).size).toBe(6);
    for (const s of sends(boot)) expect(s.msg).toEqual({ type: 'Sync', members: [upd(10, 'Alive', 5)] });
    const retry = swim.step(boot.state, timer('join'), ctx);
    expect(syncTargets(retry)).toHaveLength(6);
    const joined = swim.step(boot.state, msgFrom(7, { type: 'SyncAck', members: [upd(7, 'Alive', 0)] }), ctx);
    expect(joined.state.rejoin).toEqual([]);
  });

  it('keeps only known members that are cluster peers (not itself, not unknown ids)', () => {
    const boot = swim.init(ctxOf(5, 5), { inc: 0, members: [5, 99, 4, 0, 2] });
    expect(boot.state.inc).toBe(1);
    expect(boot.state.rejoin).toEqual([4, 2]);
    expect(syncTargets(boot)).toEqual([1, 2, 3, 4]);
  });

  it.each([
    ['null', null], ['a number', 42], ['a string', 'inc=3'], ['an array', [3, [1, 2]]],
    ['a negative incarnation', { inc: -1, members: [] }], ['a fractional incarnation', { inc: 1.5, members: [] }],
    ['a string incarnation', { inc: '3', members: [] }], ['no members', { inc: 3 }], ['members not an array', { inc: 3, members: 'n1,n2' }],
    ['a member that is not a number', { inc: 3, members: [1, 'n2'] }],
  ])('ignores durable data that is %s: boots fresh at incarnation 0', (_what, durable) => {
    const boot = swim.init(ctxOf(5, 5), durable as never);
    expect(boot.state.inc).toBe(0);
    expect(boot.state.rejoin).toEqual([]);
    expect(syncTargets(boot)).toEqual([1, 2, 3]);
  });
});

describe('SWIM snapshots', () => {
  it('persists the incarnation and member ids when the armed timer fires, then nothing until they change; a failed write is retried', () => {
    const ctx = ctxOf(1, 5);
    const state = stateWith({ 2: member('Alive'), 3: member('Dead', 1) }, { inc: 3 });
    const first = swim.step(state, timer('snapshot'), ctx);
    expect(effectsOf(first, 'persist')).toEqual([{ kind: 'persist', token: 3, data: { inc: 3, members: [2, 3] } }]);
    expect(effectsOf(first, 'setTimer')).toEqual([]);
    expect(first.state.snapshotDue).toBe(false);
    const again = swim.step(first.state, timer('snapshot'), ctx);
    expect(effectsOf(again, 'persist')).toEqual([]);
    const ok = swim.step(first.state, { kind: 'persisted', token: 3, ok: true }, ctx);
    expect(ok).toEqual({ state: first.state, effects: [] });
    expect(ok.state).toBe(first.state);
    const failed = swim.step(first.state, { kind: 'persisted', token: 3, ok: false }, ctx);
    expect(failed.effects).toEqual([{ kind: 'setTimer', timer: 'snapshot', afterUs: 500_000 }]);
    expect(effectsOf(swim.step(failed.state, timer('snapshot'), ctx), 'persist')).toHaveLength(1);
  });

  it('the first change after a write arms the timer once; the write then carries every change since', () => {
    const ctx = ctxOf(1, 5);
    const saved = swim.step(stateWith(allAlive(3)), timer('snapshot'), ctx).state;
    const grown = swim.step(saved, msgFrom(4, { type: 'Ack', seq: 0, updates: [upd(4, 'Alive', 0)] }), ctx);
    expect(effectsOf(grown, 'setTimer')).toEqual([{ kind: 'setTimer', timer: 'snapshot', afterUs: 500_000 }]);
    const refuted = swim.step(grown.state, msgFrom(4, { type: 'Ack', seq: 0, updates: [upd(1, 'Suspect', 0)] }), ctx);
    expect(effectsOf(refuted, 'setTimer')).toEqual([]);
    expect(effectsOf(swim.step(refuted.state, timer('snapshot'), ctx), 'persist')).toEqual([{ kind: 'persist', token: 1, data: { inc: 1, members: [2, 3, 4] } }]);
  });
});
