// Every node's state at any event, rebuilt from the trace alone: a boot carries the whole state,
// each state event carries patches. While the trace is indexed the store folds every node's
// patches once and keeps a checkpoint (a reference: patches are applied copy-on-write, so
// checkpoints share structure) every CHECKPOINT_EVERY state events of that node. Asking for a
// node's state at event i then folds at most that many lines, decoded on demand, so scrubbing a
// long trace costs about the same anywhere in it.
// Leaves out: whether the node is up (crashes are faults; nodeLife.ts tracks them).
import { applyPatchesCow, type PatchLike } from './patchFold.ts';

export const CHECKPOINT_EVERY = 64;

/** Decodes the event line of an event index (the worker keeps the bytes). */
export type LineReader = (index: number) => { kind: string; state?: unknown; patches?: PatchLike[] };

class NodeStates {
  /** Event indices of this node's boot and state events, in order. */
  events: number[] = [];
  /** Positions in `events` that have a checkpoint, and the state there. */
  checkpointAt: number[] = [];
  checkpoints: unknown[] = [];
  current: unknown = undefined;
  /** The last state handed out, to step forward from without going back to a checkpoint. */
  lastPos = -1;
  lastState: unknown = undefined;
}

export class StateStore {
  private readonly nodes: NodeStates[] = [];

  constructor(nodeCount: number) {
    for (let i = 0; i <= nodeCount; i++) this.nodes.push(new NodeStates());
  }

  boot(index: number, node: number, state: unknown): void {
    const n = this.nodes[node] as NodeStates;
    n.events.push(index);
    n.current = state;
    n.checkpointAt.push(n.events.length - 1);
    n.checkpoints.push(state);
  }

  /** Throws PatchError when a patch does not fit the state it is applied to. */
  patch(index: number, node: number, patches: readonly PatchLike[]): void {
    const n = this.nodes[node] as NodeStates;
    if (n.events.length === 0) throw new Error(`a state change for n${node} before its boot`);
    n.events.push(index);
    n.current = applyPatchesCow(n.current, patches);
    const pos = n.events.length - 1;
    if (pos - (n.checkpointAt[n.checkpointAt.length - 1] as number) >= CHECKPOINT_EVERY) {
      n.checkpointAt.push(pos);
      n.checkpoints.push(n.current);
    }
  }

  /** The node's state after event `index` (undefined before its first boot) and the event that set it. */
  stateAt(node: number, index: number, read: LineReader): { state: unknown; since: number } {
    const n = this.nodes[node];
    if (!n) return { state: undefined, since: -1 };
    const pos = lastAtOrBefore(n.events, index);
    if (pos < 0) return { state: undefined, since: -1 };
    const cp = lastAtOrBefore(n.checkpointAt, pos);
    let from = n.checkpointAt[cp] as number;
    let state = n.checkpoints[cp];
    if (n.lastPos >= from && n.lastPos <= pos) {
      from = n.lastPos;
      state = n.lastState;
    }
    for (let p = from + 1; p <= pos; p++) {
      const event = read(n.events[p] as number);
      state = event.kind === 'boot' ? event.state : applyPatchesCow(state, event.patches ?? []);
    }
    n.lastPos = pos;
    n.lastState = state;
    return { state, since: n.events[pos] as number };
  }

  /** The event index of the node's next (dir 1) or previous (dir -1) state change from `index`. */
  neighbour(node: number, index: number, dir: 1 | -1): number {
    const events = this.nodes[node]?.events ?? [];
    const pos = lastAtOrBefore(events, dir === 1 ? index : index - 1);
    const next = dir === 1 ? events[pos + 1] : events[pos];
    return next ?? -1;
  }

  checkpointCount(): number {
    return this.nodes.reduce((sum, n) => sum + n.checkpoints.length, 0);
  }
}

/** Position of the last value <= x in an ascending list, or -1. */
export function lastAtOrBefore(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
