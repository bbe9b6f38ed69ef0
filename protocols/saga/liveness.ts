// Saga liveness and the sometimes-checks. sagas-end (eventually): every saga that started ends
// (completed or compensated) within a bound once the faults stop. The bound: one saga in a healed
// cluster takes at most sagaBoundUs: every forward step using its whole retry budget, every
// compensation (or choreography event) a few attempts, where an attempt lasts its timeout (or a
// round trip, if longer) plus the largest backoff, and a breaker reopening a few times because
// its half-open trials fail. A saga that was running when the faults stopped may first wait
// settleUs (a breaker's open period, clocks set back, messages still in flight). So at heal +
// settle + bound, every saga that started before heal + settle must have ended. Not owed outside
// the fault model, or when a node the variant needs is down after the heal phase (a permanent
// crash: a saga that reached it cannot finish its compensations). Sometimes-checks show a sweep
// visited the interesting states: a saga compensated, a step given up, a breaker opened, an
// orchestrator resumed sagas from its log, an event re-sent. Leaves out: client-level progress
// (a client whose saga ended gets its answer on its next attempt; client-sees-outcome checks what
// it is told).
import type { Checker, CheckerView, EventuallyChecker, SometimesChecker } from '../../sim/checker.ts';
import { humanDuration } from '../../sim/duration.ts';
import type { FaultPlan } from '../../sim/faultPlan.ts';
import type { RunOptions } from '../../sim/runOptions.ts';
import type { ObservedEvent } from '../../sim/traceEvents.ts';
import { clockSetBackUs, maxMessageDelayUs } from '../shared/runBounds.ts';
import { sagaNote } from './notes.ts';
import type { SagaConfig } from './config.ts';
import { outsideFaultModel } from './faultModel.ts';
import { nodesNeeded, STEPS, stepName } from './steps.ts';

/** Attempts allowed for each compensation (orchestration) or each event hop (choreography). */
const ATTEMPTS_EACH = 4;
/**
 * Open periods a saga may wait out: under 20% loss a half-open trial fails about a third of the
 * time, and each failure reopens the breaker for another period (seven in a row were seen in a
 * 300-seed sweep; a saga waiting on a breaker spends little of its attempt allowance, so that
 * stretches this further).
 */
const BREAKER_CYCLES = 6;
/** Choreography: events on the longest path (four forward, a refusal and two compensations). */
const LONGEST_CHAIN = 7;

/** The longest one attempt and the backoff after it can take. */
function attemptUs(cfg: SagaConfig, options: RunOptions, plan: FaultPlan): number {
  return Math.max(cfg.attemptTimeout, 2 * maxMessageDelayUs(options, plan)) + cfg.retryMax;
}

/** How long one saga may take in a healed cluster. */
export function sagaBoundUs(cfg: SagaConfig, options: RunOptions, plan: FaultPlan): number {
  const attempt = attemptUs(cfg, options, plan);
  if (cfg.variant === 'choreography') return LONGEST_CHAIN * ATTEMPTS_EACH * attempt;
  return STEPS.length * (cfg.stepAttempts + ATTEMPTS_EACH) * attempt + BREAKER_CYCLES * cfg.breakerOpenFor;
}

/** How long after the faults stop a saga caught by them may wait before it moves again. */
export function settleUs(cfg: SagaConfig, options: RunOptions, plan: FaultPlan): number {
  return cfg.breakerOpenFor + clockSetBackUs(plan) + 2 * maxMessageDelayUs(options, plan);
}

export const livenessBoundUs = (cfg: SagaConfig, options: RunOptions, plan: FaultPlan): number => settleUs(cfg, options, plan) + sagaBoundUs(cfg, options, plan);

export function sagasEnd(cfg: SagaConfig, options: RunOptions, plan: FaultPlan): EventuallyChecker {
  const started = new Map<number, number>();
  const ended = new Set<number>();
  const last = new Map<number, { what: string; at: number }>();
  const bound = sagaBoundUs(cfg, options, plan);
  let notOwed: string | undefined;
  return {
    name: 'sagas-end',
    kind: 'eventually',
    description: 'after the heal phase every saga that started ends, completed or compensated, within a bound',
    deadlineUs: livenessBoundUs(cfg, options, plan),
    observe(e: ObservedEvent, view: CheckerView) {
      const outside = outsideFaultModel(e);
      if (outside !== undefined) notOwed ??= `not owed after ${outside}`;
      const n = sagaNote(e);
      if (!n) return;
      if (n.name === 'saga-start' && !started.has(n.saga)) started.set(n.saga, view.nowUs);
      else if (n.name === 'saga-end') ended.add(n.saga);
      else if (n.step >= 0) last.set(n.saga, { what: `${n.name} ${stepName(n.step)}`, at: view.nowUs });
    },
    inapplicable: () => notOwed,
    unmet(view: CheckerView) {
      const down = view.nodes.filter((id) => id <= nodesNeeded(cfg.variant) && !view.isUp(id));
      if (down.length > 0) notOwed ??= `${down.map((id) => `n${id}`).join(', ')} ${down.length === 1 ? 'is' : 'are'} down after the heal phase (crashed for good), so sagas that reached ${down.length === 1 ? 'it' : 'them'} cannot finish`;
      if (notOwed !== undefined) return undefined;
      for (const [saga, at] of started) {
        if (ended.has(saga) || at > view.nowUs - bound) continue;
        return `saga ${saga} (started at ${humanDuration(at)}) has not ended; last heard: ${lastHeard(last.get(saga))}`;
      }
      return undefined;
    },
  };
}

const lastHeard = (l: { what: string; at: number } | undefined): string => (l ? `${l.what} at ${humanDuration(l.at)}` : 'nothing after its start');

function sometimes(name: string, description: string, hit: (e: ObservedEvent) => boolean): SometimesChecker {
  let reached = false;
  return { name, kind: 'sometimes', description, observe: (e) => void (reached ||= hit(e)), reached: () => reached };
}

const noteNamed = (e: ObservedEvent, name: string): boolean => e.kind === 'note' && e.name === name;

export function sagaSometimes(cfg: SagaConfig): Checker[] {
  const compensated = sometimes('saga-compensated', 'some saga ended compensated', (e) => noteNamed(e, 'saga-end') && (e as { data: { outcome: string } }).data.outcome === 'compensated');
  if (cfg.variant === 'choreography') return [compensated, sometimes('event-resent', 'some event went unacknowledged and was sent again', (e) => noteNamed(e, 'retry'))];
  return [
    compensated,
    sometimes('step-given-up', 'some forward step used up its retry budget and was compensated', (e) => noteNamed(e, 'give-up')),
    sometimes('breaker-opened', 'some circuit breaker opened', (e) => noteNamed(e, 'breaker') && (e as { data: { to: string } }).data.to === 'open'),
    sometimes('saga-resumed', 'a restarted orchestrator resumed sagas from its log', (e) => noteNamed(e, 'resume')),
  ];
}
