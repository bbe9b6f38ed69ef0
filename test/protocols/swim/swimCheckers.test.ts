// SWIM's checkers, each shown to catch a deliberately broken protocol (a registered bug, or a
// hand-made wrapper for completeness) in a pinned scenario, to hold on the correct protocol in the
// same scenario, and to catch the bug in a bounded swarm search. Plus edge cases on hand-made events.
import { describe, expect, it } from 'vitest';
import { falseSuspicionRefuted, noResurrection, ownIncarnation } from '../../../protocols/swim/checkers.ts';
import { swimSpec } from '../../../protocols/swim/spec.ts';
import type { SwimBug } from '../../../protocols/swim/types.ts';
import type { CheckerView } from '../../../sim/checker.ts';
import { parseFaultPlan } from '../../../sim/faultPlan.ts';
import type { AnySpec } from '../../../sim/protocolSpec.ts';
import { resolveRun } from '../../../sim/resolveRun.ts';
import type { ObservedEvent } from '../../../sim/traceEvents.ts';
import type { AnyProtocol } from '../../../sim/types.ts';
import { firstCaught, lastStatusOf, outcome, swarmRun, swimRun } from './swimFixtures.ts';

const PARTITION_N5 = [{ at: '2s', for: '3s', type: 'partition', groups: [['n5'], ['n1', 'n2', 'n3', 'n4']] }];
const CRASH_N5 = [{ at: '2s', type: 'crash', node: 'n5' }];
const BROKEN_PAIR = { links: [{ from: 4, to: 5, loss: 1 }, { from: 5, to: 4, loss: 1 }] };
const verdictOf = (run: { result: { verdict: unknown } }) => run.result.verdict as { kind: string; checker?: string; message?: string };

describe('each SWIM bug is caught by its checker in a pinned scenario; the correct protocol passes it', () => {
  it.each([
    ['a partition isolating n5 for 3 s', {}, PARTITION_N5],
    ['loss 0.2', { network: { loss: 0.2 } }, []],
  ])('no-refute is caught by refutation (liveness): %s, 5 nodes, seed 1', (_what, request, faults) => {
    const broken = swimRun({ seed: 1, bug: 'no-refute', ...request }, faults);
    expect(verdictOf(broken)).toMatchObject({ kind: 'liveness', checker: 'refutation', message: expect.stringMatching(/^live n\d has been Dead at n\d since/) });
    const correct = swimRun({ seed: 1, ...request }, faults);
    expect(correct.result.verdict).toEqual({ kind: 'pass' });
    expect(outcome(correct.result, 'refutation')?.status).toBe('held');
    expect(correct.result.sometimes['false-suspicion-refuted']).toBe(true);
  });

  it('no-indirect-probe is caught by accuracy (safety) on a calm network with one broken pair n4-n5; the correct protocol routes around it', () => {
    const broken = swimRun({ seed: 1, bug: 'no-indirect-probe', network: BROKEN_PAIR });
    expect(verdictOf(broken)).toMatchObject({ kind: 'safety', checker: 'accuracy', message: expect.stringMatching(/^n[45] marked n[45] Suspect/) });
    const correct = swimRun({ seed: 1, network: BROKEN_PAIR });
    expect(correct.result.verdict).toEqual({ kind: 'pass' });
    expect(outcome(correct.result, 'accuracy')?.status).toBe('held');
    // The pair really was broken, and indirect probes really went around it.
    expect(correct.events.some((e) => e.kind === 'drop' && e.from === 4 && e.to === 5)).toBe(true);
    expect(correct.events.some((e) => e.kind === 'send' && (e.msg as { type: string; target?: number }).type === 'PingReq' && [4, 5].includes((e.msg as { target: number }).target))).toBe(true);
  });

  it('forget-tombstones is caught by no-resurrection (safety): 8 nodes, n5 crashes at 2 s, within seeds 1..20', () => {
    // Whether stale gossip reaches a member after it forgot n5 depends on the seed; a short search
    // keeps the test meaningful when unrelated changes move the schedule.
    const seed = Array.from({ length: 20 }, (_, i) => i + 1).find((s) => swimRun({ seed: s, nodes: 8, bug: 'forget-tombstones' }, CRASH_N5).result.verdict.kind !== 'pass');
    expect(seed).toBeDefined();
    const broken = swimRun({ seed: seed as number, nodes: 8, bug: 'forget-tombstones' }, CRASH_N5);
    expect(verdictOf(broken)).toMatchObject({ kind: 'safety', checker: 'no-resurrection', message: expect.stringMatching(/saw n5 Dead at incarnation 0, then (Alive|Suspect) at incarnation 0/) });
    const correct = swimRun({ seed: seed as number, nodes: 8 }, CRASH_N5);
    expect(correct.result.verdict).toEqual({ kind: 'pass' });
    expect(outcome(correct.result, 'no-resurrection')?.status).toBe('held');
  });

  it('bump-suspect-incarnation is caught by own-incarnation (safety): n5 crashes at 2 s, seed 1', () => {
    const broken = swimRun({ seed: 1, bug: 'bump-suspect-incarnation' }, CRASH_N5);
    expect(verdictOf(broken)).toMatchObject({ kind: 'safety', checker: 'own-incarnation', message: expect.stringMatching(/holds n5 Suspect at incarnation 1 .* but n5 never went above 0/) });
    const correct = swimRun({ seed: 1 }, CRASH_N5);
    expect(correct.result.verdict).toEqual({ kind: 'pass' });
    expect(outcome(correct.result, 'own-incarnation')?.status).toBe('held');
  });
});

/** SWIM with the suspicion timer ignored: a suspected member is never confirmed Dead. */
function ignoringSuspicionTimers(protocol: AnyProtocol): AnyProtocol {
  return {
    name: protocol.name,
    init: (ctx, durable) => protocol.init(ctx, durable),
    step(state, input, ctx) {
      if (input.kind === 'timer' && typeof input.timer === 'string' && input.timer.startsWith('suspect:')) return { state, effects: [] };
      return protocol.step(state, input, ctx);
    },
  };
}
const neverConfirms: AnySpec = { ...swimSpec, create: (config, bug) => ignoringSuspicionTimers(swimSpec.create(config, bug)) };

describe('completeness', () => {
  it.each([1, 2, 3])('holds on the correct protocol with a permanent crash, and every live member has the crashed one Dead (seed %i)', (seed) => {
    const run = swimRun({ seed }, CRASH_N5);
    expect(run.result.verdict).toEqual({ kind: 'pass' });
    expect(outcome(run.result, 'completeness')?.status).toBe('held');
    const last = lastStatusOf(run, 5);
    expect([1, 2, 3, 4].map((observer) => last.get(observer))).toEqual(['Dead', 'Dead', 'Dead', 'Dead']);
  });

  it('catches a protocol that never confirms a suspicion (suspect timers ignored)', () => {
    const run = swimRun({ seed: 1 }, CRASH_N5, neverConfirms);
    expect(verdictOf(run)).toMatchObject({ kind: 'liveness', checker: 'completeness', message: expect.stringMatching(/^n\d still sees crashed n5 as Suspect/) });
    expect(run.events.at(-1)).toMatchObject({ kind: 'violation', checker: 'completeness', verdict: 'liveness' });
  });
});

describe('accuracy and false-suspicion-refuted', () => {
  it('accuracy holds in a calm fault-free run', () => {
    const run = swimRun({ seed: 1 });
    expect(run.result.verdict).toEqual({ kind: 'pass' });
    expect(outcome(run.result, 'accuracy')).toMatchObject({ status: 'held' });
    expect(run.result.sometimes['false-suspicion-refuted']).toBe(false);
  });

  it('accuracy is n/a, with the reason, under loss, slow links, two broken pairs or a partition', () => {
    const reason = (request: Parameters<typeof swimRun>[0], faults: unknown[] = []) => outcome(swimRun({ seed: 1, faultPhaseUs: 3_000_000, ...request }, faults).result, 'accuracy');
    expect(reason({ network: { loss: 0.05 } })).toMatchObject({ status: 'n/a', reason: 'the network loses messages' });
    expect(reason({ network: { latency: { dist: 'uniform', minUs: 1_000, maxUs: 150_000 } } })).toMatchObject({ status: 'n/a', reason: 'latency is too long for probes to finish in time' });
    const twoPairs = { links: [...BROKEN_PAIR.links, { from: 1, to: 2, loss: 0.5 }] };
    expect(reason({ network: twoPairs })).toMatchObject({ status: 'n/a', reason: 'more than one pair of nodes has a lossy link' });
    expect(reason({}, PARTITION_N5)).toMatchObject({ status: 'n/a', reason: 'checked only until 2s, when a partition fault started' });
  });

  it('false-suspicion-refuted is reached with loss 0.2', () => {
    const run = swimRun({ seed: 1, network: { loss: 0.2 } });
    expect(run.result.sometimes['false-suspicion-refuted']).toBe(true);
    expect(outcome(run.result, 'false-suspicion-refuted')?.status).toBe('reached');
    expect(run.events.some((e) => e.kind === 'note' && e.name === 'incarnation' && (e.data as { reason: string }).reason === 'refute suspicion')).toBe(true);
  });
});

describe('bounded swarm search: each bug is caught by its checker (seeds 1..300, nodes 3 + seed % 6, 10 s fault phase)', () => {
  it.each<[SwimBug, string]>([
    ['no-refute', 'refutation'],
    ['forget-tombstones', 'no-resurrection'],
    ['bump-suspect-incarnation', 'own-incarnation'],
    // Swarm rarely draws the calm network accuracy needs (about 1 run in 100): seeds 18, 40, 134 hit it.
    ['no-indirect-probe', 'accuracy'],
  ])('%s is caught by %s, and the correct protocol passes that seed', (bug, checker) => {
    const caught = firstCaught(bug, checker, 1, 300);
    expect(caught, `${bug} was not caught by ${checker} in swarm seeds 1..300`).toBeDefined();
    expect(swarmRun(caught!.seed).result.verdict).toEqual({ kind: 'pass' });
  }, 60_000);
});

// ---- hand-made events ----

const view = (up: number[], nowUs = 0): CheckerView => ({ nowUs, phase: 'fault', healStartUs: 0, nodes: [1, 2, 3], isUp: (n) => up.includes(n) });
const boot = (node: number, t: number, inc = 0): ObservedEvent => ({ t, kind: 'boot', node, disk: 'fresh', state: { inc } });
const status = (node: number, peer: number, to: string | null, inc: number, t: number): ObservedEvent => ({ t, kind: 'note', node, name: 'status', data: { peer, from: null, to, inc } });
const incNote = (node: number, inc: number, t: number): ObservedEvent => ({ t, kind: 'note', node, name: 'incarnation', data: { inc, reason: 'refute suspicion' } });
const options = () => resolveRun(swimSpec, { seed: 1, nodes: 3, faultPhaseUs: 1_000_000 }, parseFaultPlan({ faults: [] }, 3, 1_000_000));
const feed = (checker: { observe(e: ObservedEvent, v: CheckerView): void }, events: ObservedEvent[]) => events.forEach((e) => checker.observe(e, view([1, 2, 3], e.t)));

describe('SWIM checkers on hand-made events', () => {
  it('false-suspicion-refuted needs the refutation to come from the same life of the suspected member', () => {
    const sameLife = falseSuspicionRefuted(options());
    feed(sameLife, [boot(1, 0), boot(2, 0), status(1, 2, 'Suspect', 0, 10), status(1, 2, 'Alive', 1, 20)]);
    expect(sameLife.reached()).toBe(true);
    const restarted = falseSuspicionRefuted(options());
    feed(restarted, [boot(1, 0), boot(2, 0), status(1, 2, 'Suspect', 0, 10), boot(2, 15, 1), status(1, 2, 'Alive', 1, 20)]);
    expect(restarted.reached()).toBe(false);
  });

  it('no-resurrection forgets what an observer saw when the observer reboots, and allows a higher incarnation', () => {
    const rebooted = noResurrection(options());
    feed(rebooted, [boot(1, 0), status(1, 2, 'Dead', 1, 10), boot(1, 20), status(1, 2, 'Alive', 1, 30), status(1, 3, 'Dead', 0, 40), status(1, 3, 'Alive', 1, 50)]);
    expect(rebooted.broken()).toBeUndefined();
    feed(rebooted, [status(1, 3, 'Dead', 1, 60), status(1, 3, null, 1, 61), status(1, 3, 'Suspect', 1, 70)]);
    expect(rebooted.broken()).toMatch(/n1 saw n3 Dead at incarnation 1, then Suspect at incarnation 1/);
  });

  it('own-incarnation counts incarnations from boots and incarnation notes, over all lives', () => {
    const check = ownIncarnation(options());
    feed(check, [boot(2, 0, 3), boot(1, 0), status(1, 2, 'Alive', 3, 10), incNote(2, 5, 20), status(1, 2, 'Suspect', 5, 30), boot(2, 40, 0), status(1, 2, 'Dead', 5, 50)]);
    expect(check.broken()).toBeUndefined();
    feed(check, [status(1, 2, 'Suspect', 6, 60)]);
    expect(check.broken()).toMatch(/n1 holds n2 Suspect at incarnation 6 .* but n2 never went above 5/);
  });
});
