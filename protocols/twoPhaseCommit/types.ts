// Two-phase commit's state, messages and timers as plain JSON (traces carry them). One node is the
// coordinator (config `coordinator`, n1 by default); every other node is a participant (a resource
// manager holding a shard of a small key-value store). A transaction id is "<epoch>.<seq>": the
// coordinator's boot count, persisted before it starts any transaction, and a counter within that
// boot, so ids are never reused across coordinator restarts. Clients' requests are deduplicated
// by (client, request id) through the coordinator's sessions.
import type { NodeId } from '../../sim/types.ts';

/** One write of a transaction: key := value at the participant that owns the key. */
export interface Write {
  readonly key: string;
  readonly value: string;
}

/** A client's transaction as the workload issues it. */
export interface TxOp {
  readonly writes: readonly Write[];
}

/** What the coordinator answers a client. `not-coordinator` and `unavailable` make it try again. */
export type TxResult =
  | { readonly ok: true; readonly outcome: 'committed'; readonly tx: string }
  | { readonly ok: false; readonly outcome: 'aborted'; readonly tx: string; readonly reason: string }
  | { readonly ok: false; readonly error: 'not-coordinator'; readonly coordinator: NodeId }
  | { readonly ok: false; readonly error: 'unavailable' | 'stale' | 'bad-op' };

export type Outcome = 'commit' | 'abort';

/** Coordinator: a transaction collecting votes (volatile: lost in a crash, then presumed aborted). */
export interface VotingTx {
  readonly seq: number;
  readonly client: number;
  readonly req: number;
  readonly participants: readonly NodeId[];
  /** Each participant's writes, keyed "n<id>". */
  readonly writes: Readonly<Record<string, readonly Write[]>>;
  readonly yes: readonly NodeId[];
}

/** Coordinator: a commit decision (durable once `needV` is on disk), kept until every participant acked. */
export interface CommitRecord {
  readonly client: number;
  readonly req: number;
  readonly participants: readonly NodeId[];
  /** The write version that holds this record; on disk once durableV reaches it. */
  readonly needV: number;
}

/** The last finished request of a client, so a retried request is answered, not run again. */
export interface Session {
  readonly req: number;
  readonly tx: string;
  readonly outcome: Outcome;
}

/** Write bookkeeping both roles share: every durable change gets a version; writes complete in order. */
export interface WriteState {
  readonly version: number;
  readonly durableV: number;
  /** Failed writes in a row (the rewrite backoff grows with it). */
  readonly rewrites: number;
}

export interface CoordinatorState extends WriteState {
  readonly role: 'coordinator';
  readonly epoch: number;
  /** True once this boot's epoch is on disk: only then may new transactions start. */
  readonly ready: boolean;
  readonly nextSeq: number;
  readonly voting: Readonly<Record<string, VotingTx>>;
  readonly commits: Readonly<Record<string, CommitRecord>>;
  /** Participants that acknowledged each commit (volatile: after a restart every one is asked again). */
  readonly acked: Readonly<Record<string, readonly NodeId[]>>;
  /** Client requests waiting for a transaction's outcome: tx -> request id. */
  readonly waiting: Readonly<Record<string, number>>;
  readonly sessions: Readonly<Record<string, Session>>;
  /** Resends so far per transaction (Prepare while voting, GlobalCommit while committing). */
  readonly resends: Readonly<Record<string, number>>;
}

export type ParticipantStatus = 'prepared' | 'committed' | 'aborted';

/**
 * How a participant came to its status: `vote` (it voted: yes for prepared, no for aborted),
 * `termination` (it had not voted and aborted when a peer asked), `coordinator` or `peer`
 * (it learned the decision).
 */
export type Via = 'vote' | 'termination' | 'coordinator' | 'peer';

export interface ParticipantTx {
  readonly status: ParticipantStatus;
  readonly via: Via;
  /** Staged writes while prepared (applied on commit, dropped on abort). */
  readonly writes: readonly Write[];
  readonly participants: readonly NodeId[];
  readonly reason?: string;
  readonly needV: number;
  /** Peers that asked while this node aborted on their request; answered once the abort is on disk. */
  readonly askers?: readonly NodeId[];
}

/** The coordinator's promise: it will never again send Prepare for a transaction below this. */
export interface Horizon {
  readonly epoch: number;
  readonly low: number;
}

export interface ParticipantState extends WriteState {
  readonly role: 'participant';
  readonly data: Readonly<Record<string, string>>;
  readonly txs: Readonly<Record<string, ParticipantTx>>;
  readonly horizon: Horizon;
  /** DecisionRequest rounds so far per uncertain transaction (volatile). */
  readonly asks: Readonly<Record<string, number>>;
}

export type TpcState = CoordinatorState | ParticipantState;

export interface CoordinatorDurable {
  readonly role: 'coordinator';
  readonly version: number;
  readonly epoch: number;
  readonly commits: Readonly<Record<string, CommitRecord>>;
  readonly sessions: Readonly<Record<string, Session>>;
}

export interface ParticipantDurable {
  readonly role: 'participant';
  readonly version: number;
  readonly data: Readonly<Record<string, string>>;
  readonly txs: Readonly<Record<string, ParticipantTx>>;
  readonly horizon: Horizon;
}

export type TpcDurable = CoordinatorDurable | ParticipantDurable;

export type TpcMessage =
  | { readonly type: 'Prepare'; readonly tx: string; readonly writes: readonly Write[]; readonly participants: readonly NodeId[]; readonly low: number }
  | { readonly type: 'VoteCommit'; readonly tx: string }
  | { readonly type: 'VoteAbort'; readonly tx: string }
  | { readonly type: 'GlobalCommit'; readonly tx: string }
  | { readonly type: 'GlobalAbort'; readonly tx: string }
  | { readonly type: 'Ack'; readonly tx: string }
  | { readonly type: 'DecisionRequest'; readonly tx: string }
  | { readonly type: 'DecisionReply'; readonly tx: string; readonly outcome: Outcome };

/** "prepare:<tx>" | "resend:<tx>" | "ask:<tx>" | "rewrite" */
export type TpcTimer = string;

export type TpcBug = 'commit-on-timeout' | 'forget-prepared' | 'ack-before-durable' | 'forget-before-acks' | 'never-ask' | 'ignore-early-abort' | null;

const keys: string[] = [];
export const peerKey = (id: NodeId): string => (Number.isInteger(id) && id > 0 && id <= 4096 ? (keys[id] ??= `n${id}`) : `n${id}`);

/** "<epoch>.<seq>" */
export const txId = (epoch: number, seq: number): string => `${epoch}.${seq}`;

/** The epoch and sequence number of a transaction id, or undefined when it is not one (a corrupted message). */
export function parseTx(tx: unknown): { epoch: number; seq: number } | undefined {
  if (typeof tx !== 'string') return undefined;
  const m = /^(\d{1,15})\.(\d{1,15})$/.exec(tx);
  if (!m) return undefined;
  return { epoch: Number(m[1]), seq: Number(m[2]) };
}
