// The simulated network. A message's fate is decided at send time: dropped (partition, loss) or
// delivered at one or more times (latency draw, duplication, FIFO order, clogged links). Partitions
// are checked again at delivery by the engine. Per-link options override the defaults. Partitions
// are directed blocks counted per link, so overlapping and one-way partitions compose.
// An optional DeliveryPolicy (the explorer's PCT scheduler) may pick each message's latency inside
// the link's [minUs, maxUs] instead of the latency draw; without one, nothing changes.
// Leaves out: bandwidth limits and payload corruption (byzantine senders cover wrong payloads).
import { chance, type Rng } from './rng.ts';
import { sampleLatency, type LatencyDist } from './latency.ts';
import type { NodeId } from './types.ts';

export interface LinkOptions {
  latency: LatencyDist;
  /** Probability a message is lost. */
  loss: number;
  /** Probability a message is delivered twice (the copy gets its own latency). */
  duplicate: number;
  /** fifo: a link never reorders; unordered: independent latencies reorder messages. */
  ordering: 'fifo' | 'unordered';
}

export interface LinkOverride extends Partial<LinkOptions> {
  from: NodeId;
  to: NodeId;
}

export interface NetworkOptions extends LinkOptions {
  links: LinkOverride[];
}

export type DropReason = 'loss' | 'partition' | 'crashed' | 'byzantine-silent' | 'persist-failed' | 'crash-before-persist';

/**
 * Decides message latencies instead of the link's distribution (for priority scheduling). It must
 * return a whole number of microseconds within [latency.minUs, latency.maxUs], so every bound a
 * checker derives from the network options still holds. Loss and duplication are still drawn.
 * `ordering` is the link's: on an unordered link the policy may reorder the link's own messages.
 */
export interface DeliveryPolicy {
  /**
   * The latency of message `msgId` (a duplicate's copy asks again with the same id); `causeId` is
   * the message whose delivery the sending step handled (0: a timer, a client request or a boot);
   * messages with the same `batch` left together (one step's sends, or the sends a write held).
   */
  latencyUs(from: NodeId, to: NodeId, latency: LatencyDist, ordering: LinkOptions['ordering'], msgId: number, causeId: number, batch: number): number;
}

/** Either a drop reason, or the global times of each delivered copy. */
export type Fate = { drop: DropReason } | { at: number[] };

export class Network {
  private readonly links: LinkOptions[];
  private readonly blocked: Uint16Array;
  private readonly fifoLast: Float64Array;
  private readonly clogUntil: Float64Array;
  private readonly width: number;
  private readonly defaults: LinkOptions;

  constructor(
    nodeCount: number,
    options: NetworkOptions,
    private readonly rng: Rng,
    private readonly policy?: DeliveryPolicy,
  ) {
    this.width = nodeCount + 1;
    const cells = this.width * this.width;
    const { links: overrides, ...defaults } = options;
    this.defaults = defaults;
    this.links = new Array<LinkOptions>(cells).fill(defaults);
    for (const o of overrides) this.links[this.cell(o.from, o.to)] = { ...defaults, ...stripEnds(o) };
    this.blocked = new Uint16Array(cells);
    this.fifoLast = new Float64Array(cells);
    this.clogUntil = new Float64Array(cells);
  }

  /** Drop, or arrival times; `msgId`, `causeId` and `batch` are for the delivery policy only (see DeliveryPolicy). */
  fate(from: NodeId, to: NodeId, now: number, msgId = 0, causeId = 0, batch = 0): Fate {
    const cell = this.cell(from, to);
    if (this.blocked[cell] !== 0) return { drop: 'partition' };
    const link = this.links[cell] as LinkOptions;
    if (chance(this.rng, link.loss)) return { drop: 'loss' };
    const depart = Math.max(now, this.clogUntil[cell] as number);
    const first = this.arrival(cell, link, depart, from, to, msgId, causeId, batch);
    if (!chance(this.rng, link.duplicate)) return { at: [first] };
    return { at: [first, this.arrival(cell, link, depart, from, to, msgId, causeId, batch)] };
  }

  isBlocked(from: NodeId, to: NodeId): boolean {
    return this.blocked[this.cell(from, to)] !== 0;
  }

  /** Block (delta 1) or unblock (delta -1) every directed link from `froms` to `tos`. */
  block(froms: readonly NodeId[], tos: readonly NodeId[], delta: 1 | -1): void {
    for (const f of froms) {
      for (const t of tos) {
        if (f === t) continue;
        const cell = this.cell(f, t);
        const next = (this.blocked[cell] as number) + delta;
        if (next < 0) throw new Error(`network: unblocking n${f}->n${t}, which is not blocked`);
        this.blocked[cell] = next;
      }
    }
  }

  /** Messages on from->to leave no earlier than `untilUs` (FoundationDB-style clogging). */
  clog(from: NodeId, to: NodeId, untilUs: number): void {
    const cell = this.cell(from, to);
    this.clogUntil[cell] = Math.max(this.clogUntil[cell] as number, untilUs);
  }

  unclog(from: NodeId, to: NodeId): void {
    this.clogUntil[this.cell(from, to)] = 0;
  }

  /** Latency draw for traffic from outside the cluster (simulated clients): default link, no loss. */
  clientLatency(): number {
    return sampleLatency(this.defaults.latency, this.rng);
  }

  private arrival(cell: number, link: LinkOptions, depart: number, from: NodeId, to: NodeId, msgId: number, causeId: number, batch: number): number {
    const policy = this.policy;
    let at = depart + (policy ? policy.latencyUs(from, to, link.latency, link.ordering, msgId, causeId, batch) : sampleLatency(link.latency, this.rng));
    if (link.ordering === 'fifo') {
      at = Math.max(at, this.fifoLast[cell] as number);
      this.fifoLast[cell] = at;
    }
    return at;
  }

  private cell(from: NodeId, to: NodeId): number {
    return from * this.width + to;
  }
}

function stripEnds(o: LinkOverride): Partial<LinkOptions> {
  const { from: _from, to: _to, ...rest } = o;
  return rest;
}
