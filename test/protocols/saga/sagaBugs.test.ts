// Each of the saga's deliberately broken variants is caught by the checker it is about, in both
// variants where it applies: in a pinned scenario (seed, network, fault plan) that the correct
// protocol passes, and in a bounded search (swarm seeds, or crash storms for the lost log) whose
// first hit the correct protocol passes too. Non-idempotent steps and compensations break
// effects-once; forward-order compensation breaks semantic-atomicity; a saga log that is never
// read back leaves sagas unfinished (sagas-end) or compensates without the steps it forgot
// (semantic-atomicity).
import { describe, expect, it } from 'vitest';
import type { SagaBug, Variant } from '../../../protocols/saga/types.ts';
import type { RunResult } from '../../../sim/engine.ts';
import { drawStorm, outcome, runStorm, sagaRun, sagaSwarmRun, verdictOf } from './sagaFixtures.ts';

const caughtBy = (result: RunResult, checkers: readonly string[]): boolean => ['safety', 'liveness'].includes(result.verdict.kind) && checkers.includes(verdictOf(result).checker ?? '');

function expectCorrectPasses(result: RunResult, checker: string): void {
  expect(result.verdict, JSON.stringify(result.verdict)).toEqual({ kind: 'pass' });
  expect(outcome(result, checker)?.status).toBe('held');
}

const VARIANTS: Variant[] = ['orchestration', 'choreography'];
const duplicating = { duplicate: 0.2 };

describe('pinned scenarios: each bug fails with its checker, the correct protocol passes', () => {
  it.each(VARIANTS)('non-idempotent-compensation (%s): a fifth of all messages duplicated, seed 1', (variant) => {
    const broken = sagaRun({ seed: 1, variant, network: duplicating, bug: 'non-idempotent-compensation' });
    expect(verdictOf(broken.result)).toMatchObject({ kind: 'safety', checker: 'effects-once', message: expect.stringMatching(/^saga \d+: \w+'s compensation \([a-z ]+\) took effect 2 times \(n\d\)$/) });
    expectCorrectPasses(sagaRun({ seed: 1, variant, network: duplicating }).result, 'effects-once');
  });

  it.each(VARIANTS)('non-idempotent-step (%s): a fifth of all messages duplicated, seed 1', (variant) => {
    const broken = sagaRun({ seed: 1, variant, network: duplicating, bug: 'non-idempotent-step' });
    expect(verdictOf(broken.result)).toMatchObject({ kind: 'safety', checker: 'effects-once', message: expect.stringMatching(/^saga \d+: \w+'s step took effect 2 times \(n\d\)$/) });
    expectCorrectPasses(sagaRun({ seed: 1, variant, network: duplicating }).result, 'effects-once');
  });

  it.each(VARIANTS)('forward-order-compensation (%s): no faults, seed 1 (the first saga that compensates two steps)', (variant) => {
    const broken = sagaRun({ seed: 1, variant, bug: 'forward-order-compensation' });
    expect(verdictOf(broken.result)).toMatchObject({ kind: 'safety', checker: 'semantic-atomicity', message: expect.stringMatching(/^saga \d+: order was compensated while \w+, a later step, was still applied/) });
    expectCorrectPasses(sagaRun({ seed: 1, variant }).result, 'semantic-atomicity');
  });

  it('volatile-saga-log: the orchestrator n1 is down from 1 s to 13 s, longer than a client waits (10 s), so nobody re-sends its orders (seed 1)', () => {
    const faults = [{ type: 'crash', at: '1s', for: '12s', node: 'n1' }];
    const broken = sagaRun({ seed: 1, faultPhaseUs: 15_000_000, bug: 'volatile-saga-log' }, faults);
    expect(verdictOf(broken.result)).toMatchObject({ kind: 'liveness', checker: 'sagas-end', message: expect.stringMatching(/^saga \d+ \(started at [\d.]+m?s\) has not ended; last heard: /) });
    const correct = sagaRun({ seed: 1, faultPhaseUs: 15_000_000 }, faults);
    expectCorrectPasses(correct.result, 'sagas-end');
    expect(outcome(correct.result, 'saga-resumed')?.status).toBe('reached');
  });
});

/** The first swarm seed in 1..last whose run with `bug` fails with one of `checkers`. */
function firstSwarmCatch(bug: SagaBug, variant: Variant, checkers: readonly string[], last: number): number | undefined {
  for (let seed = 1; seed <= last; seed++) if (caughtBy(sagaSwarmRun(seed, variant, bug).result, checkers)) return seed;
  return undefined;
}

describe('bounded searches: each bug is caught by its checker, and the correct protocol passes the hit', () => {
  it.each<[SagaBug, Variant, number, readonly string[]]>([
    ['non-idempotent-compensation', 'orchestration', 20, ['effects-once']],
    ['non-idempotent-compensation', 'choreography', 20, ['effects-once']],
    ['non-idempotent-step', 'orchestration', 20, ['effects-once']],
    ['non-idempotent-step', 'choreography', 20, ['effects-once']],
    ['forward-order-compensation', 'orchestration', 5, ['semantic-atomicity']],
    ['forward-order-compensation', 'choreography', 5, ['semantic-atomicity']],
  ])('%s (%s) in swarm seeds 1..%i', (bug, variant, last, checkers) => {
    const seed = firstSwarmCatch(bug, variant, checkers, last);
    expect(seed, `${bug} was not caught by ${checkers.join('/')} in ${variant} swarm seeds 1..${last}`).toBeDefined();
    expect(sagaSwarmRun(seed!, variant).result.verdict).toEqual({ kind: 'pass' });
  }, 60_000);

  it('volatile-saga-log in crash storms 1..40 (the orchestrator crashes and restarts several times)', () => {
    const checkers = ['sagas-end', 'semantic-atomicity'];
    const seed = Array.from({ length: 40 }, (_, i) => i + 1).find((s) => caughtBy(runStorm(drawStorm(s, 'orchestration'), 'volatile-saga-log'), checkers));
    expect(seed, 'volatile-saga-log was not caught in crash storms 1..40').toBeDefined();
    expect(runStorm(drawStorm(seed!, 'orchestration')).verdict).toEqual({ kind: 'pass' });
  }, 60_000);
});
