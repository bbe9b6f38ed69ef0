// The checker interface (DESIGN.md section 3). Checkers observe events (notes, faults, boots, the
// heal phase, client history), never a node's state. Three kinds:
//  - always: an invariant, read after every observed event; the first break ends the run (safety);
//  - eventually: a property that must hold deadlineUs after the heal phase starts (liveness);
//  - sometimes: an interesting state that a sweep must reach at least once (not a failure alone);
//  - final: a property of the whole run, judged once at its end from what it observed and the
//    client history (linearizability); a failure is a safety violation.
// Leaves out: temporal logic beyond these three shapes.
import type { ObservedEvent } from './traceEvents.ts';
import type { Verdict } from './verdict.ts';
import type { NodeId } from './types.ts';
import type { HistoryEntry } from './clients.ts';

export interface CheckerView {
  readonly nowUs: number;
  readonly phase: 'fault' | 'heal';
  /** Global time the heal phase starts (the end of the fault phase). */
  readonly healStartUs: number;
  readonly nodes: readonly NodeId[];
  /** Whether a node is running (not crashed). This is fault state the engine owns, not node state. */
  isUp(node: NodeId): boolean;
}

interface CheckerBase {
  readonly name: string;
  /** One sentence: what the checker asserts. */
  readonly description: string;
  observe(event: ObservedEvent, view: CheckerView): void;
  /**
   * The events observe needs: kinds ('boot', 'note', 'fault', 'phase', 'invoke', 'complete') or
   * 'note:NAME' for one note. Absent: every event. The engine calls observe only for these.
   */
  readonly reads?: readonly string[];
  /** Why the check did not apply to this run (its precondition failed), if it did not. */
  inapplicable?(): string | undefined;
}

export interface AlwaysChecker extends CheckerBase {
  readonly kind: 'always';
  /** The first violation seen so far, if any. */
  broken(): string | undefined;
}

export interface EventuallyChecker extends CheckerBase {
  readonly kind: 'eventually';
  /** How long after the heal phase starts the property must hold. */
  readonly deadlineUs: number;
  /** Undefined if the property holds now; otherwise what is missing. */
  unmet(view: CheckerView): string | undefined;
}

export interface SometimesChecker extends CheckerBase {
  readonly kind: 'sometimes';
  reached(): boolean;
}

export interface FinalChecker extends CheckerBase {
  readonly kind: 'final';
  /** Undefined if the run as a whole is fine; otherwise what is wrong. */
  judge(view: CheckerView, history: readonly HistoryEntry[]): string | undefined;
}

export type Checker = AlwaysChecker | EventuallyChecker | SometimesChecker | FinalChecker;

export interface CheckOutcome {
  name: string;
  kind: Checker['kind'];
  description: string;
  /** held / violated for always, eventually and final checks (unchecked: the run ended before the deadline or its end); reached / unreached for sometimes. */
  status: 'held' | 'violated' | 'unchecked' | 'reached' | 'unreached' | 'n/a';
  /** For n/a: why the check did not apply. */
  reason?: string;
}

/** How one check came out in a run that ended with `verdict`. */
export function checkOutcome(c: Checker, verdict: Verdict, deadlineChecked: boolean): CheckOutcome {
  const base = { name: c.name, kind: c.kind, description: c.description };
  if (c.kind === 'sometimes') return { ...base, status: c.reached() ? 'reached' : 'unreached' };
  if ('checker' in verdict && verdict.checker === c.name) return { ...base, status: 'violated' };
  const reason = c.inapplicable?.();
  if (reason !== undefined) return { ...base, status: 'n/a', reason };
  if ((c.kind === 'eventually' || c.kind === 'final') && !deadlineChecked) return { ...base, status: 'unchecked' };
  return { ...base, status: 'held' };
}
