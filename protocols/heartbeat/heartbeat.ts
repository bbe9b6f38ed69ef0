// The all-to-all heartbeat failure detector (design notes 001 and 003, done right). Every node
// sends a Heartbeat to every peer each interval; a peer silent for timeout/2 becomes Suspect, for
// the whole timeout Failed, and Healthy again as soon as it is heard from. Each peer has its own
// silence timers, armed at boot, so a peer never heard from is still declared Failed (the notes'
// detector could not). A note marks every status change. Volatile only: nothing is persisted.
// Faults tolerated: loss, delay, duplication, reordering, partitions, crashes, pauses, clock
// faults (all timers are local). Leaves out: adaptive (phi-accrual) timeouts.
import { freeze, produce } from 'immer';
import type { Input, NodeContext, NodeId, Protocol, Step } from '../../sim/types.ts';
import type { HeartbeatConfig } from './config.ts';

export type PeerStatus = 'Healthy' | 'Suspect' | 'Failed';

export interface HeartbeatState {
  /** This node's view of each peer, keyed "n<id>". */
  readonly peers: Readonly<Record<string, PeerStatus>>;
}

export interface Heartbeat {
  readonly type: 'Heartbeat';
  /** The sender's local clock when sent (informational; receivers do not trust it). */
  readonly sentAtUs: number;
}

export type HeartbeatTimer = string; // 'beat' | 'suspect:<id>' | 'fail:<id>'

/** Deliberately broken variants, for showing that the checkers catch them. */
export type HeartbeatBug = 'never-fail' | 'early-fail' | null;

type HbStep = Step<HeartbeatState, Heartbeat, HeartbeatTimer>;

// Names made once per peer id: a delivery (the hot path) then builds no strings, and the strings'
// hashes are cached for the Map and object lookups they key.
const names = { peer: [] as string[], suspect: [] as string[], fail: [] as string[] };
const peerKey = (id: NodeId): string => (names.peer[id] ??= `n${id}`);
const suspectTimer = (id: NodeId): string => (names.suspect[id] ??= `suspect:${id}`);
const failTimer = (id: NodeId): string => (names.fail[id] ??= `fail:${id}`);
type HbEffect = HbStep['effects'][number];

export function createHeartbeat(config: HeartbeatConfig, bug: HeartbeatBug): Protocol<HeartbeatState, Heartbeat, HeartbeatTimer, undefined> {
  const suspectAfter = bug === 'early-fail' ? Math.floor(config.timeout / 4) : Math.floor(config.timeout / 2);
  const failAfter = config.timeout - suspectAfter;

  function init(ctx: NodeContext): HbStep {
    const peers: Record<string, PeerStatus> = {};
    const effects: HbEffect[] = [{ kind: 'setTimer', timer: 'beat', afterUs: Math.floor(ctx.rng.next() * config.interval) }];
    for (const p of ctx.peers) {
      peers[peerKey(p)] = 'Healthy';
      effects.push({ kind: 'setTimer', timer: suspectTimer(p), afterUs: suspectAfter });
    }
    return { state: freeze({ peers }, true), effects };
  }

  function beat(state: HeartbeatState, ctx: NodeContext): HbStep {
    const effects: HbEffect[] = [{ kind: 'setTimer', timer: 'beat', afterUs: config.interval }];
    const msg: Heartbeat = freeze({ type: 'Heartbeat', sentAtUs: ctx.nowUs });
    for (const to of ctx.peers) effects.push({ kind: 'send', to, msg });
    return { state, effects };
  }

  function heard(state: HeartbeatState, from: NodeId): HbStep {
    const rearm: HbEffect = { kind: 'setTimer', timer: suspectTimer(from), afterUs: suspectAfter };
    const before = state.peers[peerKey(from)];
    if (before === 'Healthy') return { state, effects: [rearm] };
    return change(state, from, 'Healthy', [rearm, { kind: 'cancelTimer', timer: failTimer(from) }]);
  }

  function silent(state: HeartbeatState, timer: string): HbStep {
    const [stage, id] = timer.split(':');
    const peer = Number(id);
    if (stage === 'suspect' && bug === 'early-fail') return change(state, peer, 'Failed', []);
    if (stage === 'suspect') {
      const arm: HbEffect[] = bug === 'never-fail' ? [] : [{ kind: 'setTimer', timer: failTimer(peer), afterUs: failAfter }];
      return change(state, peer, 'Suspect', arm);
    }
    return change(state, peer, 'Failed', []);
  }

  function change(state: HeartbeatState, peer: NodeId, to: PeerStatus, effects: HbEffect[]): HbStep {
    const from = state.peers[peerKey(peer)];
    const next = produce(state, (draft) => {
      draft.peers[peerKey(peer)] = to;
    });
    return { state: next, effects: [...effects, { kind: 'note', name: 'status', data: { peer, from, to } }] };
  }

  return {
    name: 'heartbeat',
    init: (ctx) => init(ctx),
    step(state: HeartbeatState, input: Input<Heartbeat, HeartbeatTimer>, ctx: NodeContext): HbStep {
      switch (input.kind) {
        case 'message':
          return heard(state, input.from);
        case 'timer':
          return input.timer === 'beat' ? beat(state, ctx) : silent(state, input.timer);
        default:
          return { state, effects: [] };
      }
    },
  };
}
