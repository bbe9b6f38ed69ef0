// Who leads right now, from the run's own notes, for faults that target "the leader" (Jepsen-style
// nemeses that follow the leader). Any protocol may note `leader` with data {term}; a node stays a
// leader claimant until it notes `role` with a role other than "leader", or crashes (its epoch
// moves on; a reboot starts it as a follower). The leader is the claimant with the highest term
// among nodes that are up; a tie (two claimants in one term: a broken protocol) goes to the lowest
// id. Fed the run's notes by the fault injector only when the fault plan names "leader".
// Leaves out: leases and leaders of several groups (one cluster-wide leader per term).
import type { NodeRuntime } from './nodeRuntime.ts';
import type { NodeId } from './types.ts';

interface Claim {
  term: number;
  epoch: number;
}

export class LeaderTracker {
  private readonly claims = new Map<NodeId, Claim>();

  constructor(private readonly nodes: readonly NodeRuntime[]) {}

  /** One note of a node (the engine's record hook); ignores every note but `leader` and `role`. */
  observe(node: NodeId, name: string, data: unknown): void {
    if (name === 'leader') {
      const term = Number((data as { term?: unknown } | undefined)?.term ?? 0);
      this.claims.set(node, { term: Number.isFinite(term) ? term : 0, epoch: this.nodes[node]?.epoch ?? 0 });
    } else if (name === 'role' && (data as { role?: unknown } | undefined)?.role !== 'leader') {
      this.claims.delete(node);
    }
  }

  /** The current leader, or undefined when no node that is up claims to lead. */
  leader(): NodeId | undefined {
    let best: NodeId | undefined;
    let bestTerm = -Infinity;
    for (const [id, claim] of this.claims) {
      const node = this.nodes[id];
      if (!node || !node.up || node.epoch !== claim.epoch) continue;
      if (claim.term > bestTerm || (claim.term === bestTerm && best !== undefined && id < best)) {
        best = id;
        bestTerm = claim.term;
      }
    }
    return best;
  }
}
