// What the engine keeps per simulated node: liveness (up, paused, epoch), the protocol state, the
// pending timers keyed by timer identity, the local clock, the disk, the writes in flight and the
// node-level faults currently applied (slow, byzantine). Protocol code never sees this object.
import { NodeClock } from './clock.ts';
import type { ByzantineMode } from './byzantine.ts';
import { Disk } from './disk.ts';
import type { Rng } from './rng.ts';
import type { Effect, NodeContext, NodeId } from './types.ts';

export interface TimerEntry {
  timer: unknown;
  /** Deadline on the node's local clock. */
  localDeadline: number;
  /** Token of the queue item that will fire it; a re-armed or cancelled timer leaves stale items. */
  token: number;
  /** Global time of that queue item (Infinity while the clock is stopped). */
  scheduledAt: number;
}

export interface PendingWrite {
  token: number;
  data: unknown;
  epoch: number;
  /** Sends and replies of the same step: they leave only once this write is durable. */
  held: Effect<unknown, unknown>[];
  /** The message whose delivery that step handled (0 if none): the held sends' cause. */
  cause: number;
}

/** A queue item: one flat shape for every kind keeps the hot loop monomorphic. */
export interface QueueItem {
  k: number;
  node: NodeId;
  from: number;
  id: number;
  token: number;
  data: unknown;
}

export class NodeRuntime {
  up = false;
  paused = false;
  /** Incremented on every crash: completions from an earlier life are ignored. */
  epoch = 0;
  state: unknown = undefined;
  readonly timers = new Map<string, TimerEntry>();
  readonly clock = new NodeClock();
  readonly disk: Disk;
  readonly pendingWrites: PendingWrite[] = [];
  /** Items that arrived while paused, replayed in order on resume. */
  held: QueueItem[] = [];
  stepCostUs = 0;
  busyUntil = 0;
  byzantine: ByzantineMode | undefined = undefined;
  /** Draws for byzantine sends: a stream of its own, so a byzantine fault never shifts the protocol's draws. */
  readonly byzantineRng: Rng;
  readonly ctx: { id: NodeId; peers: readonly NodeId[]; nowUs: number; rng: Rng; config: Readonly<Record<string, unknown>> };

  constructor(
    readonly id: NodeId,
    peers: readonly NodeId[],
    rng: Rng,
    config: Readonly<Record<string, unknown>>,
    diskLatencyUs: number,
  ) {
    this.disk = new Disk(diskLatencyUs);
    this.byzantineRng = rng.fork('byzantine');
    this.ctx = { id, peers, nowUs: 0, rng, config };
  }

  context(globalNow: number): NodeContext {
    this.ctx.nowUs = this.clock.local(globalNow);
    return this.ctx;
  }
}
