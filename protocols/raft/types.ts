// Raft's state, messages and timers as plain JSON (traces carry them; the viewer folds patches).
// The log is 1-based in Raft's terms and chunked (log.ts). Every entry carries `h`, a hash of
// the whole log prefix up to it (chained from the previous entry's), so two logs agree up to an
// index exactly when their entries there have the same h: checkers use it for log matching.
import type { NodeId } from '../../sim/types.ts';

/** A key-value operation as clients send it. */
export type KvOp =
  | { readonly f: 'get'; readonly key: string }
  | { readonly f: 'put'; readonly key: string; readonly value: string }
  | { readonly f: 'append'; readonly key: string; readonly value: string }
  | { readonly f: 'cas'; readonly key: string; readonly from: string; readonly to: string };

/** What a node answers a client. `not-leader` and `unavailable` make the client try again. */
export type KvResult =
  | { readonly ok: true; readonly value?: string }
  | { readonly ok: false; readonly error: 'cas-mismatch' }
  | { readonly ok: false; readonly error: 'not-leader'; readonly leader: NodeId | null }
  | { readonly ok: false; readonly error: 'unavailable' };

/** A client command in the log; (client, req) identifies it for deduplication. */
export interface Command {
  readonly client: number;
  readonly req: number;
  readonly op: KvOp;
}

export interface Entry {
  readonly term: number;
  /** null: the no-op a new leader appends to commit entries of earlier terms. */
  readonly cmd: Command | null;
  readonly h: number;
}

/** The log, chunked (log.ts): full chunks of LOG_CHUNK entries, then a shorter tail. */
export interface RaftLog {
  /** Number of entries: the last index. */
  readonly length: number;
  readonly chunks: readonly (readonly Entry[])[];
  readonly tail: readonly Entry[];
}

export type Role = 'follower' | 'precandidate' | 'candidate' | 'leader';

/** A read waiting for its read index: confirmed by a quorum of heartbeat acks, then applied. */
export interface PendingRead {
  readonly requestId: number;
  readonly client: number;
  readonly key: string;
  readonly index: number;
  /** Heartbeat round this read waits on (acks for it or later count). */
  readonly round: number;
}

export interface Session {
  readonly req: number;
  readonly result: KvResult;
}

/** A client request appended at `index`, to be answered when that index is applied. */
export interface PendingWrite {
  readonly index: number;
  readonly requestId: number;
}

/** A durable write in flight: its token and how much of the current log it holds (cut by truncations). */
export interface InFlightWrite {
  readonly token: number;
  readonly held: number;
}

export interface RaftState {
  readonly role: Role;
  readonly term: number;
  readonly votedFor: NodeId | null;
  readonly log: RaftLog;
  readonly commit: number;
  readonly applied: number;
  readonly leader: NodeId | null;
  /** Votes (or pre-votes) granted to this node in the current election. */
  readonly votes: readonly NodeId[];
  /** Leader: next index to send and highest index known replicated, per peer "n<id>". */
  readonly next: Readonly<Record<string, number>>;
  readonly match: Readonly<Record<string, number>>;
  /** Leader: the heartbeat round, and the latest round each peer acknowledged. */
  readonly round: number;
  readonly acked: Readonly<Record<string, number>>;
  /** Leader: the index of the no-op it appended on election (reads wait for it to apply). */
  readonly termStart: number;
  /** Leader: peers heard from since the last check-quorum tick. */
  readonly heard: readonly NodeId[];
  /** Local clock of the last message from a current leader (pre-vote's leader stickiness). */
  readonly leaderSeenUs: number;
  readonly kv: Readonly<Record<string, string>>;
  /** The last applied request of each client, "c<id>", and its result. */
  readonly sessions: Readonly<Record<string, Session>>;
  /** Client requests this node appended and must answer once applied, by log index. */
  readonly pending: readonly PendingWrite[];
  readonly reads: readonly PendingRead[];
  /** How much of the log is known to be on disk (a write of it completed). */
  readonly durable: number;
  /** Writes in flight, oldest first. */
  readonly writes: readonly InFlightWrite[];
  readonly writeSeq: number;
}

/** What survives a crash (Raft figure 2): currentTerm, votedFor and the log. */
export interface RaftDurable {
  readonly term: number;
  readonly votedFor: NodeId | null;
  readonly log: RaftLog;
}

export type RaftMessage =
  | { readonly type: 'RequestVote'; readonly term: number; readonly lastIndex: number; readonly lastTerm: number; readonly pre: boolean }
  | { readonly type: 'RequestVoteReply'; readonly term: number; readonly granted: boolean; readonly pre: boolean }
  | { readonly type: 'AppendEntries'; readonly term: number; readonly prevIndex: number; readonly prevTerm: number; readonly entries: readonly Entry[]; readonly commit: number; readonly round: number }
  | { readonly type: 'AppendEntriesReply'; readonly term: number; readonly success: boolean; readonly match: number; readonly conflictTerm: number; readonly conflictIndex: number; readonly round: number };

/** 'election' | 'heartbeat' | 'quorum' */
export type RaftTimer = string;

export type RaftBug = 'vote-without-log-check' | 'commit-old-terms' | 'truncate-on-append' | 'stale-read' | 'forget-vote' | null;

const keys: string[] = [];
export const peerKey = (id: NodeId): string => (Number.isInteger(id) && id > 0 && id <= 4096 ? (keys[id] ??= `n${id}`) : `n${id}`);
