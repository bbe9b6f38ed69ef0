// What counts as "the same failure" while a counterexample shrinks: the same verdict kind and, for
// safety and liveness, the same checker (a crash: any handler crash; a guard: the same guard).
// Shrinking keeps to one failure, so a safety violation cannot turn into an unrelated cheaper one.
// Leaves out: comparing messages (they name nodes, times and terms that shrinking changes).
import type { Verdict } from '../verdict.ts';

export interface FailureSignature {
  kind: Exclude<Verdict['kind'], 'pass'>;
  /** The checker (safety, liveness) or the guard's reason. */
  detail: string | null;
}

export function signatureOf(verdict: Verdict): FailureSignature | undefined {
  switch (verdict.kind) {
    case 'pass': return undefined;
    case 'safety': case 'liveness': return { kind: verdict.kind, detail: verdict.checker };
    case 'crash': return { kind: 'crash', detail: null };
    case 'guard': return { kind: 'guard', detail: verdict.reason };
  }
}

export function sameFailure(verdict: Verdict, target: FailureSignature): boolean {
  const sig = signatureOf(verdict);
  return sig !== undefined && sig.kind === target.kind && sig.detail === target.detail;
}

export function describeSignature(sig: FailureSignature): string {
  return sig.detail === null ? sig.kind : `${sig.kind} (${sig.detail})`;
}
