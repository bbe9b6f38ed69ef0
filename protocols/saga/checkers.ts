// The saga's safety checkers, built only from what the protocol notes (a step applied, refused or
// cancelled, a compensation applied, a saga started or ended, each noted once it is on disk),
// boots, faults and client completions:
//  - effects-once (always): each step's effect, and each compensation, is applied at most once per
//    saga despite retries, duplicates and restarts (counts the notes per (saga, step));
//  - compensation-needs-step (always): nothing is compensated that was not applied;
//  - semantic-atomicity (always): a saga ends with every step applied (completed) or with every
//    applied step compensated (compensated); compensations run in reverse order (a step is
//    compensated only after every later applied step was); no step takes effect once the saga's
//    compensation began or it ended compensated, and nothing is compensated once it completed;
//  - client-sees-outcome (always): a client told completed (or compensated) is told how its saga
//    really ended.
// Outside the fault model (faultModel.ts) they stand down from that fault on (n/a, with why).
// Liveness (every saga ends) is in liveness.ts.
import type { AlwaysChecker, Checker } from '../../sim/checker.ts';
import type { FaultPlan } from '../../sim/faultPlan.ts';
import type { RunOptions } from '../../sim/runOptions.ts';
import type { ObservedEvent } from '../../sim/traceEvents.ts';
import type { SagaConfig } from './config.ts';
import { outsideFaultModel } from './faultModel.ts';
import { sagasEnd, sagaSometimes } from './liveness.ts';
import { firstAnnouncement, sagaNote, type SagaNote } from './notes.ts';
import { COMPENSATIONS, LAST_STEP, stepName } from './steps.ts';
import type { Outcome } from './types.ts';

/** An always-check that sees each durable note once (repeats after a boot are dropped) and stands down outside the fault model. */
function always(name: string, description: string, check: (e: ObservedEvent) => string | undefined): AlwaysChecker {
  let violation: string | undefined;
  let standDown: string | undefined;
  const first = firstAnnouncement();
  return {
    name, kind: 'always', description,
    observe(e) {
      standDown ??= outsideFaultModel(e);
      const n = sagaNote(e);
      if (n && !first(n)) return;
      if (standDown === undefined) violation ??= check(e);
    },
    broken: () => violation,
    inapplicable: () => (violation === undefined && standDown !== undefined ? `checked until ${standDown}` : undefined),
  };
}

const what = (n: SagaNote): string => (n.name === 'step-applied' ? `${stepName(n.step)}'s step` : `${stepName(n.step)}'s compensation (${COMPENSATIONS[n.step]})`);

export function effectsOnce(): AlwaysChecker {
  const counts = new Map<string, number>();
  return always('effects-once', 'each step and each compensation takes effect at most once per saga, despite retries and duplicates', (e) => {
    const n = sagaNote(e);
    if (!n || (n.name !== 'step-applied' && n.name !== 'compensation-applied')) return undefined;
    const key = `${n.name}:${n.saga}:${n.step}`;
    const times = (counts.get(key) ?? 0) + 1;
    counts.set(key, times);
    return times > 1 ? `saga ${n.saga}: ${what(n)} took effect ${times} times (n${n.node})` : undefined;
  });
}

export function compensationNeedsStep(): AlwaysChecker {
  const applied = new Set<string>();
  return always('compensation-needs-step', 'a step is compensated only if it was applied', (e) => {
    const n = sagaNote(e);
    if (n?.name === 'step-applied') applied.add(`${n.saga}:${n.step}`);
    if (n?.name !== 'compensation-applied' || applied.has(`${n.saga}:${n.step}`)) return undefined;
    return `saga ${n.saga}: ${what(n)} took effect but the step was never applied`;
  });
}

interface SagaFacts {
  readonly applied: Set<number>;
  readonly compensated: Set<number>;
  cancelled: boolean;
  ended?: Outcome;
}

export function semanticAtomicity(): AlwaysChecker {
  const sagas = new Map<number, SagaFacts>();
  const factsOf = (saga: number): SagaFacts => {
    let f = sagas.get(saga);
    if (!f) sagas.set(saga, (f = { applied: new Set(), compensated: new Set(), cancelled: false }));
    return f;
  };
  return always('semantic-atomicity', 'every saga ends with all its steps applied, or with every applied step compensated in reverse order', (e) => {
    const n = sagaNote(e);
    if (!n) return undefined;
    const f = factsOf(n.saga);
    if (n.name === 'step-applied') {
      if (f.ended === 'compensated') return `saga ${n.saga}: ${stepName(n.step)} took effect after the saga ended compensated`;
      if (f.compensated.size > 0 || f.cancelled) return `saga ${n.saga}: ${stepName(n.step)} took effect after the saga's compensation began`;
      f.applied.add(n.step);
    } else if (n.name === 'compensation-applied') {
      if (f.ended === 'completed') return `saga ${n.saga}: ${what(n)} took effect after the saga completed`;
      const later = [...f.applied].filter((s) => s > n.step && !f.compensated.has(s)).sort((a, b) => a - b)[0];
      if (later !== undefined) return `saga ${n.saga}: ${stepName(n.step)} was compensated while ${stepName(later)}, a later step, was still applied (compensations must run in reverse order)`;
      f.compensated.add(n.step);
    } else if (n.name === 'step-cancelled') f.cancelled = true;
    else if (n.name === 'saga-end') return onEnd(n, f);
    return undefined;
  });
}

function onEnd(n: SagaNote, f: SagaFacts): string | undefined {
  const outcome = n.data.outcome as Outcome;
  if (f.ended !== undefined && f.ended !== outcome) return `saga ${n.saga} ended ${f.ended}, then ${outcome}`;
  f.ended = outcome;
  if (outcome === 'completed') {
    for (let s = 0; s <= LAST_STEP; s++) {
      if (!f.applied.has(s)) return `saga ${n.saga} completed but ${stepName(s)} was never applied`;
      if (f.compensated.has(s)) return `saga ${n.saga} completed but ${stepName(s)} was compensated`;
    }
    return undefined;
  }
  const left = [...f.applied].filter((s) => !f.compensated.has(s)).sort((a, b) => a - b)[0];
  return left === undefined ? undefined : `saga ${n.saga} ended compensated but ${stepName(left)} is still applied (${COMPENSATIONS[left]} never took effect)`;
}

export function clientSeesOutcome(): AlwaysChecker {
  const ended = new Map<number, Outcome>();
  return always('client-sees-outcome', 'a client is told completed or compensated only as its saga really ended', (e) => {
    const n = sagaNote(e);
    if (n?.name === 'saga-end') ended.set(n.saga, n.data.outcome as Outcome);
    if (e.kind !== 'complete' || e.outcome === 'info') return undefined;
    const told = (e.result as { outcome?: Outcome } | undefined)?.outcome;
    const real = ended.get(e.req);
    if (told === undefined || told === real) return undefined;
    return `client ${e.client} was told its saga ${e.req} ${told}, but it ${real === undefined ? 'has not ended' : `ended ${real}`}`;
  });
}

export function sagaCheckers(config: SagaConfig, options: RunOptions, plan: FaultPlan): Checker[] {
  return [effectsOnce(), compensationNeedsStep(), semanticAtomicity(), clientSeesOutcome(), sagasEnd(config, options, plan), ...sagaSometimes(config)];
}
