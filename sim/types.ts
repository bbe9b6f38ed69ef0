// The pure protocol interface (DESIGN.md section 2): a node receives an Input and returns its next
// state plus Effects; the engine applies the effects. Nothing here does I/O or reads a clock.
// Leaves out: any notion of a concrete protocol; the engine never imports one.
import type { Rng } from './rng.ts';

/** Nodes are numbered 1..N; they are shown as n1..nN. Peer lists are sorted ascending. */
export type NodeId = number;

// DESIGN.md listed a 'start' input as well; init(ctx, durable) already is the start (first boot
// with durable undefined, restart with what the disk kept), so a separate input would be a second
// way to say the same thing and is left out.
export type Input<M, T> =
  | { kind: 'message'; from: NodeId; msg: M }
  | { kind: 'timer'; timer: T }
  /** A client's operation; requestId is the same on every attempt, so (client, requestId) identifies it for deduplication. */
  | { kind: 'request'; requestId: number; client: number; op: unknown }
  | { kind: 'persisted'; token: number; ok: boolean };

export type Effect<M, T> =
  | { kind: 'send'; to: NodeId; msg: M }
  /** afterUs is in the node's LOCAL clock; re-setting a pending timer re-arms it. */
  | { kind: 'setTimer'; timer: T; afterUs: number }
  | { kind: 'cancelTimer'; timer: T }
  /** data replaces the node's whole durable state once the write completes. */
  | { kind: 'persist'; token: number; data: unknown }
  | { kind: 'reply'; requestId: number; result: unknown }
  | { kind: 'note'; name: string; data?: unknown };

export interface Step<S, M, T> {
  state: S;
  effects: readonly Effect<M, T>[];
}

export interface NodeContext {
  readonly id: NodeId;
  /** All other nodes, sorted ascending. */
  readonly peers: readonly NodeId[];
  /** This node's LOCAL clock reading in microseconds (skew, drift and stop apply). */
  readonly nowUs: number;
  /** This node's own random stream (fork 'node:<id>'). */
  readonly rng: Rng;
  /** Protocol configuration, already defaulted and validated. */
  readonly config: Readonly<Record<string, unknown>>;
}

/** Messages are discriminated unions on `type`; timers are strings or small JSON values. */
export interface Message {
  readonly type: string;
}

export interface Protocol<S, M extends Message, T, D> {
  readonly name: string;
  init(ctx: NodeContext, durable: D | undefined): Step<S, M, T>;
  step(state: S, input: Input<M, T>, ctx: NodeContext): Step<S, M, T>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProtocol = Protocol<any, Message, any, any>;

export const nodeName = (id: NodeId): string => `n${id}`;

/** A node's timer identity: a string timer is its own key; anything else is keyed by its JSON. */
export function timerKey(timer: unknown): string {
  return typeof timer === 'string' ? timer : JSON.stringify(timer);
}
