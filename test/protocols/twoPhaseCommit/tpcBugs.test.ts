// Each of 2PC's deliberately broken variants is caught by the checker it is about: in a pinned
// scenario (seed 1, 4 nodes, a 6 s fault phase, the fault plan below) that the correct protocol
// passes, and in a bounded search (swarm seeds, or the crashing-participants explorer for the
// bugs that need a participant to crash at the wrong moment) whose first hit the correct protocol
// passes too. The pinned plans crash a node several times, so that a hit does not hang on one
// crash landing inside a window a few milliseconds wide. ignore-early-abort needs no fault, only
// a GlobalAbort that overtakes its Prepare (test/explore/orderingBugs.test.ts: not on FIFO links).
import { describe, expect, it } from 'vitest';
import type { TpcBug } from '../../../protocols/twoPhaseCommit/types.ts';
import type { RunResult } from '../../../sim/engine.ts';
import { drawCrashingParticipants, runCrashing } from './crashingParticipants.ts';
import { outcome, SWARM_CLIENTS, swarmRun, tpcRun, verdictOf } from './tpcFixtures.ts';

const caughtBy = (result: RunResult, checker: string): boolean => (result.verdict.kind === 'safety' || result.verdict.kind === 'liveness') && verdictOf(result).checker === checker;
const crashes = (node: string, atMs: number[], dur: string) => atMs.map((at) => ({ type: 'crash', at: `${at}ms`, node, for: dur }));
const run = (bug: TpcBug, request: Record<string, unknown>, faults: unknown[]) => tpcRun({ seed: 1, faultPhaseUs: 6_000_000, clients: SWARM_CLIENTS, ...request, bug }, faults).result;

interface Pinned {
  bug: TpcBug;
  what: string;
  request: Record<string, unknown>;
  faults: unknown[];
  kind: 'safety' | 'liveness';
  checker: string;
  message: RegExp;
}

const PINNED: Pinned[] = [
  {
    bug: 'commit-on-timeout', what: 'n3 is down from 1 s to 6 s, so transactions on its keys get no vote from it', request: {},
    faults: [{ type: 'crash', at: '1s', node: 'n3', for: '5s' }],
    kind: 'safety', checker: 'valid-commit', message: /^transaction 1\.\d+ was committed \(at n1\) without a yes vote from n3$/,
  },
  {
    bug: 'forget-prepared', what: 'n2 crashes four times for 200 ms, while prepared', request: {},
    faults: crashes('n2', [1000, 2000, 3000, 4000], '200ms'),
    kind: 'safety', checker: 'no-unilateral-abort', message: /^n2 voted yes on transaction 1\.\d+ at [\d.]+m?s and then lost it: told to commit it, it had no record of it$/,
  },
  {
    bug: 'ack-before-durable', what: 'n2 has a 40 ms disk and crashes three times for 100 ms, with acknowledged commits not yet written', request: {},
    faults: [{ type: 'disk-slow', at: '0s', node: 'n2', latency: '40ms' }, ...crashes('n2', [1000, 2000, 3000], '100ms')],
    kind: 'safety', checker: 'stable-decision', message: /^n2 committed transaction 1\.\d+ at [\d.]+m?s and aborted it at [\d.]+m?s$/,
  },
  {
    bug: 'forget-before-acks', what: '5% message loss: a participant that missed GlobalCommit asks, and is told abort', request: { network: { loss: 0.05 } },
    faults: [],
    kind: 'safety', checker: 'atomicity', message: /^transaction 1\.\d+ was committed at the coordinator n1 and aborted at n\d$/,
  },
  {
    bug: 'never-ask', what: 'the coordinator n1 crashes three times for 300 ms, losing the transactions it had not decided', request: {},
    faults: crashes('n1', [1000, 2000, 3000], '300ms'),
    kind: 'liveness', checker: 'termination', message: /^n\d is still uncertain about transaction \d\.\d+ \(it voted yes at [\d.]+m?s\)/,
  },
  {
    bug: 'ignore-early-abort', what: 'no faults; 0.1 to 5 ms latency on unordered links, so a GlobalAbort can overtake its Prepare',
    request: { network: { latency: { dist: 'uniform', minUs: 100, maxUs: 5_000 } } }, faults: [],
    kind: 'safety', checker: 'no-vote-after-outcome', message: /^n\d voted yes on transaction 1\.\d+ after it had learned it aborted \([\d.]+m?s\): it prepared a transaction that was already over$/,
  },
];

describe('pinned scenarios: each bug fails with its checker, the correct protocol passes', () => {
  for (const { bug, what, request, faults, kind, checker, message } of PINNED) {
    it(`${bug}: ${what} (${checker})`, () => {
      const broken = run(bug, request, faults);
      expect(verdictOf(broken)).toMatchObject({ kind, checker, message: expect.stringMatching(message) });
      const correct = run(null, request, faults);
      expect(correct.verdict).toEqual({ kind: 'pass' });
      expect(outcome(correct, checker)?.status).toBe('held');
    }, 30_000);
  }
});

/** The first seed in from..to whose run with the bug is caught by `checker`. */
function firstCatch(from: number, to: number, runOf: (seed: number) => RunResult, checker: string): number | undefined {
  for (let seed = from; seed <= to; seed++) if (caughtBy(runOf(seed), checker)) return seed;
  return undefined;
}

describe('bounded searches: each bug is caught by its checker, and the correct protocol passes the hit', () => {
  it.each<[TpcBug, number, string]>([
    ['commit-on-timeout', 30, 'valid-commit'],
    ['forget-before-acks', 10, 'atomicity'],
    ['never-ask', 20, 'termination'],
  ])('%s in swarm seeds 1..%i (%s)', (bug, last, checker) => {
    const seed = firstCatch(1, last, (s) => swarmRun(s, bug).result, checker);
    expect(seed, `${bug} was not caught by ${checker} in swarm seeds 1..${last}`).toBeDefined();
    expect(swarmRun(seed!).result.verdict).toEqual({ kind: 'pass' });
  }, 60_000);

  it.each<[TpcBug, number, string]>([
    ['forget-prepared', 10, 'no-unilateral-abort'],
    ['ack-before-durable', 10, 'stable-decision'],
  ])('%s in crashing-participants scenarios 1..%i (%s)', (bug, last, checker) => {
    const seed = firstCatch(1, last, (s) => runCrashing(drawCrashingParticipants(s), bug), checker);
    expect(seed, `${bug} was not caught by ${checker} in crashing-participants scenarios 1..${last}`).toBeDefined();
    expect(runCrashing(drawCrashingParticipants(seed!), null).verdict).toEqual({ kind: 'pass' });
  }, 60_000);
});
