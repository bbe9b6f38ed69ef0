// SWIM membership and failure detection (Das, Gupta and Motivala, 2002) as a pure state machine,
// with the refinements its users expect from memberlist and Serf: piggybacked dissemination with a
// bounded retransmit count, suspicion with incarnation-based refutation, the buddy rule, joining
// through seed members, tombstones, push-pull anti-entropy and reconnects to Dead members (so a
// healed partition or a falsely confirmed member finds its way back), and a restarted member that
// rejoins through the members it knew, with a higher incarnation.
// Detection is in probe.ts, precedence and refutation in membership.ts, the queue in gossip.ts.
// Durable state: the incarnation and the known member ids, written at most once per period from a
// timer of its own (so a slow or full disk never holds back a probe or an Ack).
// Leaves out: Lifeguard's local health and dynamic suspicion; user events and metadata.
import { pick, randInt, shuffled } from '../../sim/rng.ts';
import type { Input, NodeContext, NodeId, Protocol, Step } from '../../sim/types.ts';
import { retransmitLimit, seedsOf, suspicionTimeoutUs, syncIntervalUs, type SwimConfig } from './config.ts';
import { confirmDead, learn, memberIds, validUpdate, viewOf, type SwimEffect, type SwimParams, type Turn, type WorkingState } from './membership.ts';
import { onAck, onPeriod, onPing, onPingReq, onPingTimeout, send } from './probe.ts';
import { finish, freezeNew } from '../shared/copyOnWrite.ts';
import { memberKey, type SwimBug, type SwimDurable, type SwimMessage, type SwimState, type SwimTimer, type Update } from './types.ts';

type SwimStep = Step<SwimState, SwimMessage, SwimTimer>;

export function createSwim(config: SwimConfig, bug: SwimBug): Protocol<SwimState, SwimMessage, SwimTimer, SwimDurable> {
  const paramsBySize = new Map<number, SwimParams>();
  const paramsFor = (ctx: NodeContext): SwimParams => {
    const n = ctx.peers.length + 1;
    let p = paramsBySize.get(n);
    if (!p) {
      p = { config, bug, suspicionUs: suspicionTimeoutUs(config, n), retransmits: retransmitLimit(config, n), syncUs: syncIntervalUs(config, n), seeds: seedsOf(config, n) };
      paramsBySize.set(n, p);
    }
    return p;
  };

  // Copy on write (protocols/shared/copyOnWrite.ts), not Immer's produce, which made 128-member
  // runs 30us a step: an unchanged step returns the same object; every state is deep-frozen.
  function turn(state: SwimState, ctx: NodeContext, body: (t: Turn) => void): SwimStep {
    const effects: SwimEffect[] = [];
    const s: WorkingState = { ...state };
    const t: Turn = { s, ctx, p: paramsFor(ctx), effects, own: {} };
    body(t);
    if (s.inc !== state.inc || t.own.members) armSnapshot(t);
    return { state: finish(state, s), effects };
  }

  return {
    name: 'swim',
    init: (ctx, durable) => boot(ctx, paramsFor(ctx), readDurable(durable)),
    step(state, input: Input<SwimMessage, SwimTimer>, ctx) {
      switch (input.kind) {
        case 'message': return turn(state, ctx, (t) => onMessage(t, input.from, input.msg));
        case 'timer': return turn(state, ctx, (t) => onTimer(t, input.timer));
        case 'persisted': return input.ok ? { state, effects: [] } : turn(state, ctx, (t) => { t.s.saved = ''; armSnapshot(t); });
        default: return { state, effects: [] };
      }
    },
  };
}

function boot(ctx: NodeContext, p: SwimParams, durable: SwimDurable | undefined): SwimStep {
  const state: SwimState = {
    inc: durable ? durable.inc + 1 : 0,
    joined: false,
    members: {},
    order: [],
    next: 0,
    probe: null,
    // Probe numbers start at a random point, so a late Ack to an earlier life's probe matches nothing.
    seq: randInt(ctx.rng, 0, 2 ** 30),
    relays: {},
    gossip: [],
    rejoin: durable ? durable.members.filter((id) => id !== ctx.id && ctx.peers.includes(id)) : [],
    saved: '',
    snapshotDue: true,
  };
  const effects: SwimEffect[] = [
    { kind: 'setTimer', timer: 'period', afterUs: Math.floor(ctx.rng.next() * p.config.period) },
    // A random phase, so that the members' push-pulls do not all fall at the same moment.
    { kind: 'setTimer', timer: 'sync', afterUs: p.syncUs + Math.floor(ctx.rng.next() * p.syncUs) },
    { kind: 'setTimer', timer: 'snapshot', afterUs: p.config.period },
  ];
  const targets = joinTargets(ctx, p, state);
  // A seed that has nobody to join bootstraps the cluster on its own.
  const next = targets.length === 0 ? { ...state, joined: true, rejoin: [] } : state;
  for (const to of targets) effects.push({ kind: 'send', to, msg: { type: 'Sync', members: viewOf(next, ctx.id) } });
  if (targets.length > 0) effects.push({ kind: 'setTimer', timer: 'join', afterUs: p.config.period });
  freezeNew(next);
  return { state: next, effects };
}

/** Seeds other than this node, and up to three members known before a crash. */
function joinTargets(ctx: NodeContext, p: SwimParams, s: SwimState): NodeId[] {
  const seeds = p.seeds.filter((id) => id !== ctx.id && ctx.peers.includes(id));
  const known = shuffled(ctx.rng, s.rejoin.filter((id) => !seeds.includes(id))).slice(0, 3);
  return [...seeds, ...known];
}

function readDurable(durable: unknown): SwimDurable | undefined {
  if (typeof durable !== 'object' || durable === null) return undefined;
  const { inc, members } = durable as Record<string, unknown>;
  if (!Number.isSafeInteger(inc) || (inc as number) < 0 || !Array.isArray(members) || !members.every((m) => Number.isSafeInteger(m))) return undefined;
  return { inc: inc as number, members: members as NodeId[] };
}

function onMessage(t: Turn, from: NodeId, msg: SwimMessage): void {
  switch (msg.type) {
    case 'Ping': merge(t, msg.updates); return onPing(t, from, msg.seq);
    case 'Ack': merge(t, msg.updates); return onAck(t, msg.seq);
    case 'PingReq': merge(t, msg.updates); return onPingReq(t, from, msg.seq, msg.target);
    case 'Sync':
      merge(t, msg.members, from);
      return send(t, from, { type: 'SyncAck', members: viewOf(t.s, t.ctx.id) });
    case 'SyncAck':
      merge(t, msg.members, from);
      return joined(t);
    default: return;
  }
}

/**
 * A member answered this node's Sync: stop retrying the join. Being contacted is not enough: a
 * seed that only hears from nodes on its side of a partition at boot must keep trying the others.
 */
function joined(t: Turn): void {
  if (t.s.joined) return;
  t.s.joined = true;
  t.s.rejoin = [];
  t.effects.push({ kind: 'cancelTimer', timer: 'join' });
}

function merge(t: Turn, updates: readonly Update[] | unknown, fromSyncOf?: NodeId): void {
  if (!Array.isArray(updates)) return;
  for (const u of updates) if (validUpdate(u, t.ctx)) learn(t, u, fromSyncOf);
}

function onTimer(t: Turn, timer: SwimTimer): void {
  if (timer === 'period') return onPeriod(t);
  if (timer === 'ping-timeout') return onPingTimeout(t);
  if (timer === 'sync') return onSync(t);
  if (timer === 'snapshot') return onSnapshot(t);
  if (timer === 'join') return onJoinRetry(t);
  if (timer.startsWith('suspect:')) return confirmDead(t, Number(timer.slice(8)));
}

function onJoinRetry(t: Turn): void {
  if (t.s.joined) return;
  const targets = joinTargets(t.ctx, t.p, t.s as SwimState);
  for (const to of targets) send(t, to, { type: 'Sync', members: viewOf(t.s, t.ctx.id) });
  t.effects.push({ kind: 'setTimer', timer: 'join', afterUs: t.p.config.period });
}

/**
 * Push-pull with one random live member, a reconnect attempt to one random Dead member, and a
 * Sync to every seed this node has never heard of (so a partition at boot that split the seeds,
 * each side answered by its own seeds, still merges when it heals).
 */
function onSync(t: Turn): void {
  t.effects.push({ kind: 'setTimer', timer: 'sync', afterUs: t.p.syncUs });
  const all = t.s.members;
  const ids = memberIds(all);
  const live = ids.filter((id) => all[memberKey(id)]?.status !== 'Dead');
  const dead = ids.filter((id) => all[memberKey(id)]?.status === 'Dead');
  const unknownSeeds = t.p.seeds.filter((id) => id !== t.ctx.id && id <= t.ctx.peers.length + 1 && all[memberKey(id)] === undefined);
  const view = viewOf(t.s, t.ctx.id);
  const targets = [...(live.length > 0 ? [pick(t.ctx.rng, live)] : []), ...(dead.length > 0 ? [pick(t.ctx.rng, dead)] : []), ...unknownSeeds];
  for (const to of new Set(targets)) send(t, to, { type: 'Sync', members: view });
}

/**
 * Writes the incarnation and the known members when either changed since the last write, at most
 * once per period: the timer is armed by the first change after a write. Members are never removed
 * (tombstones stay), so their count tells whether the set grew.
 */
function onSnapshot(t: Turn): void {
  t.s.snapshotDue = false;
  const saved = snapshotKey(t);
  if (saved === t.s.saved) return;
  t.s.saved = saved;
  t.effects.push({ kind: 'persist', token: t.s.inc, data: { inc: t.s.inc, members: memberIds(t.s.members) } satisfies SwimDurable });
}

const snapshotKey = (t: Turn): string => `${t.s.inc}:${Object.keys(t.s.members).length}`;

function armSnapshot(t: Turn): void {
  if (t.s.snapshotDue || snapshotKey(t) === t.s.saved) return;
  t.s.snapshotDue = true;
  t.effects.push({ kind: 'setTimer', timer: 'snapshot', afterUs: t.p.config.period });
}
