// The saga swarm property: the correct protocol, orchestrated and choreographed, passes every
// checker (effects-once, compensation-needs-step, semantic-atomicity, client-sees-outcome,
// sagas-end) over 100 swarm seeds per variant (an 8 s fault phase; crashes, partitions, loss,
// duplication, clock, disk and byzantine faults drawn from the seed; four clients; a spare node on
// every third seed; bulkheads that queue on odd seeds and reject on even ones), in blocks of 25, and over 40
// crash storms per variant (the swarm rarely crashes n1, so storms crash and restart the
// orchestrator or order service, with full disks and partitions around it). Each block also shows
// it exercised what it claims: the fault mix, checks judged (held, not unchecked), sagas that
// compensated, breakers that opened, an orchestrator that resumed from its log.
import { describe, expect, it } from 'vitest';
import type { Variant } from '../../../protocols/saga/types.ts';
import { runSwarmBlock } from '../../swarmBlock.ts';
import { drawStorm, runStorm, sagaSwarmRun } from './sagaFixtures.ts';

const BLOCK = 25;
const BLOCKS = 4;
const SAFETY = ['effects-once', 'compensation-needs-step', 'semantic-atomicity', 'client-sees-outcome'];

describe.each<Variant>(['orchestration', 'choreography'])('saga swarm (%s): the correct protocol passes every checker', (variant) => {
  for (let b = 0; b < BLOCKS; b++) {
    const first = b * BLOCK + 1;
    it(`swarm seeds ${first}..${first + BLOCK - 1}`, () => {
      const { failures, unsettled, counts } = runSwarmBlock(first, BLOCK, (seed) => sagaSwarmRun(seed, variant));
      expect(failures).toEqual([]);
      expect(unsettled).toEqual([]);
      // The faults this property is about (a fault type is in about a quarter of the runs).
      expect(counts['crash or partition'] ?? 0).toBeGreaterThanOrEqual(6);
      for (const network of ['loss', 'duplication']) expect(counts[network] ?? 0, network).toBeGreaterThanOrEqual(6);
      // Sagas completed (except where a service crashed for good: choreography then waits for it)
      // and compensated in every run; the checks were judged in most.
      expect(counts.answered ?? 0).toBeGreaterThanOrEqual(BLOCK - (counts['permanent crash'] ?? 0));
      expect(counts['saga-compensated:reached'] ?? 0).toBe(BLOCK);
      for (const check of [...SAFETY, 'sagas-end']) expect(counts[`${check}:held`] ?? 0, check).toBeGreaterThanOrEqual(BLOCK * 0.7);
      if (variant === 'orchestration') for (const state of ['step-given-up', 'breaker-opened']) expect(counts[`${state}:reached`] ?? 0, state).toBeGreaterThanOrEqual(BLOCK / 2);
      else expect(counts['event-resent:reached'] ?? 0).toBeGreaterThanOrEqual(BLOCK / 2);
    }, 120_000);
  }

  it('crash storms 1..40: n1 and the services crash and restart over and over', () => {
    const failures: string[] = [];
    let resumed = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const result = runStorm(drawStorm(seed, variant));
      if (result.verdict.kind !== 'pass') failures.push(`storm ${seed}: ${JSON.stringify(result.verdict)}`);
      for (const c of result.checks) if (c.status === 'violated' || c.status === 'unchecked') failures.push(`storm ${seed}: ${c.name} ${c.status}`);
      if (result.checks.some((c) => c.name === 'saga-resumed' && c.status === 'reached')) resumed++;
    }
    expect(failures).toEqual([]);
    if (variant === 'orchestration') expect(resumed).toBeGreaterThanOrEqual(30);
  }, 120_000);
});
