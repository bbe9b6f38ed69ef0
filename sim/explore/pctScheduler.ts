// PCT-style priority scheduling of message deliveries (Burckhardt et al., "A randomized scheduler
// with probabilistic guarantees of finding bugs", ASPLOS 2010), adapted to a timed message-passing
// simulation, with PCTCP's causal chains (Ozkan et al., "Randomized testing of distributed systems
// with probabilistic guarantees", OOPSLA 2018). PCT's threads are sequences of steps whose own order
// the scheduler cannot change:
//  - A FIFO link is one thread (its messages arrive in the order sent whatever the scheduler does).
//    At the start of a run every FIFO link gets a distinct random priority, and its messages'
//    latency is placed inside [minUs, maxUs] by that priority (the highest gets minUs, the lowest
//    maxUs): one consistent order among concurrently deliverable messages for the whole run.
//  - On unordered links the threads follow causality, as PCTCP's chains do: every message a step
//    sends continues the chain of the message that step handled (a reply, a vote, every copy of a
//    broadcast abort inherits its request's priority), and so does every send of the step that
//    learns a disk write finished, which continues the step that asked for the write. A send from
//    a timer or a client request starts a new chain, each send its own. A chain is either run (every
//    message at minUs) or held back (every message at maxUs): a held-back message loses to any run
//    chain of up to maxUs / minUs hops, which is the overtaking that independent random latencies
//    rarely produce (a sum of hops under one draw). A new chain is held back with probability 1/2,
//    except that chains started by one step (siblings: a coordinator's Prepares, a leader's
//    heartbeats) are balanced, as PCT gives threads distinct priorities: while as many siblings run
//    as are held back the next one tosses a coin, else it joins the smaller side. So of two
//    siblings exactly one is held back (independent coins would tie half the time, and two chains
//    at one speed race in real time instead of being ordered).
// Then d - 1 priority change points are drawn uniformly among the first n sends (n: the number of
// messages a calibration run of the protocol sends); the message sent at a change point is demoted
// below every thread (latency maxUs, the change points ordered among themselves like PCT's d - i),
// so everything sent within the window after it overtakes it, and its chain is held back from then on.
// Every draw (priorities, change points) comes from the run's "pct" stream, so a seed or a choice
// tape decides it and replays it. Latencies stay inside the link's bounds, so every checker bound
// computed from the network options still holds. Loss and duplication are unchanged.
// Leaves out: chains across FIFO links (a FIFO link stays one thread), and PCTCP's bound on the
// number of chains. Unlike PCTCP, where only a step's first send extends the chain and the others
// start chains of their own, a step's sends all inherit: with two-level chains, a broadcast split
// into fresh chains loses each copy's priority half the time. On 2PC's ignore-early-abort (three
// clients, one transaction each, refuse=0.5, no faults, 1,500 runs of sweep seed 2) the share of
// failing runs was 6.0% with first-send chains, 8.9% with inheritance and 11.0% with balanced
// siblings (chains at p^6 of the window: 5.3%; random latencies: 1.07%).
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

/** The chance that a new chain is held back (every message at maxUs) when its siblings are balanced; else it runs at minUs. */
export const HELD_BACK = 0.5;

/** A chain's speed, per message id (Uint8Array cells): not seen yet, run, held back. */
const UNSEEN = 0;
const RUN = 1;
const HELD = 2;

export class PctScheduler implements DeliveryPolicy {
  /** Link (from * width + to) -> rank, 0 the highest priority. */
  private readonly rank: Int32Array;
  private readonly width: number;
  private readonly links: number;
  /** Send index -> how deep it is demoted (1 = the first change point). */
  private readonly changeAt = new Map<number, number>();
  private sent = 0;
  /** Message id -> its chain's speed (RUN or HELD); UNSEEN for ids not sent yet. Grows by doubling. */
  private chainOf = new Uint8Array(1024);
  /** The batch of the last new chain, and how many of that batch's new chains run and are held back. */
  private siblings = { batch: -1, run: 0, held: 0 };

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

  latencyUs(from: NodeId, to: NodeId, latency: LatencyDist, ordering: 'fifo' | 'unordered' = 'fifo', msgId = 0, causeId = 0, batch = 0): number {
    const index = ++this.sent;
    const span = latency.maxUs - latency.minUs;
    const demoted = this.changeAt.get(index);
    if (demoted !== undefined) {
      this.setChain(msgId, HELD);
      // Change point i of d - 1: below every thread; a later change point lands a little earlier (PCT's priority d - i).
      const slots = this.settings.depth;
      return latency.maxUs - Math.floor((span * (demoted - 1)) / (slots * (this.links + 1)));
    }
    if (ordering === 'unordered') return this.chainSpeed(msgId, causeId, batch) === HELD ? latency.maxUs : latency.minUs;
    return latency.minUs + Math.floor((span * (this.rank[from * this.width + to] as number)) / this.links);
  }

  /**
   * The speed of message `msgId`'s chain: its cause's when it has one (any send of a step that
   * handled a message), else a new chain's. A duplicate's copy (same id) keeps its chain.
   */
  private chainSpeed(msgId: number, causeId: number, batch: number): number {
    const own = msgId < this.chainOf.length ? (this.chainOf[msgId] as number) : UNSEEN;
    if (own !== UNSEEN) return own;
    const inherited = causeId > 0 && causeId < this.chainOf.length ? (this.chainOf[causeId] as number) : UNSEEN;
    const speed = inherited !== UNSEEN ? inherited : this.newChainSpeed(batch);
    this.setChain(msgId, speed);
    return speed;
  }

  /** A new chain's speed: a coin while its batch's new chains are balanced, else the smaller side. */
  private newChainSpeed(batch: number): number {
    const sib = this.siblings;
    if (sib.batch !== batch) {
      sib.batch = batch;
      sib.run = 0;
      sib.held = 0;
    }
    const coin = this.rng.next() < HELD_BACK;
    const held = sib.run === sib.held ? coin : sib.run > sib.held;
    if (held) sib.held++;
    else sib.run++;
    return held ? HELD : RUN;
  }

  private setChain(msgId: number, speed: number): void {
    if (msgId <= 0) return;
    if (msgId >= this.chainOf.length) {
      const grown = new Uint8Array(Math.max(msgId + 1, this.chainOf.length * 2));
      grown.set(this.chainOf);
      this.chainOf = grown;
    }
    this.chainOf[msgId] = speed;
  }

  /** Send indices of the change points, in order (for tests and reports). */
  changePoints(): number[] {
    return [...this.changeAt.keys()].sort((a, b) => a - b);
  }
}
