// 2PC's checkers and blocking metrics on hand-made event sequences: each safety checker catches
// the violation it is about and not its legal look-alike, a coordinator reboot implies presumed
// aborts (but not for commits its log kept), the checks stand down from a byzantine-wrong or
// disk-corrupt fault on, termination finds what is left unresolved and is not owed when the
// coordinator is down for good, and blocked durations are measured from 'prepared' to 'decided'.
import { describe, expect, it } from 'vitest';
import { atomicity, noUnilateralAbort, noVoteAfterOutcome, stableDecision, validCommit } from '../../../protocols/twoPhaseCommit/checkers.ts';
import { blockingMetrics } from '../../../protocols/twoPhaseCommit/metrics.ts';
import { twoPhaseCommitSpec } from '../../../protocols/twoPhaseCommit/spec.ts';
import { coordinatorRecovered, resolvedByPeer, termination, windowUs } from '../../../protocols/twoPhaseCommit/termination.ts';
import { TxLedger } from '../../../protocols/twoPhaseCommit/txNotes.ts';
import type { AlwaysChecker, CheckerView } from '../../../sim/checker.ts';
import type { Fault } from '../../../sim/faultPlan.ts';
import type { MetricsSummary } from '../../../sim/metrics.ts';
import { resolveRun } from '../../../sim/resolveRun.ts';
import type { ObservedEvent } from '../../../sim/traceEvents.ts';
import { config } from './tpcFixtures.ts';

const NODES = [1, 2, 3, 4];
const view = (nowUs = 0, up: number[] = NODES, phase: 'fault' | 'heal' = 'fault', healStartUs = 0): CheckerView => ({ nowUs, phase, healStartUs, nodes: NODES, isUp: (n) => up.includes(n) });
const note = (t: number, node: number, name: string, data: Record<string, unknown>): ObservedEvent => ({ t, kind: 'note', node, name, data });
const begin = (t: number, tx = '1.1', participants = [2, 3]) => note(t, 1, 'begin', { tx, client: 1, req: 1, participants });
const prepared = (t: number, node: number, tx = '1.1') => note(t, node, 'prepared', { tx });
const decided = (t: number, node: number, outcome: 'commit' | 'abort', via?: string, tx = '1.1') => note(t, node, 'decided', { tx, outcome, ...(via ? { via } : {}) });
const boot = (t: number, node: number, commits: Record<string, unknown> = {}): ObservedEvent => ({ t, kind: 'boot', node, disk: 'ok', state: { role: node === 1 ? 'coordinator' : 'participant', commits } });
const faultStart = (t: number, fault: Fault): ObservedEvent => ({ t, kind: 'fault', phase: 'start', fault });
const WRONG: Fault = { type: 'byzantine', at: 0, node: 2, behaviour: 'wrong', probability: 1 };
const CORRUPT: Fault = { type: 'disk-corrupt', at: 0, node: 3 };
const feed = (checker: { observe(e: ObservedEvent, v: CheckerView): void }, events: readonly ObservedEvent[]) => events.forEach((e) => checker.observe(e, view(e.t)));
const S = 1_000_000;

/** Each always-checker with a sequence that breaks it (on its last event) and the message it gives. */
const VIOLATIONS: [string, () => AlwaysChecker, ObservedEvent[], RegExp][] = [
  ['atomicity', () => atomicity(new TxLedger(1)), [begin(0), prepared(1, 2), prepared(1, 3), decided(2, 1, 'commit'), decided(3, 2, 'commit', 'coordinator'), decided(3, 3, 'abort', 'peer')],
    /^transaction 1\.1 was committed at the coordinator n1 and aborted at n3$/],
  ['stable-decision', () => stableDecision(new TxLedger(1)), [begin(0), prepared(1, 2), decided(2 * S, 2, 'commit', 'coordinator'), boot(3 * S, 2), decided(4 * S, 2, 'abort', 'coordinator')],
    /^n2 committed transaction 1\.1 at 2s and aborted it at 4s$/],
  ['valid-commit', () => validCommit(new TxLedger(1)), [begin(0), prepared(1, 2), decided(2, 1, 'commit')], /^transaction 1\.1 was committed \(at n1\) without a yes vote from n3$/],
  ['no-unilateral-abort', () => noUnilateralAbort(new TxLedger(1)), [begin(0), prepared(S, 2), boot(2 * S, 2), decided(3 * S, 2, 'abort', 'termination')],
    /^n2 voted yes on transaction 1\.1 at 1s and then aborted it on its own \(termination\)$/],
  ['no-vote-after-outcome', () => noVoteAfterOutcome(new TxLedger(1)), [begin(0), decided(1, 1, 'abort'), decided(2 * S, 2, 'abort', 'coordinator'), prepared(3 * S, 2)],
    /^n2 voted yes on transaction 1\.1 after it had learned it aborted \(3s\): it prepared a transaction that was already over$/],
];

describe('each safety checker catches a hand-made violation', () => {
  it.each(VIOLATIONS)('%s', (name, make, events, message) => {
    const checker = make();
    expect(checker.name).toBe(name);
    feed(checker, events.slice(0, -1));
    expect(checker.broken()).toBeUndefined();
    feed(checker, events.slice(-1));
    expect(checker.broken()).toMatch(message);
    expect(checker.inapplicable?.()).toBeUndefined();
  });

  it.each(VIOLATIONS)('%s stands down from a byzantine-wrong or disk-corrupt fault on, with the reason', (_name, make, events) => {
    for (const [fault, reason] of [[WRONG, /^checked until n2 started sending corrupted messages/], [CORRUPT, /^checked until n3's disk was corrupted/]] as const) {
      const checker = make();
      feed(checker, [faultStart(0, fault), ...events]);
      expect(checker.broken()).toBeUndefined();
      expect(checker.inapplicable?.()).toMatch(reason);
    }
  });

  it('valid-commit: a no vote is named; a commit after every yes vote is fine', () => {
    const refused = validCommit(new TxLedger(1));
    feed(refused, [begin(0), prepared(1, 2), decided(1, 3, 'abort', 'vote'), decided(2, 1, 'commit')]);
    expect(refused.broken()).toBe('transaction 1.1 was committed (at n1) although n3 voted no');
    const fine = validCommit(new TxLedger(1));
    feed(fine, [begin(0), prepared(1, 2), prepared(1, 3), decided(2, 1, 'commit'), decided(3, 2, 'commit', 'coordinator')]);
    expect(fine.broken()).toBeUndefined();
  });

  it('no-unilateral-abort: losing a prepared transaction is caught; learning an abort, or a no vote without a yes, is fine', () => {
    const lost = noUnilateralAbort(new TxLedger(1));
    feed(lost, [begin(0), prepared(S, 2), boot(2 * S, 2), note(3 * S, 2, 'unknown-commit', { tx: '1.1' })]);
    expect(lost.broken()).toMatch(/^n2 voted yes on transaction 1\.1 at 1s and then lost it/);
    const fine = noUnilateralAbort(new TxLedger(1));
    feed(fine, [begin(0), prepared(1, 2), decided(2, 2, 'abort', 'coordinator'), decided(2, 3, 'abort', 'vote'), prepared(3, 2, '1.2'), decided(4, 2, 'commit', 'peer', '1.2')]);
    expect(fine.broken()).toBeUndefined();
  });

  it('no-vote-after-outcome: a restart in between (the unsynced abort record may be lost), the coordinator\'s own decision, or another transaction is fine', () => {
    const fine = noVoteAfterOutcome(new TxLedger(1));
    feed(fine, [begin(0), decided(1, 1, 'abort'), decided(2, 2, 'abort', 'coordinator'), boot(3, 2), prepared(4, 2), prepared(4, 3), prepared(5, 2, '1.2')]);
    expect(fine.broken()).toBeUndefined();
  });

  it('a coordinator reboot presumes undecided transactions aborted, but not a commit its log kept', () => {
    const presumed = atomicity(new TxLedger(1));
    feed(presumed, [begin(0), prepared(1, 2), prepared(1, 3), boot(5, 1), decided(6, 2, 'commit', 'peer')]);
    expect(presumed.broken()).toBe('transaction 1.1 was aborted at the coordinator n1 and committed at n2');
    const kept = atomicity(new TxLedger(1));
    feed(kept, [begin(0), prepared(1, 2), prepared(1, 3), boot(5, 1, { '1.1': {} }), decided(6, 2, 'commit', 'coordinator')]);
    expect(kept.broken()).toBeUndefined();
    const shared = new TxLedger(1);
    const both = [atomicity(shared), stableDecision(shared), validCommit(shared)];
    for (const e of [begin(0), prepared(1, 2), prepared(1, 3), decided(2, 1, 'commit'), boot(5, 1, { '1.1': {} }), decided(6, 2, 'commit', 'coordinator'), decided(6, 3, 'commit', 'coordinator')]) for (const c of both) c.observe(e, view(e.t));
    for (const c of both) expect(c.broken(), c.name).toBeUndefined();
  });
});

describe('termination (eventually) and the sometimes-checks', () => {
  const options = resolveRun(twoPhaseCommitSpec, { seed: 1, nodes: 4, faultPhaseUs: 10 * S }, { faults: [] });
  const w = windowUs(config, options, { faults: [] });
  const healed = (t: number, up = NODES) => view(t, up, 'heal', 10 * S);

  it('holds when everything begun is decided and learned; names a transaction left undecided and a participant left uncertain', () => {
    const done = termination(config, options, { faults: [] });
    feed(done, [begin(S), prepared(2 * S, 2), decided(3 * S, 1, 'abort'), decided(3 * S, 2, 'abort', 'coordinator')]);
    expect(done.unmet(healed(10 * S + done.deadlineUs))).toBeUndefined();
    const undecided = termination(config, options, { faults: [] });
    feed(undecided, [begin(S)]);
    expect(undecided.unmet(healed(10 * S + undecided.deadlineUs))).toBe('transaction 1.1 (begun at 1s) has no decision');
    const uncertain = termination(config, options, { faults: [] });
    feed(uncertain, [begin(S), prepared(2 * S, 2), decided(3 * S, 1, 'commit')]);
    expect(uncertain.unmet(healed(10 * S + uncertain.deadlineUs))).toBe('n2 is still uncertain about transaction 1.1 (it voted yes at 2s)');
    // A participant that is down for good is not asked to learn anything; one begun within the window is not late yet.
    expect(uncertain.unmet(healed(10 * S + uncertain.deadlineUs, [1, 3, 4]))).toBeUndefined();
    const fresh = termination(config, options, { faults: [] });
    feed(fresh, [begin(30 * S)]);
    expect(fresh.unmet(healed(30 * S + w - 1))).toBeUndefined();
  });

  it('a client operation invoked a window into the heal phase must not time out', () => {
    const c = termination(config, options, { faults: [] });
    const t0 = 10 * S + w;
    const events: ObservedEvent[] = [{ t: t0, kind: 'invoke', client: 1, req: 7, node: 1, op: {} }, { t: t0 + 10 * S, kind: 'complete', client: 1, req: 7, outcome: 'info' }];
    for (const e of events) c.observe(e, healed(e.t));
    expect(c.unmet(healed(10 * S + c.deadlineUs))).toMatch(/^client request 7 timed out at/);
  });

  it('is not owed when the coordinator is down for good, after a fault outside the model, or with a client timeout below the prepare timeout', () => {
    const down = termination(config, options, { faults: [] });
    feed(down, [begin(S)]);
    expect(down.unmet(healed(10 * S + down.deadlineUs, [2, 3, 4]))).toBeUndefined();
    expect(down.inapplicable?.()).toBe('the coordinator n1 is down for good: 2PC blocks until it returns, so no progress is owed');
    const corrupt = termination(config, options, { faults: [] });
    feed(corrupt, [faultStart(0, CORRUPT), begin(S)]);
    expect(corrupt.unmet(healed(10 * S + corrupt.deadlineUs))).toBeUndefined();
    expect(corrupt.inapplicable?.()).toMatch(/^not owed after n3's disk was corrupted/);
    const hasty = termination(config, { ...options, clients: { ...options.clients, timeoutUs: S } }, { faults: [] });
    expect(hasty.inapplicable?.()).toMatch(/^the client timeout \(1s\) is shorter than the prepare timeout plus resends/);
  });

  it('resolved-by-peer and blocked-until-coordinator-returned are reached only by what they describe', () => {
    const peer = resolvedByPeer(new TxLedger(1));
    feed(peer, [prepared(1, 2), decided(2, 2, 'commit', 'coordinator')]);
    expect(peer.reached()).toBe(false);
    feed(peer, [decided(3, 3, 'commit', 'peer')]);
    expect(peer.reached()).toBe(true);
    const back = coordinatorRecovered(new TxLedger(1));
    feed(back, [prepared(1, 2), faultStart(2, { type: 'crash', at: 2, node: 1 }), decided(3, 2, 'commit', 'peer')]);
    expect(back.reached()).toBe(false);
    feed(back, [prepared(4, 3), faultStart(5, { type: 'crash', at: 5, node: 1 }), boot(6, 1), decided(7, 3, 'abort', 'coordinator')]);
    expect(back.reached()).toBe(true);
  });
});

describe('blocking metrics', () => {
  it('measure each participant\'s time from its yes vote to the outcome, crashes included, and count what is still blocked', () => {
    const m = blockingMetrics(1, S);
    const events = [begin(0), prepared(S, 2), prepared(S, 3), begin(S, '1.2', [4]), decided(2 * S, 1, 'commit'), decided(2 * S + 5, 2, 'commit', 'coordinator'), boot(3 * S, 3), decided(7 * S, 3, 'commit', 'peer'), prepared(8 * S, 4, '1.2')];
    for (const e of events) m.observe(e, view(e.t));
    const summary = m.summary({ virtualUs: 10 * S } as MetricsSummary, view(10 * S));
    expect(summary).toEqual({ transactions: 2, committed: 1, aborted: 0, blockedUs: [S + 5, 6 * S], blockedP95Us: 6 * S, blockedLongUs: [S + 5, 6 * S], uncertainAtEnd: 1, learnedFromPeer: 1 });
  });
});
