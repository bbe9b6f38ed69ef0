// 2PC's liveness: once faults stop, every transaction ends. The `termination` check (eventually):
// by its deadline after the heal phase began, every transaction begun more than a window ago has
// a decision at the coordinator (or was presumed aborted by its reboot), every participant that is
// up and voted yes on it more than a window ago has learned the outcome, and no client operation
// invoked a window or more into the heal phase timed out. The window is what one transaction
// needs in a healed cluster: the prepare timeout, one ask and one resend at their longest backoff,
// a rewrite after a full disk, message delays and clocks set back. Not owed when the coordinator
// is down at the deadline (a crash it never restarted from: 2PC blocks until it returns, which is
// the protocol's known weakness, not a bug), after a fault outside the fault model, or when the
// client timeout is too short for the prepare timeout. Two sometimes-checks show the termination
// protocol and recovery at work. Leaves out: fairness between clients.
import type { Checker, CheckerView, EventuallyChecker, SometimesChecker } from '../../sim/checker.ts';
import { humanDuration } from '../../sim/duration.ts';
import type { FaultPlan } from '../../sim/faultPlan.ts';
import type { RunOptions } from '../../sim/runOptions.ts';
import type { ObservedEvent } from '../../sim/traceEvents.ts';
import type { NodeId } from '../../sim/types.ts';
import { clockSetBackUs, maxMessageDelayUs } from '../shared/runBounds.ts';
import { BACKOFF_CAP, REWRITE_MAX_US, type TpcConfig } from './config.ts';
import { outsideFaultModel } from './faultModel.ts';
import { TxLedger } from './txNotes.ts';

/** How long one transaction may take to end in a healed cluster. */
export function windowUs(config: TpcConfig, options: RunOptions, plan: FaultPlan): number {
  return config.prepareTimeout + BACKOFF_CAP * (config.askAfter + config.resend) + REWRITE_MAX_US + 10 * maxMessageDelayUs(options, plan) + clockSetBackUs(plan);
}

/** Client operations need at least the prepare timeout and a few resends to get an answer. */
const clientTimeoutFloorUs = (config: TpcConfig): number => config.prepareTimeout + BACKOFF_CAP * config.resend;

/** The window to end what the faults left behind, then client operations judged for half a window more. */
export function terminationDeadlineUs(config: TpcConfig, options: RunOptions, plan: FaultPlan): number {
  const w = windowUs(config, options, plan);
  return w + Math.ceil(w / 2) + (options.clients.count > 0 ? options.clients.timeoutUs : 0);
}

export function termination(config: TpcConfig, options: RunOptions, plan: FaultPlan, ledger = new TxLedger(config.coordinator)): EventuallyChecker {
  const coordinator = config.coordinator;
  const windowLen = windowUs(config, options, plan);
  const uncertain = new Map<string, { node: NodeId; tx: string; t: number }>();
  const invoked = new Map<number, number>();
  const timedOut: { req: number; t: number }[] = [];
  let notOwed: string | undefined;
  if (options.clients.count > 0 && options.clients.timeoutUs < clientTimeoutFloorUs(config)) {
    notOwed = `the client timeout (${humanDuration(options.clients.timeoutUs)}) is shorter than the prepare timeout plus resends (${humanDuration(clientTimeoutFloorUs(config))}), so answers are not owed in time`;
  }
  return {
    name: 'termination',
    kind: 'eventually',
    description: 'after the heal phase every transaction ends: it is decided, every participant that voted yes learns the outcome, and clients get answers',
    deadlineUs: terminationDeadlineUs(config, options, plan),
    observe(e: ObservedEvent, view: CheckerView) {
      const outside = outsideFaultModel(e);
      if (outside !== undefined) notOwed ??= `not owed after ${outside}`;
      const note = ledger.observe(e).note;
      if (note?.name === 'prepared') uncertain.set(`${note.node}:${note.tx}`, { node: note.node, tx: note.tx, t: e.t });
      if (note?.name === 'decided') uncertain.delete(`${note.node}:${note.tx}`);
      if (e.kind === 'invoke') invoked.set(e.req, e.t);
      if (e.kind === 'complete' && e.outcome === 'info' && view.phase === 'heal' && (invoked.get(e.req) ?? 0) >= view.healStartUs + windowLen) timedOut.push({ req: e.req, t: e.t });
    },
    inapplicable: () => notOwed,
    unmet(view: CheckerView) {
      if (!view.isUp(coordinator)) notOwed ??= `the coordinator n${coordinator} is down for good: 2PC blocks until it returns, so no progress is owed`;
      if (notOwed !== undefined) return undefined;
      const before = view.nowUs - windowLen;
      for (const [tx, b] of ledger.begun) if (b.t <= before && !ledger.decided.has(tx)) return `transaction ${tx} (begun at ${humanDuration(b.t)}) has no decision`;
      for (const u of uncertain.values()) {
        if (u.t <= before && view.isUp(u.node)) return `n${u.node} is still uncertain about transaction ${u.tx} (it voted yes at ${humanDuration(u.t)})`;
      }
      const first = timedOut[0];
      if (first) return `client request ${first.req} timed out at ${humanDuration(first.t)}, more than ${humanDuration(windowLen)} into the heal phase`;
      return undefined;
    },
  };
}

/** Sometimes: an uncertain participant learned the outcome from another participant. */
export function resolvedByPeer(ledger: TxLedger): SometimesChecker {
  let reached = false;
  return {
    name: 'resolved-by-peer',
    kind: 'sometimes',
    description: 'an uncertain participant learns the outcome from another participant (cooperative termination)',
    observe(e) {
      const note = ledger.observe(e).note;
      if (note?.name === 'decided' && note.via === 'peer') reached = true;
    },
    reached: () => reached,
  };
}

/** Sometimes: a participant uncertain while the coordinator was down learned the outcome after it came back. */
export function coordinatorRecovered(ledger: TxLedger): SometimesChecker {
  const coordinator = ledger.coordinator;
  const open = new Set<string>();
  const blocked = new Set<string>();
  let down = false;
  let reached = false;
  return {
    name: 'blocked-until-coordinator-returned',
    kind: 'sometimes',
    description: 'a participant uncertain while the coordinator is down blocks, and learns the outcome after the coordinator restarts',
    observe(e) {
      if (e.kind === 'fault' && e.phase === 'start' && e.fault.type === 'crash' && e.fault.node === coordinator) {
        down = true;
        for (const k of open) blocked.add(k);
      }
      if (e.kind === 'boot' && e.node === coordinator) down = false;
      const note = ledger.observe(e).note;
      if (!note) return;
      const key = `${note.node}:${note.tx}`;
      if (note.name === 'prepared') {
        open.add(key);
        if (down) blocked.add(key);
      }
      if (note.name === 'decided') {
        open.delete(key);
        if (!down && blocked.has(key)) reached = true;
        blocked.delete(key);
      }
    },
    reached: () => reached,
  };
}

export type { Checker };
