// Two-phase commit (Gray 1978; Bernstein, Hadzilacos and Goodman ch. 7) with presumed abort
// (Mohan, Lindsay and Obermarck 1986) as a pure state machine. The coordinator (config
// `coordinator`) runs client transactions: Prepare to the participants whose keys they write,
// commit if every one votes yes within the prepare timeout, else abort; commit decisions are
// written before they are sent and resent until every participant acknowledges, aborts are not
// written (a coordinator with no record answers abort). Participants write their vote before
// sending it, hold locks while prepared (uncertain), ask for the outcome when it is late, and with
// `termination` ask each other (the cooperative termination protocol). Both recover from their
// logs on restart. Phase one is in coordinator.ts and participant.ts, phase two and recovery in
// coordinatorCommit.ts and participantDecisions.ts, writes in turn.ts.
// Tolerates: crashes at any point, loss, duplication, reordering, partitions, full disks (a failed
// write is retried; nothing it guards leaves first). Leaves out: byzantine participants, a
// corrupted log (both outside 2PC's fault model) and replacing a coordinator that never returns.
import type { Input, NodeContext, NodeId, Protocol } from '../../sim/types.ts';
import type { TpcConfig } from './config.ts';
import { onClientRequest, onPrepareTimeout, onVote, type CT } from './coordinator.ts';
import { coordinatorDurable, coordinatorDurableUpTo, initCoordinator, onAck, onDecisionRequest, onResend } from './coordinatorCommit.ts';
import { onPrepare, type PT } from './participant.ts';
import { initParticipant, onAskTimer, onDecision, onPeerAsk, participantDurable, participantDurableUpTo } from './participantDecisions.ts';
import { onPersisted, onRewrite, runTurn } from './turn.ts';
import type { CoordinatorDurable, CoordinatorState, ParticipantDurable, ParticipantState, TpcBug, TpcDurable, TpcMessage, TpcState, TpcTimer } from './types.ts';

type TpcInput = Input<TpcMessage, TpcTimer>;

export function createTwoPhaseCommit(cfg: TpcConfig, bug: TpcBug): Protocol<TpcState, TpcMessage, TpcTimer, TpcDurable> {
  return {
    name: '2pc',
    init(ctx, durable) {
      if (ctx.id === cfg.coordinator) return initCoordinator(ctx, cfg, bug, readDurable(durable, 'coordinator') as CoordinatorDurable | undefined);
      return initParticipant(ctx, cfg, bug, readDurable(durable, 'participant') as ParticipantDurable | undefined);
    },
    step(state, input: TpcInput, ctx) {
      if (state.role === 'coordinator') return runTurn(state, ctx, cfg, bug, coordinatorDurable, (t) => coordinatorStep(t, input));
      return runTurn(state, ctx, cfg, bug, participantDurable, (t) => participantStep(t, input, ctx));
    },
  };
}

/** The durable record if it is one of this role's (a fresh disk, or a node that changed role, reads as none). */
function readDurable(durable: unknown, role: TpcState['role']): TpcDurable | undefined {
  if (typeof durable !== 'object' || durable === null || (durable as { role?: unknown }).role !== role) return undefined;
  return Number.isSafeInteger((durable as { version?: unknown }).version) ? (durable as TpcDurable) : undefined;
}

const txOf = (msg: TpcMessage): string | undefined => (typeof msg.tx === 'string' ? msg.tx : undefined);

function coordinatorStep(t: CT, input: TpcInput): void {
  switch (input.kind) {
    case 'request': return onClientRequest(t, input.requestId, input.client, input.op);
    case 'persisted': return onPersisted(t, input.token, input.ok, coordinatorDurableUpTo);
    case 'timer': return coordinatorTimer(t, input.timer);
    case 'message': {
      const tx = txOf(input.msg);
      if (tx === undefined) return;
      switch (input.msg.type) {
        case 'VoteCommit': return onVote(t, input.from, tx, true);
        case 'VoteAbort': return onVote(t, input.from, tx, false);
        case 'Ack': return onAck(t, input.from, tx);
        case 'DecisionRequest': return onDecisionRequest(t, input.from, tx);
        default: return;
      }
    }
  }
}

function coordinatorTimer(t: CT, timer: TpcTimer): void {
  if (timer === 'rewrite') return onRewrite(t);
  const colon = timer.indexOf(':');
  const kind = timer.slice(0, colon);
  const tx = timer.slice(colon + 1);
  if (kind === 'prepare') return onPrepareTimeout(t, tx);
  if (kind === 'resend') return onResend(t, tx);
}

function participantStep(t: PT, input: TpcInput, ctx: NodeContext): void {
  switch (input.kind) {
    case 'request': return void t.effects.push({ kind: 'reply', requestId: input.requestId, result: { ok: false, error: 'not-coordinator', coordinator: t.cfg.coordinator } });
    case 'persisted': return onPersisted(t, input.token, input.ok, participantDurableUpTo);
    case 'timer':
      if (input.timer === 'rewrite') return onRewrite(t);
      if (input.timer.startsWith('ask:')) return onAskTimer(t, input.timer.slice(4));
      return;
    case 'message': return participantMessage(t, input.from, input.msg, ctx);
  }
}

function participantMessage(t: PT, from: NodeId, msg: TpcMessage, ctx: NodeContext): void {
  const tx = txOf(msg);
  if (tx === undefined || from === ctx.id) return;
  const fromCoordinator = from === t.cfg.coordinator;
  switch (msg.type) {
    case 'Prepare': return onPrepare(t, from, msg);
    case 'GlobalCommit': return fromCoordinator ? onDecision(t, from, tx, 'commit') : undefined;
    case 'GlobalAbort': return fromCoordinator ? onDecision(t, from, tx, 'abort') : undefined;
    case 'DecisionReply': return !fromCoordinator && (msg.outcome === 'commit' || msg.outcome === 'abort') ? onDecision(t, from, tx, msg.outcome) : undefined;
    case 'DecisionRequest': return fromCoordinator ? undefined : onPeerAsk(t, from, tx);
    default: return;
  }
}

export type { CoordinatorState, ParticipantState, TpcBug };
