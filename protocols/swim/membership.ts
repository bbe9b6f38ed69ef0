// SWIM membership updates and their precedence (Das, Gupta and Motivala 2002, section 4.2), plus
// how a node answers facts about itself. For member M:
//   Alive(i)   overrides Alive(j), Suspect(j) and Dead(j) when i > j
//   Suspect(i) overrides Alive(j) when i >= j, and Suspect(j), Dead(j) when i > j
//   Dead(i)    overrides Alive(j) and Suspect(j) when i >= j, and Dead(j) when i > j
// The paper lets a confirm (Dead) override everything; here, as in memberlist, a Dead about an
// older incarnation cannot kill a member that has since rejoined with a higher one. Dead members
// stay as tombstones: they are never deleted (the table is bounded by the cluster size), so stale
// gossip about an old incarnation can never bring them back. Only a member raises its own
// incarnation: to refute a Suspect or Dead about itself, it takes that incarnation + 1.
import { freeze } from '../../sim/freezing.ts';
import { randInt } from '../../sim/rng.ts';
import type { Effect, NodeContext, NodeId } from '../../sim/types.ts';
import type { SwimConfig } from './config.ts';
import type { Working } from '../shared/copyOnWrite.ts';
import { enqueueInto } from './gossip.ts';
import { memberKey, type Gossip, type Member, type SwimBug, type SwimMessage, type SwimState, type SwimTimer, type Update } from './types.ts';

export type SwimEffect = Effect<SwimMessage, SwimTimer>;

/** Values fixed for a run: the config, the bug, and what the cluster size decides. */
export interface SwimParams {
  readonly config: SwimConfig;
  readonly bug: SwimBug;
  readonly suspicionUs: number;
  readonly retransmits: number;
  readonly syncUs: number;
  readonly seeds: readonly NodeId[];
}

/**
 * The state while a step is in progress: its top-level fields may be reassigned, but everything
 * under them is frozen and readonly, so it is replaced whole (copy on write), never changed in
 * place. swim.ts freezes what is new and keeps the old object when nothing changed.
 */
export type WorkingState = Working<SwimState>;

/** One step in progress: the working state, the node's context and the effects so far. */
export interface Turn {
  readonly s: WorkingState;
  readonly ctx: NodeContext;
  readonly p: SwimParams;
  readonly effects: SwimEffect[];
  /** The step's private copies of the member table and the queue, made at their first change. */
  readonly own: { members?: Record<string, Member>; gossip?: Gossip[] };
}

// One copy per step however many members change: a joiner learns the whole cluster from one
// SyncAck, and copying the table once per member made joins quadratic in the cluster size.
function membersToWrite(t: Turn): Record<string, Member> {
  if (!t.own.members) t.s.members = t.own.members = { ...t.s.members };
  return t.own.members;
}

function queueToWrite(t: Turn): Gossip[] {
  if (!t.own.gossip) t.s.gossip = t.own.gossip = t.s.gossip.slice();
  return t.own.gossip;
}

const STATUSES = new Set<unknown>(['Alive', 'Suspect', 'Dead']);

/** Member ids in ascending order. */
export const memberIds = (members: Readonly<Record<string, Member>>): NodeId[] => Object.keys(members).map((k) => Number(k.slice(1))).sort((a, b) => a - b);

/** Whether `u` is news to a node that knows `current` about the member (undefined: unknown member). */
export function supersedes(current: Member | undefined, u: Update): boolean {
  if (!current) return true;
  switch (u.status) {
    case 'Alive': return u.inc > current.inc;
    case 'Suspect': return current.status === 'Alive' ? u.inc >= current.inc : u.inc > current.inc;
    case 'Dead': return current.status === 'Dead' ? u.inc > current.inc : u.inc >= current.inc;
  }
}

/** A well-formed update about a node of this cluster (messages may be corrupted by byzantine senders). */
export function validUpdate(u: unknown, ctx: NodeContext): u is Update {
  if (typeof u !== 'object' || u === null) return false;
  const { id, status, inc } = u as Record<string, unknown>;
  // Nodes are numbered 1..N, so a range check stands in for a search of the peer list.
  return STATUSES.has(status) && Number.isSafeInteger(inc) && (inc as number) >= 0 && Number.isInteger(id) && (id as number) >= 1 && (id as number) <= ctx.peers.length + 1;
}

/**
 * Applies one update, from gossip, a sync or this node's own probing, and queues it for gossip.
 * `fromSyncOf`: the update came in a push-pull Sync from that member. Members discovered that way
 * (unknown, now Alive) are not gossiped on: a joiner learns the whole cluster from one SyncAck,
 * and nobody else needs to hear that (memberlist gossips them, a known join storm); the sender
 * itself, and every Suspect, Dead or refutation, is still gossiped.
 */
export function learn(t: Turn, u: Update, fromSyncOf?: NodeId): void {
  if (u.id === t.ctx.id) return aboutSelf(t, u);
  const current = t.s.members[memberKey(u.id)];
  if (!supersedes(current, u)) return;
  setMember(t, u.id, current, { status: u.status, inc: u.inc });
  const discovered = fromSyncOf !== undefined && current === undefined && u.status === 'Alive' && u.id !== fromSyncOf;
  if (!discovered) enqueueInto(queueToWrite(t), { id: u.id, status: u.status, inc: u.inc });
}

/** The suspicion timeout ran out with the member still Suspect: confirm it Dead. */
export function confirmDead(t: Turn, id: NodeId): void {
  const current = t.s.members[memberKey(id)];
  if (current?.status === 'Suspect') learn(t, { id, status: 'Dead', inc: current.inc });
}

function aboutSelf(t: Turn, u: Update): void {
  const s = t.s;
  if (u.status === 'Alive') {
    if (u.inc > s.inc) {
      s.inc = u.inc; // a claim from an earlier life of this node: carry on above it
      t.effects.push({ kind: 'note', name: 'incarnation', data: { inc: s.inc, reason: 'saw a higher one' } });
    }
    return;
  }
  if (u.inc < s.inc || t.p.bug === 'no-refute') return;
  s.inc = u.inc + 1;
  t.effects.push({ kind: 'note', name: 'incarnation', data: { inc: s.inc, reason: u.status === 'Suspect' ? 'refute suspicion' : 'refute death' } });
  enqueueInto(queueToWrite(t), { id: t.ctx.id, status: 'Alive', inc: s.inc });
}

function setMember(t: Turn, id: NodeId, current: Member | undefined, next: Member): void {
  const key = memberKey(id);
  membersToWrite(t)[key] = freeze(next);
  t.effects.push({ kind: 'note', name: 'status', data: { peer: id, from: current?.status ?? null, to: next.status, inc: next.inc } });
  if (next.status === 'Suspect') t.effects.push({ kind: 'setTimer', timer: `suspect:${id}`, afterUs: t.p.suspicionUs });
  else if (current?.status === 'Suspect') t.effects.push({ kind: 'cancelTimer', timer: `suspect:${id}` });
  if (next.status !== 'Dead' && (!current || current.status === 'Dead')) addToProbeOrder(t, id);
  if (next.status === 'Dead' && t.p.bug === 'forget-tombstones') {
    delete membersToWrite(t)[key];
    t.effects.push({ kind: 'note', name: 'status', data: { peer: id, from: 'Dead', to: null, inc: next.inc } });
  }
}

/** The paper's rule: a new member goes to a random place in the rest of the current round. */
function addToProbeOrder(t: Turn, id: NodeId): void {
  const s = t.s;
  if (s.order.indexOf(id, s.next) !== -1) return;
  const order = s.order.slice();
  order.splice(randInt(t.ctx.rng, s.next, s.order.length), 0, id);
  s.order = order;
}

export const probeable = (members: Readonly<Record<string, Member>>, id: NodeId): boolean => {
  const m = members[memberKey(id)];
  return m !== undefined && m.status !== 'Dead';
};

/** This node's whole view as updates, itself first, then members by id (tombstones included). */
export function viewOf(s: Pick<SwimState, 'inc' | 'members'>, self: NodeId): Update[] {
  const out: Update[] = [{ id: self, status: 'Alive', inc: s.inc }];
  for (const id of memberIds(s.members)) {
    const m = s.members[memberKey(id)] as Member;
    out.push({ id, status: m.status, inc: m.inc });
  }
  return out;
}

