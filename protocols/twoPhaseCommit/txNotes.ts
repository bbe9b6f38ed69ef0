// The notes 2PC emits, and what checkers and metrics fold from them (never from node state, except
// the coordinator's boot state):
//   coordinator: begin {tx, client, req, participants}, decided {tx, outcome, reason?},
//                recover {epoch, commits}
//   participant: prepared {tx, recovered?} (its yes vote is on disk and sent: it is uncertain
//                from here; noted again, recovered, for each prepared record read back on restart),
//                decided {tx, outcome, via, reason?} (via: vote = its own no vote, termination =
//                it had not voted and aborted when a peer asked, coordinator or peer = learned),
//                unknown-commit {tx} (told to commit a transaction it has no record of: one it
//                finished and dropped, or, if it voted yes and never learned the outcome, one it
//                lost with its log), recover {prepared}
// A coordinator that boots again has lost every transaction it had not decided, except the
// commit decisions its log holds (its boot state lists them): the rest are presumed aborted.
// TxLedger turns a boot into those implied decisions, and keeps every node's first outcome per
// transaction. Several checkers share one ledger and each passes it every event: the same event
// a second time is not folded again.
import type { ObservedEvent } from '../../sim/traceEvents.ts';
import type { NodeId } from '../../sim/types.ts';
import type { Outcome, Via } from './types.ts';

export type TxNote =
  | { node: NodeId; name: 'begin'; tx: string; participants: NodeId[] }
  | { node: NodeId; name: 'decided'; tx: string; outcome: Outcome; via?: Via; reason?: string }
  | { node: NodeId; name: 'prepared' | 'unknown-commit'; tx: string };

export function txNote(e: ObservedEvent): TxNote | undefined {
  if (e.kind !== 'note') return undefined;
  const d = (e.data ?? {}) as Record<string, unknown>;
  if (typeof d.tx !== 'string') return undefined;
  if (e.name === 'begin') return { node: e.node, name: 'begin', tx: d.tx, participants: Array.isArray(d.participants) ? (d.participants as NodeId[]) : [] };
  if (e.name === 'decided' && (d.outcome === 'commit' || d.outcome === 'abort')) {
    return { node: e.node, name: 'decided', tx: d.tx, outcome: d.outcome, ...(typeof d.via === 'string' ? { via: d.via as Via } : {}), ...(typeof d.reason === 'string' ? { reason: d.reason } : {}) };
  }
  if (e.name === 'prepared' || e.name === 'unknown-commit') return { node: e.node, name: e.name, tx: d.tx };
  return undefined;
}

export interface Decision {
  tx: string;
  node: NodeId;
  outcome: Outcome;
  /** Implied by a coordinator reboot rather than noted. */
  implied: boolean;
  /** Another node that reached the other outcome earlier, if any. */
  clash?: NodeId;
  /** This node's own earlier, different outcome and when, if any. */
  changed?: { outcome: Outcome; t: number };
}

export interface Fold {
  note: TxNote | undefined;
  decisions: Decision[];
}

const NOTHING: Fold = { note: undefined, decisions: [] };

export class TxLedger {
  readonly begun = new Map<string, { t: number; participants: NodeId[] }>();
  /** The coordinator's first outcome per transaction (noted, or implied by a reboot). */
  readonly decided = new Map<string, Outcome>();
  /** Every node's first outcome per transaction, and when. */
  readonly outcomes = new Map<string, Map<NodeId, { outcome: Outcome; t: number }>>();
  private readonly undecided = new Set<string>();
  private last: ObservedEvent | undefined;
  private lastFold: Fold = NOTHING;

  constructor(readonly coordinator: NodeId) {}

  observe(e: ObservedEvent): Fold {
    if (e === this.last) return this.lastFold;
    this.last = e;
    this.lastFold = this.fold(e);
    return this.lastFold;
  }

  private fold(e: ObservedEvent): Fold {
    if (e.kind === 'boot') return e.node === this.coordinator ? { note: undefined, decisions: this.reboot(e) } : NOTHING;
    const note = txNote(e);
    if (!note) return NOTHING;
    if (note.name === 'begin' && note.node === this.coordinator) {
      this.begun.set(note.tx, { t: e.t, participants: note.participants });
      this.undecided.add(note.tx);
    }
    if (note.name !== 'decided') return { note, decisions: [] };
    return { note, decisions: [this.decide(note.tx, note.node, note.outcome, e.t, false)] };
  }

  private reboot(e: Extract<ObservedEvent, { kind: 'boot' }>): Decision[] {
    const commits = (e.state as { commits?: Record<string, unknown> } | undefined)?.commits ?? {};
    return [...this.undecided].map((tx) => this.decide(tx, this.coordinator, tx in commits ? 'commit' : 'abort', e.t, true));
  }

  private decide(tx: string, node: NodeId, outcome: Outcome, t: number, implied: boolean): Decision {
    if (node === this.coordinator) {
      if (!this.decided.has(tx)) this.decided.set(tx, outcome);
      this.undecided.delete(tx);
    }
    let byNode = this.outcomes.get(tx);
    if (!byNode) this.outcomes.set(tx, (byNode = new Map()));
    const d: Decision = { tx, node, outcome, implied };
    for (const [other, o] of byNode) {
      if (o.outcome === outcome) continue;
      if (other === node) d.changed = o;
      else d.clash ??= other;
    }
    if (!byNode.has(node)) byNode.set(node, { outcome, t });
    return d;
  }
}
