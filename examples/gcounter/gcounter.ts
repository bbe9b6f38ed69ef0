// An example of your own protocol, explored with faultlab: a grow-only counter (G-Counter CRDT).
// Every node counts its own increments (one per `tick`, up to `limit`, each persisted before it
// is gossiped) and every `gossip` interval sends its whole vector of per-node counts to every
// peer; a receiver merges by taking the element-wise maximum, so every node's total only grows
// and all nodes converge once messages flow again. A note 'total' marks every change of a node's
// total ('via': boot, tick or merge) and 'inc' every increment, for the checkers (checkers.ts).
// Deliberately broken variants: 'sum-merge' adds the vectors instead (counts twice), and
// 'overwrite-merge' lets the last message received win for other nodes' counts (a message that
// knows less than an earlier one makes the total go down: an ordering bug).
// Faults tolerated: loss, delay, duplication, reordering, partitions, crashes (the own count is
// durable), pauses, clock faults. Leaves out: decrements (a PN-Counter) and client requests.
import { produce } from 'immer';
import type { Effect, Input, NodeContext, Protocol, Step } from '../../sim/types.ts';

export type GCounterConfig = {
  tick: number;
  gossip: number;
  limit: number;
};

export type GCounterBug = 'sum-merge' | 'overwrite-merge' | null;

export interface GCounterState {
  /** Node id ("n3") -> how many increments of that node this node knows of. */
  counts: Record<string, number>;
}

export interface Counts {
  type: 'Counts';
  counts: Record<string, number>;
}

type Timer = 'tick' | 'gossip';
type GStep = Step<GCounterState, Counts, Timer>;
type GEffect = Effect<Counts, Timer>;

export const totalOf = (counts: Readonly<Record<string, number>>): number => Object.values(counts).reduce((a, b) => a + b, 0);

function merge(me: string, mine: Readonly<Record<string, number>>, theirs: Readonly<Record<string, number>>, bug: GCounterBug): Record<string, number> {
  const out: Record<string, number> = { ...mine };
  for (const [node, n] of Object.entries(theirs)) {
    if (bug === 'sum-merge') out[node] = (out[node] ?? 0) + n;
    else if (bug === 'overwrite-merge') out[node] = node === me ? (out[node] ?? 0) : n; // last message wins
    else out[node] = Math.max(out[node] ?? 0, n);
  }
  return out;
}

export function createGCounter(config: GCounterConfig, bug: GCounterBug): Protocol<GCounterState, Counts, Timer, { own: number }> {
  const start = (ctx: NodeContext, durable: { own: number } | undefined): GStep => ({
    state: { counts: { [`n${ctx.id}`]: durable?.own ?? 0 } },
    effects: [
      { kind: 'setTimer', timer: 'tick', afterUs: Math.floor(ctx.rng.next() * config.tick) + 1 },
      { kind: 'setTimer', timer: 'gossip', afterUs: Math.floor(ctx.rng.next() * config.gossip) + 1 },
      { kind: 'note', name: 'total', data: { total: durable?.own ?? 0, via: 'boot' } },
    ],
  });

  function tick(state: GCounterState, ctx: NodeContext): GStep {
    const me = `n${ctx.id}`;
    const own = state.counts[me] ?? 0;
    if (own >= config.limit) return { state, effects: [] };
    const next = produce(state, (d) => void (d.counts[me] = own + 1));
    return {
      state: next,
      effects: [
        { kind: 'persist', token: own + 1, data: { own: own + 1 } },
        { kind: 'setTimer', timer: 'tick', afterUs: config.tick },
        { kind: 'note', name: 'inc', data: { value: own + 1 } },
        { kind: 'note', name: 'total', data: { total: totalOf(next.counts), via: 'tick' } },
      ],
    };
  }

  function gossip(state: GCounterState, ctx: NodeContext): GStep {
    const effects: GEffect[] = [{ kind: 'setTimer', timer: 'gossip', afterUs: config.gossip }];
    for (const to of ctx.peers) effects.push({ kind: 'send', to, msg: { type: 'Counts', counts: state.counts } });
    return { state, effects };
  }

  function receive(state: GCounterState, msg: Counts, ctx: NodeContext): GStep {
    const counts = merge(`n${ctx.id}`, state.counts, msg.counts, bug);
    const before = totalOf(state.counts);
    const after = totalOf(counts);
    if (after === before && bug === null) return { state, effects: [] };
    return { state: { counts }, effects: after === before ? [] : [{ kind: 'note', name: 'total', data: { total: after, via: 'merge' } }] };
  }

  return {
    name: 'gcounter',
    init: start,
    step(state: GCounterState, input: Input<Counts, Timer>, ctx: NodeContext): GStep {
      if (input.kind === 'timer') return input.timer === 'tick' ? tick(state, ctx) : gossip(state, ctx);
      if (input.kind === 'message' && input.msg.type === 'Counts') return receive(state, input.msg, ctx);
      return { state, effects: [] };
    },
  };
}
