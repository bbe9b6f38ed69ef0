// PCT-style priority scheduling of message deliveries (Burckhardt et al., "A randomized scheduler
// with probabilistic guarantees of finding bugs", ASPLOS 2010), adapted to a timed message-passing
// simulation. PCT's threads are sequences of steps whose own order the scheduler cannot change: here
// a FIFO link (its messages arrive in the order sent whatever the scheduler does), and on an
// unordered link each message alone (nothing orders it behind the link's other messages). At the
// start of a run every FIFO link gets a distinct random priority, and a message's latency is placed
// inside its link's [minUs, maxUs] by that priority (the highest priority gets minUs, the lowest
// maxUs); a message on an unordered link gets a priority of its own, drawn when it is sent. So among
// messages that are concurrently deliverable (sent within one latency window of each other) the
// higher-priority thread's are delivered first: on FIFO links, one consistent order for the run.
// Then d - 1 priority change points are drawn uniformly among the first n sends (n: the number of
// messages a calibration run of the protocol sends); the message sent at a change point is demoted
// below every thread (latency maxUs, the change points ordered among themselves like PCT's d - i),
// so everything sent within the window after it overtakes it. (Until a message on an unordered
// link was its own thread, a link's messages all took one latency: PCT could not let a GlobalAbort
// overtake the Prepare sent before it on the same link, which 2pc's ignore-early-abort needs.)
// Every draw (priorities, change points) comes from the run's "pct" stream, so a seed or a choice
// tape decides it and replays it. Latencies stay inside the link's bounds, so every checker bound
// computed from the network options still holds. Loss and duplication are unchanged.
// Leaves out: causal chains (PCTCP): a reply does not inherit its request's priority.
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

export class PctScheduler implements DeliveryPolicy {
  /** Link (from * width + to) -> rank, 0 the highest priority. */
  private readonly rank: Int32Array;
  private readonly width: number;
  private readonly links: number;
  /** Send index -> how deep it is demoted (1 = the first change point). */
  private readonly changeAt = new Map<number, number>();
  private sent = 0;

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

  latencyUs(from: NodeId, to: NodeId, latency: LatencyDist, ordering: 'fifo' | 'unordered' = 'fifo'): number {
    const index = ++this.sent;
    const span = latency.maxUs - latency.minUs;
    const demoted = this.changeAt.get(index);
    if (demoted !== undefined) {
      // Change point i of d - 1: below every thread; a later change point lands a little earlier (PCT's priority d - i).
      const slots = this.settings.depth;
      return latency.maxUs - Math.floor((span * (demoted - 1)) / (slots * (this.links + 1)));
    }
    // An unordered link's message is a thread of its own: a priority of its own, anywhere among the links'.
    const r = ordering === 'unordered' ? this.rng.next() * this.links : (this.rank[from * this.width + to] as number);
    return latency.minUs + Math.floor((span * r) / this.links);
  }

  /** Send indices of the change points, in order (for tests and reports). */
  changePoints(): number[] {
    return [...this.changeAt.keys()].sort((a, b) => a - b);
  }
}
