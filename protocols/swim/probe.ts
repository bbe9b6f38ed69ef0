// SWIM's failure detection: each protocol period a member probes one member, taken round-robin
// from a list it shuffles with its own rng at the start of every round (so every member is probed
// within two rounds, which bounds detection time). A direct Ping waits pingTimeout for its Ack;
// then k random Alive members are asked (PingReq) to ping the target and relay its Ack. With no
// Ack by the end of the period, the target becomes Suspect. Every message piggybacks updates.
// Leaves out: Lifeguard's nacks and local-health multiplier (timeouts here are fixed).
import { shuffled } from '../../sim/rng.ts';
import type { NodeId } from '../../sim/types.ts';
import { takePiggyback, withUpdate } from './gossip.ts';
import { learn, memberIds, probeable, type Turn } from './membership.ts';
import { memberKey, type SwimMessage, type Update } from './types.ts';

/** The updates for one outgoing message, counted as sent once each. */
export function piggyback(t: Turn): Update[] {
  if (t.s.gossip.length === 0) return [];
  const taken = takePiggyback(t.s.gossip, t.p.config.piggyback, t.p.retransmits);
  t.s.gossip = taken.queue;
  t.own.gossip = undefined; // the new queue is frozen: a later change in this step copies it
  return taken.updates;
}

export function send(t: Turn, to: NodeId, msg: SwimMessage): void {
  t.effects.push({ kind: 'send', to, msg });
}

/** The period timer: conclude the last probe, then probe the next member. */
export function onPeriod(t: Turn): void {
  concludeProbe(t);
  pruneRelays(t);
  t.effects.push({ kind: 'setTimer', timer: 'period', afterUs: t.p.config.period });
  const target = nextTarget(t);
  if (target === undefined) {
    t.s.probe = null;
    return;
  }
  const seq = t.s.seq++;
  t.s.probe = { target, seq, acked: false, indirect: false };
  const member = t.s.members[memberKey(target)];
  const buddy: Update | undefined = member?.status === 'Suspect' ? { id: target, status: 'Suspect', inc: member.inc } : undefined;
  send(t, target, { type: 'Ping', seq, updates: withUpdate(piggyback(t), buddy) });
  t.effects.push({ kind: 'setTimer', timer: 'ping-timeout', afterUs: t.p.config.pingTimeout });
}

function concludeProbe(t: Turn): void {
  const probe = t.s.probe;
  if (!probe || probe.acked) return;
  const member = t.s.members[memberKey(probe.target)];
  if (member?.status !== 'Alive') return; // already Suspect (its timer runs), Dead, or gone
  const inc = t.p.bug === 'bump-suspect-incarnation' ? member.inc + 1 : member.inc;
  learn(t, { id: probe.target, status: 'Suspect', inc });
}

function nextTarget(t: Turn): NodeId | undefined {
  const s = t.s;
  const all = t.s.members;
  for (let round = 0; round < 2; round++) {
    while (s.next < s.order.length) {
      const id = s.order[s.next++] as NodeId;
      if (probeable(all, id)) return id;
    }
    const members = memberIds(all).filter((id) => probeable(all, id));
    if (members.length === 0) return undefined;
    s.order = shuffled(t.ctx.rng, members);
    s.next = 0;
  }
  return undefined;
}

/** No Ack yet: ask k random Alive members (other than the target) to probe it. */
export function onPingTimeout(t: Turn): void {
  const probe = t.s.probe;
  if (!probe || probe.acked || probe.indirect || t.p.bug === 'no-indirect-probe') return;
  const all = t.s.members;
  const helpers = memberIds(all).filter((id) => id !== probe.target && all[memberKey(id)]?.status === 'Alive');
  const chosen = shuffled(t.ctx.rng, helpers).slice(0, t.p.config.k);
  t.s.probe = { ...probe, indirect: true };
  for (const via of chosen) send(t, via, { type: 'PingReq', seq: probe.seq, target: probe.target, updates: piggyback(t) });
}

export function onPing(t: Turn, from: NodeId, seq: number): void {
  if (!Number.isSafeInteger(seq)) return;
  send(t, from, { type: 'Ack', seq, updates: piggyback(t) });
}

/** An Ack ends this node's probe, or is relayed to the member that asked for it. */
export function onAck(t: Turn, seq: number): void {
  if (!Number.isSafeInteger(seq)) return;
  const relay = Object.hasOwn(t.s.relays, String(seq)) ? t.s.relays[String(seq)] : undefined;
  if (relay) {
    const { [String(seq)]: _done, ...rest } = t.s.relays;
    t.s.relays = rest;
    send(t, relay.requester, { type: 'Ack', seq: relay.seq, updates: piggyback(t) });
    return;
  }
  const probe = t.s.probe;
  if (probe && probe.seq === seq && !probe.acked) t.s.probe = { ...probe, acked: true };
}

/** Probe `target` on behalf of `from`; a target that is not a cluster node is ignored. */
export function onPingReq(t: Turn, from: NodeId, seq: number, target: NodeId): void {
  if (!Number.isSafeInteger(seq)) return;
  if (target === t.ctx.id) return send(t, from, { type: 'Ack', seq, updates: piggyback(t) });
  if (!Number.isInteger(target) || target < 1 || target > t.ctx.peers.length + 1) return;
  const mine = t.s.seq++;
  t.s.relays = { ...t.s.relays, [String(mine)]: { requester: from, seq, atUs: t.ctx.nowUs } };
  send(t, target, { type: 'Ping', seq: mine, updates: piggyback(t) });
}

function pruneRelays(t: Turn): void {
  const entries = Object.entries(t.s.relays);
  const fresh = entries.filter(([, relay]) => t.ctx.nowUs - relay.atUs < t.p.config.period);
  if (fresh.length < entries.length) t.s.relays = Object.fromEntries(fresh);
}
