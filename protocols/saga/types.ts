// The saga's state, messages, timers and results as plain JSON (traces carry them). A saga is one
// client order (its id is the client's request id) made of four steps, each owned by one service:
// order (create / cancel), payment (charge / refund), inventory (reserve / release) and shipping
// (schedule / cancel). Per-saga records are kept in a small tree of arrays (buckets.ts), so a step
// copies one short path rather than every saga of the run. Leaves out: amounts and stock levels (a step
// is applied or refused; its business effect is a note).
import type { BreakerState } from '../patterns/circuitBreaker.ts';
import type { BulkheadState } from '../patterns/bulkhead.ts';
import type { RetryState } from '../patterns/retry.ts';
import type { Buckets } from './buckets.ts';
import type { Journal, PendingNote } from './journal.ts';

export type SagaBug = 'non-idempotent-compensation' | 'non-idempotent-step' | 'forward-order-compensation' | 'volatile-saga-log' | null;

export type Variant = 'orchestration' | 'choreography';

/** A step's index: 0 order, 1 payment, 2 inventory, 3 shipping. */
export type StepIndex = number;

export type Outcome = 'completed' | 'compensated';

/** What a client sends: place an order (the amount only makes histories readable). */
export interface PlaceOrder {
  readonly f: 'place-order';
  readonly amount: number;
}

export type SagaResult =
  | { readonly ok: true; readonly saga: number; readonly outcome: Outcome; readonly why?: string }
  | { readonly ok: false; readonly error: 'redirect'; readonly to: number };

/**
 * A service's record of its step in one saga. applied and refused answer a step request;
 * compensated means applied and then undone; cancelled means the compensation came first (a
 * tombstone: the step will be refused if its request turns up late).
 */
export type StepStatus = 'applied' | 'refused' | 'compensated' | 'cancelled';

/** An event a choreographed service must deliver (re-sent until acknowledged). */
export interface OutEvent {
  readonly type: SagaEventType;
  readonly to: number;
  /** Compensation events: the step that failed (it decides the compensation chain). */
  readonly failedAt?: StepIndex;
}

export interface StepRecord {
  readonly s: StepStatus;
  /** Token of the write that holds this version (durable once the journal reached it). */
  readonly v: number;
  /** Choreography: the event this record still owes its neighbour. */
  readonly out?: OutEvent;
  /** Choreography, order service: how the saga ended. */
  readonly end?: Outcome;
  readonly why?: string;
}

/** Orchestrator: one running saga in the durable log. */
export interface SagaEntry {
  readonly saga: number;
  readonly phase: 'forward' | 'compensating';
  /** forward: the step being run. */
  readonly step: StepIndex;
  /** compensating: steps still to undo, next first. */
  readonly undo: readonly StepIndex[];
  readonly why?: string;
  readonly v: number;
}

export interface EndedEntry {
  readonly o: Outcome;
  readonly why?: string;
  readonly v: number;
}

/** Orchestrator: the call in progress for one saga (volatile; rebuilt from the log on restart). */
export interface Call {
  readonly saga: number;
  readonly action: 'do' | 'undo';
  readonly step: StepIndex;
  /** queued: waiting for a bulkhead slot; waiting: sent, reply due; backoff: a retry is scheduled. */
  readonly phase: 'queued' | 'waiting' | 'backoff';
  readonly retry: RetryState;
  /** The breaker generation the waiting attempt was admitted in. */
  readonly gen: number | null;
}

export interface OrchestratorState {
  readonly role: 'orchestrator';
  readonly active: readonly SagaEntry[];
  readonly ended: Buckets<EndedEntry>;
  readonly calls: readonly Call[];
  /** Per service name. Volatile: a restarted orchestrator starts with closed breakers and empty bulkheads. */
  readonly breakers: Readonly<Record<string, BreakerState>>;
  readonly bulkheads: Readonly<Record<string, BulkheadState>>;
  readonly journal: Journal;
}

/** Choreography: the retry state of an owed event. */
export interface Resend {
  readonly saga: number;
  readonly retry: RetryState;
}

export interface ServiceState {
  readonly role: 'service';
  readonly step: StepIndex;
  readonly records: Buckets<StepRecord>;
  /** Choreography: retry state of each saga's owed event (volatile). */
  readonly resend: readonly Resend[];
  readonly journal: Journal;
}

/** A node beyond the ones the variant uses: it sends clients on to n1 and ignores the rest. */
export interface SpareState {
  readonly role: 'spare';
}

export type SagaState = OrchestratorState | ServiceState | SpareState;

export interface OrchestratorDurable {
  readonly seq: number;
  readonly active: readonly SagaEntry[];
  readonly ended: Buckets<EndedEntry>;
  /** Notes not yet announced when this was written (announced again at boot). */
  readonly notes: readonly PendingNote[];
}

export interface ServiceDurable {
  readonly seq: number;
  readonly records: Buckets<StepRecord>;
  readonly notes: readonly PendingNote[];
}

export type StepReplyResult = 'applied' | 'refused' | 'cancelled';

/** Choreography events, by what happened to which step (see steps.ts). */
export type SagaEventType =
  | 'OrderCreated' | 'PaymentCharged' | 'InventoryReserved' | 'ShipmentScheduled'
  | 'PaymentDeclined' | 'OutOfStock' | 'ShipmentRefused'
  | 'OrderCancelled' | 'PaymentRefunded' | 'InventoryReleased' | 'ShipmentCancelled';

export type SagaMessage =
  | { readonly type: 'StepRequest'; readonly saga: number; readonly step: StepIndex }
  | { readonly type: 'StepReply'; readonly saga: number; readonly step: StepIndex; readonly result: StepReplyResult }
  | { readonly type: 'CompensationRequest'; readonly saga: number; readonly step: StepIndex }
  | { readonly type: 'CompensationReply'; readonly saga: number; readonly step: StepIndex }
  | { readonly type: SagaEventType; readonly saga: number; readonly failedAt?: StepIndex }
  | { readonly type: 'EventAck'; readonly saga: number; readonly event: SagaEventType };

/** "c<saga>" (orchestrator call), "e<saga>" (choreography resend) or "flush" (rewrite after a failed write). */
export type SagaTimer = string;
