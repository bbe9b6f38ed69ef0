// PCT-style priority scheduling of message deliveries (Burckhardt et al., "A randomized scheduler
// with probabilistic guarantees of finding bugs", ASPLOS 2010), adapted to a timed message-passing
// simulation, with PCTCP's causal chains (Ozkan et al., "Randomized testing of distributed systems
// with probabilistic guarantees", OOPSLA 2018). PCT's threads are sequences of steps whose own order
// the scheduler cannot change:
//  - A FIFO link is one thread (its messages arrive in the order sent whatever the scheduler does).
//    At the start of a run every FIFO link gets a distinct random priority, and its messages'
//    latency is placed inside [minUs, maxUs] by that priority (the highest gets minUs, the lowest
//    maxUs): one consistent order among concurrently deliverable messages for the whole run.
//  - On unordered links the threads are causal chains, as in PCTCP: the first message a step sends
//    continues the chain of the message that step handled (a reply, a vote, a forwarded abort
//    continues its request's chain); any other send, and a send from a timer or a client request,
//    starts a new chain with a random priority p in [0, 1). A chain's messages take latency
//    minUs + span * p^CHAIN_SKEW: most chains run near the fastest, as PCT runs its highest-priority
//    thread as far as it can, and a few are held back toward maxUs. So a chain of hops can beat a
//    single slow message, which independent random latencies rarely allow.
// Then d - 1 priority change points are drawn uniformly among the first n sends (n: the number of
// messages a calibration run of the protocol sends); the message sent at a change point is demoted
// below every thread (latency maxUs, the change points ordered among themselves like PCT's d - i),
// so everything sent within the window after it overtakes it.
// Every draw (priorities, change points) comes from the run's "pct" stream, so a seed or a choice
// tape decides it and replays it. Latencies stay inside the link's bounds, so every checker bound
// computed from the network options still holds. Loss and duplication are unchanged.
// Leaves out: chains across FIFO links (a FIFO link stays one thread), and PCTCP's bound on the
// number of chains (a chain here is any run of causally linked messages, however many there are).
import type { LatencyDist } from '../latency.ts';
import type { DeliveryPolicy } from '../network.ts';
import { randInt, shuffled, type Rng } from '../rng.ts';
import type { NodeId } from '../types.ts';

export interface PctSettings {
  /** Bug depth d: d - 1 priority change points. */
  depth: number;
  /** n: the change points fall among the first n messages sent. */
  steps: number;
}

/**
 * A chain's latency is minUs + span * p^CHAIN_SKEW. Measured on 2pc's ignore-early-abort (3
 * clients, one transaction each, refuse=0.5, no faults, 2,000 runs per value): the share of
 * failing runs was 1.05% with 1 (a uniform spread), 3.95% with 3, 4.85% with 6, 4.4% with 12
 * and 3.65% with 30; random latencies gave 1.2%.
 */
export const CHAIN_SKEW = 6;

export class PctScheduler implements DeliveryPolicy {
  /** Link (from * width + to) -> rank, 0 the highest priority. */
  private readonly rank: Int32Array;
  private readonly width: number;
  private readonly links: number;
  /** Send index -> how deep it is demoted (1 = the first change point). */
  private readonly changeAt = new Map<number, number>();
  private sent = 0;
  /** Message id -> its chain's priority, kept until a send continues the chain or the run ends. */
  private readonly chainOf = new Map<number, number>();

  constructor(nodes: number, private readonly settings: PctSettings, private readonly rng: Rng) {
    this.width = nodes + 1;
    this.rank = new Int32Array(this.width * this.width);
    const cells: number[] = [];
    for (let from = 1; from <= nodes; from++) for (let to = 1; to <= nodes; to++) if (from !== to) cells.push(from * this.width + to);
    this.links = Math.max(1, cells.length);
    shuffled(rng, cells).forEach((cell, r) => (this.rank[cell] = r));
    for (let i = 1; i < settings.depth; i++) {
      const at = randInt(rng, 1, Math.max(1, settings.steps));
      if (!this.changeAt.has(at)) this.changeAt.set(at, i);
    }
  }

  latencyUs(from: NodeId, to: NodeId, latency: LatencyDist, ordering: 'fifo' | 'unordered' = 'fifo', msgId = 0, causeId = 0): number {
    const index = ++this.sent;
    const span = latency.maxUs - latency.minUs;
    const demoted = this.changeAt.get(index);
    if (demoted !== undefined) {
      // Change point i of d - 1: below every thread; a later change point lands a little earlier (PCT's priority d - i).
      const slots = this.settings.depth;
      return latency.maxUs - Math.floor((span * (demoted - 1)) / (slots * (this.links + 1)));
    }
    if (ordering === 'unordered') return latency.minUs + Math.floor(span * Math.pow(this.chainPriority(msgId, causeId), CHAIN_SKEW));
    return latency.minUs + Math.floor((span * (this.rank[from * this.width + to] as number)) / this.links);
  }

  /**
   * The priority of message `msgId`'s chain: its cause's, if no other send continued that chain yet
   * (the first send of a step), else a new chain's. A duplicate's copy (same id) keeps its chain.
   */
  private chainPriority(msgId: number, causeId: number): number {
    const own = this.chainOf.get(msgId);
    if (own !== undefined) return own;
    const inherited = causeId > 0 ? this.chainOf.get(causeId) : undefined;
    if (inherited !== undefined) this.chainOf.delete(causeId);
    const p = inherited ?? this.rng.next();
    if (msgId > 0) this.chainOf.set(msgId, p);
    return p;
  }

  /** Send indices of the change points, in order (for tests and reports). */
  changePoints(): number[] {
    return [...this.changeAt.keys()].sort((a, b) => a - b);
  }
}
