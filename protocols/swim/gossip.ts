// SWIM's broadcast queue (dissemination by piggybacking): each membership update waits in the
// queue and rides on outgoing Ping, Ack and PingReq messages, least-sent first, until it has been
// sent `limit` times (about lambda x log n). A newer update about a member replaces the queued one.
// The queue, its entries and their updates are frozen when made, so a step's state freezes cheaply.
// Leaves out: message size limits beyond a fixed number of updates per message.
import { freeze } from '../../sim/freezing.ts';
import type { Gossip, Update } from './types.ts';

/** The queue with `update` at the front (sent 0), replacing any queued update about the same member. */
export function enqueue(queue: readonly Gossip[], update: Update): readonly Gossip[] {
  const next = queue.slice();
  enqueueInto(next, update);
  return freeze(next);
}

/** enqueue on a queue the caller owns (a step's private copy), without copying it again. */
export function enqueueInto(queue: Gossip[], update: Update): void {
  for (let i = queue.length - 1; i >= 0; i--) if (queue[i]?.update.id === update.id) queue.splice(i, 1);
  queue.unshift(freeze({ update: freeze(update), sent: 0 }));
}

/**
 * Takes up to `max` updates for one message, least-sent first; each taken update counts one send
 * and leaves the queue once sent `limit` times. The queue stays sorted by sends (stable).
 */
export function takePiggyback(queue: readonly Gossip[], max: number, limit: number): { updates: Update[]; queue: readonly Gossip[] } {
  if (queue.length === 0) return { updates: [], queue };
  const taken = queue.slice(0, max);
  const rest = queue.slice(max);
  const bumped = taken.filter((g) => g.sent + 1 < limit).map((g) => freeze({ update: g.update, sent: g.sent + 1 }));
  // Updates are frozen, so messages share them with the queue.
  return { updates: taken.map((g) => g.update), queue: freeze(mergeBySent(rest, bumped)) };
}

/** The buddy rule (Lifeguard): a Ping to a member this node suspects always tells it so. */
export function withUpdate(updates: Update[], extra: Update | undefined): Update[] {
  if (!extra || updates.some((u) => u.id === extra.id)) return updates;
  return [...updates, extra];
}

function mergeBySent(a: readonly Gossip[], b: readonly Gossip[]): Gossip[] {
  const out: Gossip[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x.sent <= y.sent)) {
      out.push(x as Gossip);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  return out;
}
