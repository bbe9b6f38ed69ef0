// What SWIM's checkers know, rebuilt from events alone (never from node state): every node's view
// of every member from its `status` notes (reset when the node boots), since when each view pair
// has not been Alive, each node's highest own incarnation (boot state and `incarnation` notes),
// and since when each node is up.
import type { ObservedEvent } from '../../sim/traceEvents.ts';
import type { NodeId } from '../../sim/types.ts';
import type { MemberStatus } from './types.ts';

export interface StatusNote {
  peer: NodeId;
  from: MemberStatus | null;
  to: MemberStatus | null;
  inc: number;
}

export interface Seen {
  status: MemberStatus | null;
  inc: number;
}

export class SwimViews {
  /** views.get(observer).get(member) */
  readonly views = new Map<NodeId, Map<NodeId, Seen>>();
  /** When each observer's view of each member last stopped being Alive (absent: Alive now). */
  readonly notAliveSince = new Map<NodeId, Map<NodeId, number>>();
  readonly upSince = new Map<NodeId, number>();
  /** The highest incarnation each node has given itself, over all its lives. */
  readonly ownInc = new Map<NodeId, number>();

  constructor(private readonly nodes: readonly NodeId[]) {}

  private last: ObservedEvent | undefined;
  private lastSeen: { observer: NodeId; note: StatusNote } | undefined;

  /**
   * Feeds one event; returns the status note it carried, if any. Several checkers share one view
   * and each passes it every event: the same event a second time is not folded again.
   */
  observe(event: ObservedEvent): { observer: NodeId; note: StatusNote } | undefined {
    if (event === this.last) return this.lastSeen;
    this.last = event;
    this.lastSeen = this.fold(event);
    return this.lastSeen;
  }

  private fold(event: ObservedEvent): { observer: NodeId; note: StatusNote } | undefined {
    if (event.kind === 'boot') {
      this.views.set(event.node, new Map());
      this.notAliveSince.set(event.node, new Map(this.nodes.filter((x) => x !== event.node).map((x) => [x, event.t])));
      this.upSince.set(event.node, event.t);
      const inc = (event.state as { inc?: number } | undefined)?.inc ?? 0;
      this.ownInc.set(event.node, Math.max(this.ownInc.get(event.node) ?? 0, inc));
    } else if (event.kind === 'fault' && event.phase === 'start' && event.fault.type === 'crash') {
      this.upSince.delete(event.fault.node);
    } else if (event.kind === 'note' && event.name === 'incarnation') {
      const inc = (event.data as { inc: number }).inc;
      this.ownInc.set(event.node, Math.max(this.ownInc.get(event.node) ?? 0, inc));
    } else if (event.kind === 'note' && event.name === 'status') {
      const note = event.data as StatusNote;
      this.views.get(event.node)?.set(note.peer, { status: note.to, inc: note.inc });
      const since = this.notAliveSince.get(event.node);
      if (note.to === 'Alive') since?.delete(note.peer);
      else if (!since?.has(note.peer)) since?.set(note.peer, event.t);
      return { observer: event.node, note };
    }
    return undefined;
  }

  seen(observer: NodeId, member: NodeId): Seen | undefined {
    return this.views.get(observer)?.get(member);
  }

  isUp(node: NodeId): boolean {
    return this.upSince.has(node);
  }
}
