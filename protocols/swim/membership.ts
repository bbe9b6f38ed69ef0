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
import type { Draft } from 'immer';
import { randInt } from '../../sim/rng.ts';
import type { Effect, NodeContext, NodeId } from '../../sim/types.ts';
import type { SwimConfig } from './config.ts';
import { enqueue } from './gossip.ts';
import { memberKey, type Member, type MemberStatus, type SwimBug, type SwimMessage, type SwimState, type SwimTimer, type Update } from './types.ts';

export type SwimEffect = Effect<SwimMessage, SwimTimer>;

/** Values fixed for a run: the config, the bug, and what the cluster size decides. */
export interface SwimParams {
  readonly config: SwimConfig;
  readonly bug: SwimBug;
  readonly suspicionUs: number;
  readonly retransmits: number;
  readonly seeds: readonly NodeId[];
}

/** One step in progress: the state draft, the node's context and the effects so far. */
export interface Turn {
  readonly s: Draft<SwimState>;
  readonly ctx: NodeContext;
  readonly p: SwimParams;
  readonly effects: SwimEffect[];
}

const STATUSES = new Set<unknown>(['Alive', 'Suspect', 'Dead']);

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
  return STATUSES.has(status) && Number.isSafeInteger(inc) && (inc as number) >= 0 && typeof id === 'number' && (id === ctx.id || ctx.peers.includes(id));
}

/** Applies one update, from gossip, a sync or this node's own probing. */
export function learn(t: Turn, u: Update): void {
  if (u.id === t.ctx.id) return aboutSelf(t, u);
  const current = t.s.members[memberKey(u.id)];
  if (!supersedes(current, u)) return;
  setMember(t, u.id, current, { status: u.status, inc: u.inc });
  t.s.gossip = enqueue(t.s.gossip, u) as Draft<SwimState['gossip']>;
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
  s.gossip = enqueue(s.gossip, { id: t.ctx.id, status: 'Alive', inc: s.inc }) as Draft<SwimState['gossip']>;
}

function setMember(t: Turn, id: NodeId, current: Member | undefined, next: Member): void {
  const key = memberKey(id);
  t.s.members[key] = next;
  t.effects.push({ kind: 'note', name: 'status', data: { peer: id, from: current?.status ?? null, to: next.status, inc: next.inc } });
  if (next.status === 'Suspect') t.effects.push({ kind: 'setTimer', timer: `suspect:${id}`, afterUs: t.p.suspicionUs });
  else if (current?.status === 'Suspect') t.effects.push({ kind: 'cancelTimer', timer: `suspect:${id}` });
  if (next.status !== 'Dead' && (!current || current.status === 'Dead')) addToProbeOrder(t, id);
  if (next.status === 'Dead' && t.p.bug === 'forget-tombstones') {
    delete t.s.members[key];
    t.effects.push({ kind: 'note', name: 'status', data: { peer: id, from: 'Dead', to: null, inc: next.inc } });
  }
}

/** The paper's rule: a new member goes to a random place in the rest of the current round. */
function addToProbeOrder(t: Turn, id: NodeId): void {
  const s = t.s;
  if (s.order.indexOf(id, s.next) !== -1) return;
  s.order.splice(randInt(t.ctx.rng, s.next, s.order.length), 0, id);
}

export const probeable = (s: SwimState, id: NodeId): boolean => {
  const m = s.members[memberKey(id)];
  return m !== undefined && m.status !== 'Dead';
};

/** This node's whole view as updates, itself first, then members by id (tombstones included). */
export function viewOf(s: SwimState, self: NodeId): Update[] {
  const out: Update[] = [{ id: self, status: 'Alive', inc: s.inc }];
  const ids = Object.keys(s.members).map((k) => Number(k.slice(1))).sort((a, b) => a - b);
  for (const id of ids) {
    const m = s.members[memberKey(id)] as Member;
    out.push({ id, status: m.status, inc: m.inc });
  }
  return out;
}

export const statusOf = (s: SwimState, id: NodeId): MemberStatus | undefined => s.members[memberKey(id)]?.status;
