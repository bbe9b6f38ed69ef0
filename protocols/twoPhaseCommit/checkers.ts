// 2PC's safety checkers, built from notes and boots only (txNotes.ts lists the notes):
//  - atomicity (always): no transaction is committed at one node and aborted at another (the
//    coordinator's decision included, and a reboot's presumed aborts);
//  - stable-decision (always): a node's outcome for a transaction never changes, across restarts;
//  - valid-commit (always): a transaction commits only if every one of its participants voted yes
//    first (none voted no, none is missing);
//  - no-unilateral-abort (always): a participant that voted yes does not, before it learns the
//    outcome, abort on its own, vote again, or lose the transaction (the design notes' "no
//    unilateral abort after voting yes");
//  - no-vote-after-outcome (always): a participant never votes yes on a transaction whose outcome
//    it has already learned in this life (it would prepare, and lock keys for, a transaction that
//    is over: an orphaned prepare, in doubt until it asks). A GlobalAbort may overtake its Prepare.
// From a fault outside the fault model (faultModel.ts) on, they stand down and say why (n/a); a
// violation seen before it still counts. Liveness is in termination.ts.
import type { AlwaysChecker, Checker } from '../../sim/checker.ts';
import { humanDuration } from '../../sim/duration.ts';
import type { FaultPlan } from '../../sim/faultPlan.ts';
import type { RunOptions } from '../../sim/runOptions.ts';
import type { ObservedEvent } from '../../sim/traceEvents.ts';
import type { NodeId } from '../../sim/types.ts';
import type { TpcConfig } from './config.ts';
import { outsideFaultModel } from './faultModel.ts';
import { coordinatorRecovered, resolvedByPeer, termination } from './termination.ts';
import { TxLedger } from './txNotes.ts';
import type { Outcome } from './types.ts';

function always(name: string, description: string, check: (e: ObservedEvent) => string | undefined): AlwaysChecker {
  let violation: string | undefined;
  let standDown: string | undefined;
  return {
    name, kind: 'always', description,
    observe(e) {
      standDown ??= outsideFaultModel(e);
      if (standDown === undefined) violation ??= check(e);
    },
    broken: () => violation,
    inapplicable: () => (violation === undefined && standDown !== undefined ? `checked until ${standDown}` : undefined),
  };
}

const word = (o: Outcome): string => (o === 'commit' ? 'committed' : 'aborted');

export function atomicity(ledger: TxLedger): AlwaysChecker {
  const who = (n: NodeId): string => (n === ledger.coordinator ? `the coordinator n${n}` : `n${n}`);
  return always('atomicity', 'no transaction is committed at one node and aborted at another', (e) => {
    for (const d of ledger.observe(e).decisions) {
      if (d.clash !== undefined) return `transaction ${d.tx} was ${word(d.outcome === 'commit' ? 'abort' : 'commit')} at ${who(d.clash)} and ${word(d.outcome)} at ${who(d.node)}${d.implied ? ' (presumed abort after its restart)' : ''}`;
    }
    return undefined;
  });
}

export function stableDecision(ledger: TxLedger): AlwaysChecker {
  return always('stable-decision', 'a node\'s outcome for a transaction never changes, across restarts too', (e) => {
    for (const d of ledger.observe(e).decisions) {
      if (d.changed) return `n${d.node} ${word(d.changed.outcome)} transaction ${d.tx} at ${humanDuration(d.changed.t)} and ${word(d.outcome)} it at ${humanDuration(e.t)}`;
    }
    return undefined;
  });
}

export function validCommit(ledger: TxLedger): AlwaysChecker {
  const yes = new Map<string, NodeId[]>();
  const no = new Map<string, NodeId[]>();
  const checked = new Set<string>();
  const add = (m: Map<string, NodeId[]>, tx: string, node: NodeId): void => {
    const list = m.get(tx);
    if (list) list.push(node);
    else m.set(tx, [node]);
  };
  const judge = (tx: string, node: NodeId): string | undefined => {
    const participants = ledger.begun.get(tx)?.participants;
    if (!participants || checked.has(tx)) return undefined;
    checked.add(tx);
    const refused = participants.filter((p) => no.get(tx)?.includes(p));
    if (refused.length > 0) return `transaction ${tx} was committed (at n${node}) although n${refused[0]} voted no`;
    const missing = participants.filter((p) => !yes.get(tx)?.includes(p));
    if (missing.length > 0) return `transaction ${tx} was committed (at n${node}) without a yes vote from ${missing.map((p) => `n${p}`).join(', ')}`;
    return undefined;
  };
  return always('valid-commit', 'a transaction commits only if every one of its participants voted yes first', (e) => {
    const { note, decisions } = ledger.observe(e);
    if (note?.name === 'prepared') add(yes, note.tx, note.node);
    if (note?.name === 'decided' && note.via === 'vote') add(no, note.tx, note.node);
    for (const d of decisions) {
      const wrong = d.outcome === 'commit' ? judge(d.tx, d.node) : undefined;
      if (wrong) return wrong;
    }
    return undefined;
  });
}

export function noUnilateralAbort(ledger: TxLedger): AlwaysChecker {
  const uncertain = new Map<string, Map<NodeId, number>>();
  return always('no-unilateral-abort', 'a participant that voted yes waits for the outcome: it never aborts on its own, votes again or forgets the transaction', (e) => {
    const note = ledger.observe(e).note;
    if (!note || note.name === 'begin') return undefined;
    const byNode = uncertain.get(note.tx);
    if (note.name === 'prepared') {
      if (byNode) byNode.set(note.node, e.t);
      else uncertain.set(note.tx, new Map([[note.node, e.t]]));
      return undefined;
    }
    const since = byNode?.get(note.node);
    if (since === undefined) return undefined;
    if (note.name === 'unknown-commit') return `n${note.node} voted yes on transaction ${note.tx} at ${humanDuration(since)} and then lost it: told to commit it, it had no record of it`;
    if (note.name !== 'decided') return undefined;
    if (note.via === 'vote' || note.via === 'termination') return `n${note.node} voted yes on transaction ${note.tx} at ${humanDuration(since)} and then aborted it on its own (${note.reason ?? note.via})`;
    byNode?.delete(note.node);
    if (byNode?.size === 0) uncertain.delete(note.tx);
    return undefined;
  });
}

export function noVoteAfterOutcome(ledger: TxLedger): AlwaysChecker {
  const learned = new Map<string, Outcome>(); // "node:tx" -> the outcome it learned in this life
  return always('no-vote-after-outcome', 'a participant never votes yes on a transaction whose outcome it already learned', (e) => {
    if (e.kind === 'boot') for (const key of [...learned.keys()]) if (key.startsWith(`${e.node}:`)) learned.delete(key);
    const note = ledger.observe(e).note;
    if (note?.name === 'decided' && note.node !== ledger.coordinator) learned.set(`${note.node}:${note.tx}`, note.outcome);
    const before = note?.name === 'prepared' ? learned.get(`${note.node}:${note.tx}`) : undefined;
    return before === undefined || !note ? undefined : `n${note.node} voted yes on transaction ${note.tx} after it had learned it ${word(before)} (${humanDuration(e.t)}): it prepared a transaction that was already over`;
  });
}

export function tpcCheckers(config: TpcConfig, options: RunOptions, plan: FaultPlan): Checker[] {
  const ledger = new TxLedger(config.coordinator);
  return [noUnilateralAbort(ledger), validCommit(ledger), stableDecision(ledger), atomicity(ledger), noVoteAfterOutcome(ledger), termination(config, options, plan, ledger), resolvedByPeer(ledger), coordinatorRecovered(ledger)];
}
