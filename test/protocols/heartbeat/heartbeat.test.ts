// Unit tests of the heartbeat protocol: hand-made inputs into init() and step(), assertions on the
// returned state and effects. No scheduler, no network.
import { freeze } from 'immer';
import { describe, expect, it } from 'vitest';
import { createHeartbeat, type Heartbeat, type HeartbeatState, type PeerStatus } from '../../../protocols/heartbeat/heartbeat.ts';
import type { Effect, Input, Step } from '../../../sim/types.ts';
import { constRng, makeContext } from '../../helpers.ts';

const config = { interval: 100_000, timeout: 300_000 };
const hb = createHeartbeat(config, null);
const ctx = makeContext(1, [2, 3, 4], 5_000, config, constRng(0.5));

type HbStep = Step<HeartbeatState, Heartbeat, string>;
type HbInput = Input<Heartbeat, string>;

/** A hand-made state, frozen like the ones the protocol returns. */
const stateWith = (peers: Record<string, PeerStatus>): HeartbeatState => freeze({ peers }, true);

const fromPeer = (from: number): HbInput => ({ kind: 'message', from, msg: { type: 'Heartbeat', sentAtUs: 1 } });
const timer = (name: string): HbInput => ({ kind: 'timer', timer: name });
const ofKinds = (step: HbStep, kind: Effect<Heartbeat, string>['kind']) => step.effects.filter((e) => e.kind === kind);

describe('heartbeat init', () => {
  it('starts with every peer Healthy', () => {
    expect(hb.init(ctx, undefined).state).toEqual({ peers: { n2: 'Healthy', n3: 'Healthy', n4: 'Healthy' } });
  });

  it('arms the beat timer within one interval and a suspect timer per peer at timeout/2', () => {
    const { effects } = hb.init(ctx, undefined);
    expect(effects).toEqual([
      { kind: 'setTimer', timer: 'beat', afterUs: 50_000 }, // rng draws 0.5 of the interval
      { kind: 'setTimer', timer: 'suspect:2', afterUs: 150_000 },
      { kind: 'setTimer', timer: 'suspect:3', afterUs: 150_000 },
      { kind: 'setTimer', timer: 'suspect:4', afterUs: 150_000 },
    ]);
    const first = hb.init(makeContext(1, [2], 0, config, constRng(0)), undefined).effects[0];
    expect(first).toEqual({ kind: 'setTimer', timer: 'beat', afterUs: 0 });
  });

  it('returns a frozen state: accidental mutation throws', () => {
    const { state } = hb.init(ctx, undefined);
    expect(Object.isFrozen(state)).toBe(true);
    expect(() => {
      (state.peers as Record<string, PeerStatus>).n2 = 'Failed';
    }).toThrow(TypeError);
    expect(state.peers.n2).toBe('Healthy');
  });
});

describe('heartbeat step', () => {
  it('beat sends a Heartbeat stamped with the local clock to every peer and re-arms itself', () => {
    const state = hb.init(ctx, undefined).state;
    const step = hb.step(state, timer('beat'), ctx);
    expect(step.state).toBe(state);
    expect(ofKinds(step, 'send')).toEqual([2, 3, 4].map((to) => ({ kind: 'send', to, msg: { type: 'Heartbeat', sentAtUs: 5_000 } })));
    expect(ofKinds(step, 'setTimer')).toEqual([{ kind: 'setTimer', timer: 'beat', afterUs: 100_000 }]);
  });

  it('a message from a Healthy peer returns the same state object and only re-arms its suspect timer', () => {
    const state = hb.init(ctx, undefined).state;
    const step = hb.step(state, fromPeer(3), ctx);
    expect(step.state).toBe(state);
    expect(step.effects).toEqual([{ kind: 'setTimer', timer: 'suspect:3', afterUs: 150_000 }]);
  });

  it.each(['Suspect', 'Failed'] as const)('a message from a %s peer makes it Healthy, notes it and cancels its fail timer', (status) => {
    const state = stateWith({ n2: 'Healthy', n3: status, n4: 'Healthy' });
    const step = hb.step(state, fromPeer(3), ctx);
    expect(step.state).toEqual({ peers: { n2: 'Healthy', n3: 'Healthy', n4: 'Healthy' } });
    expect(state.peers.n3).toBe(status); // the input state is untouched
    expect(step.effects).toEqual([
      { kind: 'setTimer', timer: 'suspect:3', afterUs: 150_000 },
      { kind: 'cancelTimer', timer: 'fail:3' },
      { kind: 'note', name: 'status', data: { peer: 3, from: status, to: 'Healthy' } },
    ]);
  });

  it('the suspect timer makes the peer Suspect and arms its fail timer for the rest of the timeout', () => {
    const state = hb.init(ctx, undefined).state;
    const step = hb.step(state, timer('suspect:4'), ctx);
    expect(step.state.peers).toEqual({ n2: 'Healthy', n3: 'Healthy', n4: 'Suspect' });
    expect(step.effects).toEqual([
      { kind: 'setTimer', timer: 'fail:4', afterUs: 150_000 },
      { kind: 'note', name: 'status', data: { peer: 4, from: 'Healthy', to: 'Suspect' } },
    ]);
  });

  it('the fail timer makes the peer Failed', () => {
    const state = stateWith({ n2: 'Suspect', n3: 'Healthy', n4: 'Healthy' });
    const step = hb.step(state, timer('fail:2'), ctx);
    expect(step.state.peers.n2).toBe('Failed');
    expect(step.effects).toEqual([{ kind: 'note', name: 'status', data: { peer: 2, from: 'Suspect', to: 'Failed' } }]);
  });

  it('states returned by step are frozen too', () => {
    const step = hb.step(hb.init(ctx, undefined).state, timer('suspect:2'), ctx);
    expect(() => {
      (step.state.peers as Record<string, PeerStatus>).n2 = 'Healthy';
    }).toThrow(TypeError);
  });

  it('ignores inputs it has no use for', () => {
    const state = hb.init(ctx, undefined).state;
    const step = hb.step(state, { kind: 'persisted', token: 1, ok: true }, ctx);
    expect(step).toEqual({ state, effects: [] });
    expect(step.state).toBe(state);
  });
});

describe('heartbeat bugs', () => {
  it('never-fail: the suspect timer arms no fail timer', () => {
    const buggy = createHeartbeat(config, 'never-fail');
    const step = buggy.step(buggy.init(ctx, undefined).state, timer('suspect:2'), ctx);
    expect(step.state.peers.n2).toBe('Suspect');
    expect(ofKinds(step, 'setTimer')).toEqual([]);
  });

  it('early-fail: silence of timeout/4 declares the peer Failed at once', () => {
    const buggy = createHeartbeat(config, 'early-fail');
    const init = buggy.init(ctx, undefined);
    expect(ofKinds(init, 'setTimer')).toContainEqual({ kind: 'setTimer', timer: 'suspect:2', afterUs: 75_000 });
    const step = buggy.step(init.state, timer('suspect:2'), ctx);
    expect(step.state.peers.n2).toBe('Failed');
  });
});
