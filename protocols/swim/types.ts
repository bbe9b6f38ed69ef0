// SWIM's state, messages and timers: plain JSON, so traces carry them and the viewer can fold
// state patches without protocol code. Members are keyed "n<id>" and exclude the node itself.
// Updates (membership facts) travel as { id, status, inc }: "member id is status at incarnation inc".
import type { NodeId } from '../../sim/types.ts';

export type MemberStatus = 'Alive' | 'Suspect' | 'Dead';

export interface Member {
  readonly status: MemberStatus;
  readonly inc: number;
}

export interface Update {
  readonly id: NodeId;
  readonly status: MemberStatus;
  readonly inc: number;
}

/** An update waiting in the broadcast queue, with how many times it has been piggybacked. */
export interface Gossip {
  readonly update: Update;
  readonly sent: number;
}

/** The probe of the current protocol period. */
export interface Probe {
  readonly target: NodeId;
  readonly seq: number;
  readonly acked: boolean;
  /** Whether PingReqs went out (the direct ping timed out). */
  readonly indirect: boolean;
}

/** A ping this node sends on behalf of a requester (PingReq); its Ack is relayed back. */
export interface Relay {
  readonly requester: NodeId;
  readonly seq: number;
  /** Local clock when the relay started; relays older than one period are dropped. */
  readonly atUs: number;
}

export interface SwimState {
  /** This node's own incarnation; only the node itself ever raises it. */
  readonly inc: number;
  /** Whether some member has answered a join (or contacted this node); until then joins are retried. */
  readonly joined: boolean;
  readonly members: Readonly<Record<string, Member>>;
  /** The current round-robin probe order (shuffled each round) and the position in it. */
  readonly order: readonly NodeId[];
  readonly next: number;
  readonly probe: Probe | null;
  readonly seq: number;
  readonly relays: Readonly<Record<string, Relay>>;
  /** The broadcast queue, least-sent first. */
  readonly gossip: readonly Gossip[];
  /** Rejoin candidates read from disk at restart (members known before the crash). */
  readonly rejoin: readonly NodeId[];
  /** "<incarnation>:<member count>" as last written to disk, to skip unchanged snapshots. */
  readonly saved: string;
  /** Whether the snapshot timer is armed (it is, from the first change after a write). */
  readonly snapshotDue: boolean;
}

/** What survives a crash: the incarnation and the members known, for rejoining. */
export interface SwimDurable {
  readonly inc: number;
  readonly members: readonly NodeId[];
}

export type SwimMessage =
  | { readonly type: 'Ping'; readonly seq: number; readonly updates: readonly Update[] }
  | { readonly type: 'Ack'; readonly seq: number; readonly updates: readonly Update[] }
  | { readonly type: 'PingReq'; readonly seq: number; readonly target: NodeId; readonly updates: readonly Update[] }
  /** Push-pull: the sender's whole view (itself included); a join is a Sync to a seed. */
  | { readonly type: 'Sync'; readonly members: readonly Update[] }
  | { readonly type: 'SyncAck'; readonly members: readonly Update[] };

/** 'period' | 'ping-timeout' | 'join' | 'sync' | 'snapshot' | 'suspect:<id>' */
export type SwimTimer = string;

export type SwimBug = 'no-refute' | 'no-indirect-probe' | 'forget-tombstones' | 'bump-suspect-incarnation' | null;

// Made once per id: lookups on the hot path build no strings.
const keys: string[] = [];
export const memberKey = (id: NodeId): string => (Number.isInteger(id) && id > 0 && id <= 4096 ? (keys[id] ??= `n${id}`) : `n${id}`);
