// One step of a saga node in progress: the working copy of its state (copy on write), the node's
// context, the settings and policies, the effects so far, and whether the step writes to disk.
// A step that changes durable data sets `write`; the step then ends with one persist of the
// node's whole durable state, which the engine completes before any of the step's sends and
// replies leave; what depends on earlier changes not yet on disk waits for them (journal.ts). Leaves out: anything
// role-specific (orchestrator.ts, service.ts, choreography.ts).
import type { NodeContext, NodeId, Step } from '../../sim/types.ts';
import { finish, type Working } from '../shared/copyOnWrite.ts';
import type { SagaConfig, SagaPolicies } from './config.ts';
import { dirty, issued, writing, type SagaEffect } from './journal.ts';
import type { OrchestratorState, SagaBug, SagaMessage, SagaState, SagaTimer, ServiceState } from './types.ts';

export interface Env {
  readonly cfg: SagaConfig;
  readonly pol: SagaPolicies;
  readonly bug: SagaBug;
  /** Orchestrator: a forward step used up its retry budget (sagaLog.ts compensates). */
  readonly onGiveUp?: (t: Turn<OrchestratorState>, saga: number) => void;
}

export interface Turn<S extends OrchestratorState | ServiceState> extends Env {
  readonly s: Working<S>;
  readonly ctx: NodeContext;
  readonly effects: SagaEffect[];
  /** The token of this step's write, if it makes one: the version of every record it changes. */
  readonly v: number;
  write: boolean;
}

export type SagaStep = Step<SagaState, SagaMessage, SagaTimer>;

/** Runs `body` on a working copy; adds the write if the body asked for one. */
export function runTurn<S extends OrchestratorState | ServiceState>(
  state: S, ctx: NodeContext, env: Env, body: (t: Turn<S>) => void, durableOf: (s: Working<S>, seq: number) => unknown,
): SagaStep {
  const s = { ...state } as Working<S>;
  const t: Turn<S> = { cfg: env.cfg, pol: env.pol, bug: env.bug, onGiveUp: env.onGiveUp, s, ctx, effects: [], v: state.journal.seq + 1, write: false };
  body(t);
  if (t.write) {
    s.journal = issued(s.journal, t.v);
    t.effects.unshift({ kind: 'persist', token: t.v, data: durableOf(s, t.v) });
  }
  return { state: finish(state, s), effects: t.effects };
}

export function send(t: Turn<OrchestratorState | ServiceState>, to: NodeId, msg: SagaMessage): void {
  t.effects.push({ kind: 'send', to, msg });
}

export function note(t: Turn<OrchestratorState | ServiceState>, name: string, data: unknown): void {
  t.effects.push({ kind: 'note', name, data });
}

/** A note about a durable change: emitted once this step's write is on disk; it carries the write's token as v. */
export function durableNote(t: Turn<OrchestratorState | ServiceState>, name: string, data: Readonly<Record<string, unknown>>): void {
  t.s.journal = { ...t.s.journal, notes: [...t.s.journal.notes, { seq: t.v, name, data: { ...data, v: t.v } }] };
  t.write = true;
}

/**
 * Sends (or replies) `effect`, which tells of durable data up to version v, once that is on disk:
 * now if it is, or if this step writes (the engine holds the effect behind the write); behind the
 * write in flight if there is one; else (the last write failed) behind a new write.
 */
export function emitWhenDurable(t: Turn<OrchestratorState | ServiceState>, effect: SagaEffect, v: number): void {
  const j = t.s.journal;
  if (v <= j.durable || t.write) return void t.effects.push(effect);
  if (writing(j)) return void (t.s.journal = { ...j, held: [...j.held, { until: j.seq, effect }] });
  t.write = true;
  t.effects.push(effect);
}

/** The flush timer: a write failed and something is still not on disk, so write again. */
export function flush(t: Turn<OrchestratorState | ServiceState>): void {
  if (dirty(t.s.journal) && !writing(t.s.journal)) t.write = true;
}

export function setTimer(t: Turn<OrchestratorState | ServiceState>, timer: SagaTimer, afterUs: number): void {
  t.effects.push({ kind: 'setTimer', timer, afterUs: Math.max(0, Math.ceil(afterUs)) });
}

export function cancelTimer(t: Turn<OrchestratorState | ServiceState>, timer: SagaTimer): void {
  t.effects.push({ kind: 'cancelTimer', timer });
}
