// Raft's checkers on hand-made event sequences: each catches the violation it is about, does not
// fire on the legal look-alike, and stands down (n/a, with the reason) from a byzantine `wrong` or a
// `disk-corrupt` fault on, while a violation seen before such a fault still counts.
import { describe, expect, it } from 'vitest';
import {
  electionSafety, leaderAndProgress, leaderCompleteness, logMatching, outsideFaultModel, stateMachineSafety,
} from '../../../protocols/raft/checkers.ts';
import { raftSpec } from '../../../protocols/raft/spec.ts';
import type { AlwaysChecker, CheckerView } from '../../../sim/checker.ts';
import { parseFaultPlan, type Fault } from '../../../sim/faultPlan.ts';
import { resolveRun } from '../../../sim/resolveRun.ts';
import type { ObservedEvent } from '../../../sim/traceEvents.ts';
import { config, logOf } from './raftFixtures.ts';
import { EMPTY_LOG, logFromEntries } from '../../../protocols/raft/log.ts';

const NODES = [1, 2, 3];
const view = (nowUs = 0, up: number[] = NODES, phase: 'fault' | 'heal' = 'fault', healStartUs = 0): CheckerView =>
  ({ nowUs, phase, healStartUs, nodes: NODES, isUp: (n) => up.includes(n) });
const note = (t: number, node: number, name: string, data: Record<string, unknown>): ObservedEvent => ({ t, kind: 'note', node, name, data });
const leader = (t: number, node: number, term: number) => note(t, node, 'leader', { term });
const entry = (t: number, node: number, index: number, term: number, h: number) => note(t, node, 'entry', { index, term, h });
const commit = (t: number, node: number, index: number, term: number, h: number) => note(t, node, 'commit', { index, term, h });
const apply = (t: number, node: number, index: number, term: number, h: number) => note(t, node, 'apply', { index, term, h });
const truncate = (t: number, node: number, from: number) => note(t, node, 'truncate', { from });
const boot = (t: number, node: number, state: unknown = { term: 0, log: EMPTY_LOG }): ObservedEvent => ({ t, kind: 'boot', node, disk: 'ok', state });
const faultStart = (t: number, fault: Fault): ObservedEvent => ({ t, kind: 'fault', phase: 'start', fault });
const WRONG: Fault = { type: 'byzantine', at: 0, node: 2, behaviour: 'wrong', probability: 1 };
const CORRUPT: Fault = { type: 'disk-corrupt', at: 0, node: 3 };
const feed = (checker: { observe(e: ObservedEvent, v: CheckerView): void }, events: readonly ObservedEvent[]) => events.forEach((e) => checker.observe(e, view(e.t)));

/** Each always-checker with a sequence that breaks it and the message it gives. */
const VIOLATIONS: [string, () => AlwaysChecker, ObservedEvent[], RegExp][] = [
  ['election-safety', electionSafety, [leader(1, 1, 2), leader(2, 2, 2)], /^n1 and n2 were both leader in term 2$/],
  ['log-matching', logMatching, [entry(1, 1, 3, 2, 111), entry(2, 2, 3, 2, 222)], /^n1 and n2 hold entries at index 3 in term 2 whose logs differ before them$/],
  ['log-matching', logMatching, [entry(1, 1, 5, 2, 111), entry(2, 2, 3, 3, 500), entry(3, 1, 3, 2, 400), entry(4, 3, 3, 3, 501)], /^n2 and n3 hold entries at index 3 in term 3 whose logs differ before them$/],
  ['state-machine-safety', stateMachineSafety, [apply(1, 1, 9, 1, 7), apply(2, 2, 2, 1, 5), apply(3, 3, 2, 1, 6)], /^n2 and n3 applied different entries at index 2$/],
  ['leader-completeness', leaderCompleteness, [boot(0, 1), boot(0, 2), entry(1, 1, 1, 1, 7), commit(2, 1, 1, 1, 7), leader(3, 2, 2)], /^n2 became leader of term 2 without committed entry 1 \(term 1\)$/],
  ['state-machine-safety', stateMachineSafety, [apply(1, 1, 4, 1, 7), apply(2, 3, 4, 2, 8)], /^n1 and n3 applied different entries at index 4$/],
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
    // The first violation is kept.
    feed(checker, [leader(9, 3, 2), entry(9, 3, 3, 2, 333), apply(9, 2, 4, 3, 9)]);
    expect(checker.broken()).toMatch(message);
  });

  it.each(VIOLATIONS)('%s stands down from a byzantine-wrong or disk-corrupt fault on, with the reason', (_name, make, events) => {
    for (const [fault, reason] of [[WRONG, /^checked until n2 started sending corrupted messages \(byzantine wrong\)/], [CORRUPT, /^checked until n3's disk was corrupted/]] as const) {
      const checker = make();
      feed(checker, [faultStart(0, fault), ...events]);
      expect(checker.broken()).toBeUndefined();
      expect(checker.inapplicable?.()).toMatch(reason);
    }
  });

  it.each(VIOLATIONS)('%s: a violation before such a fault still counts', (_name, make, events, message) => {
    const checker = make();
    feed(checker, [...events, faultStart(10, WRONG)]);
    expect(checker.broken()).toMatch(message);
    expect(checker.inapplicable?.()).toBeUndefined();
  });

  it('other faults (byzantine silent, delay or duplicate, crashes, disk-full) are inside the fault model', () => {
    const inside: Fault[] = [
      { ...WRONG, behaviour: 'silent' }, { ...WRONG, behaviour: 'duplicate' }, { ...WRONG, behaviour: 'delay', delay: 1_000 },
      { type: 'crash', at: 0, node: 1 }, { type: 'disk-full', at: 0, node: 1 }, { type: 'partition', at: 0, groups: [[1], [2, 3]] },
    ];
    for (const fault of inside) expect(outsideFaultModel(faultStart(0, fault))).toBeUndefined();
    expect(outsideFaultModel({ t: 5, kind: 'fault', phase: 'end', fault: WRONG })).toBeUndefined();
    const checker = electionSafety();
    feed(checker, [...inside.map((f) => faultStart(0, f)), leader(1, 1, 2), leader(2, 2, 2)]);
    expect(checker.broken()).toBeDefined();
  });
});

describe('the legal look-alikes pass', () => {
  it('election-safety: one leader re-announced in its term, and different leaders in different terms', () => {
    const checker = electionSafety();
    feed(checker, [leader(1, 1, 2), leader(2, 1, 2), leader(3, 2, 3), leader(4, 1, 4)]);
    expect(checker.broken()).toBeUndefined();
  });

  it('leader-completeness: a candidate of an old term winning late, after a later term committed entries (its vote grants held up by a pause)', () => {
    const checker = leaderCompleteness();
    // n2 leads term 2 and commits entry 1 of term 2; n1, paused as a candidate of term 1, then wins term 1.
    feed(checker, [boot(0, 1), boot(0, 2), boot(0, 3), leader(1, 2, 2), entry(2, 2, 1, 2, 70), entry(3, 3, 1, 2, 70), commit(4, 2, 1, 2, 70), leader(5, 1, 1)]);
    expect(checker.broken()).toBeUndefined();
    // A leader of a later term without that entry is still caught.
    feed(checker, [leader(6, 1, 3)]);
    expect(checker.broken()).toMatch(/^n1 became leader of term 3 without committed entry 1 \(term 2\)$/);
  });

  it('log-matching: the same entry on two nodes; the same index in different terms', () => {
    const checker = logMatching();
    feed(checker, [entry(1, 1, 3, 2, 111), entry(2, 2, 3, 2, 111), entry(3, 3, 3, 3, 999)]);
    expect(checker.broken()).toBeUndefined();
  });

  it('state-machine-safety: every node applying the same entry at an index', () => {
    const checker = stateMachineSafety();
    feed(checker, [apply(1, 1, 1, 1, 7), apply(2, 2, 1, 1, 7), apply(3, 3, 1, 1, 7), apply(4, 1, 1, 1, 7)]);
    expect(checker.broken()).toBeUndefined();
  });
});

describe('leader-completeness follows each node\'s log through boots, entries and truncations', () => {
  const log = logOf([1, 1]);
  const h1 = log[0]!.h;
  const h2 = log[1]!.h;

  it('a leader that restarted with the committed entry on disk (its boot state) is complete', () => {
    const checker = leaderCompleteness();
    feed(checker, [boot(0, 1), entry(1, 1, 1, 1, h1), entry(1, 1, 2, 1, h2), commit(2, 1, 2, 1, h2), boot(3, 2, { term: 1, log: logFromEntries(log) }), leader(4, 2, 2)]);
    expect(checker.broken()).toBeUndefined();
  });

  it('an entry received and then truncated away no longer counts', () => {
    const checker = leaderCompleteness();
    feed(checker, [boot(0, 1), boot(0, 2), entry(1, 1, 1, 1, h1), entry(1, 2, 1, 1, h1), commit(2, 1, 1, 1, h1), truncate(3, 2, 1), leader(4, 2, 2)]);
    expect(checker.broken()).toMatch(/^n2 became leader of term 2 without committed entry 1 \(term 1\)$/);
  });

  it('a different entry at the committed index does not count; a reboot with an empty disk forgets the log', () => {
    const wrongEntry = leaderCompleteness();
    feed(wrongEntry, [boot(0, 1), boot(0, 2), entry(1, 1, 1, 1, h1), commit(2, 1, 1, 1, h1), entry(3, 2, 1, 1, 4242), leader(4, 2, 2)]);
    expect(wrongEntry.broken()).toMatch(/without committed entry 1/);
    const wiped = leaderCompleteness();
    feed(wiped, [boot(0, 1), boot(0, 2), entry(1, 2, 1, 1, h1), commit(2, 1, 1, 1, h1), boot(3, 2), leader(4, 2, 2)]);
    expect(wiped.broken()).toMatch(/without committed entry 1/);
  });

  it('only the highest commit matters, and a leader elected before any commit is fine', () => {
    const checker = leaderCompleteness();
    feed(checker, [boot(0, 1), boot(0, 2), leader(1, 1, 1), entry(1, 1, 1, 1, h1), entry(1, 1, 2, 1, h2), entry(2, 2, 1, 1, h1), entry(2, 2, 2, 1, h2), commit(3, 1, 2, 1, h2), commit(4, 2, 1, 1, h1), leader(5, 2, 2)]);
    expect(checker.broken()).toBeUndefined();
  });
});

describe('leader-and-progress', () => {
  const heal = 1_000_000;
  const optionsWith = (network: Record<string, unknown> = {}) =>
    resolveRun(raftSpec, { seed: 1, nodes: 3, faultPhaseUs: heal, network }, parseFaultPlan({ faults: [] }, 3, heal));
  const role = (t: number, node: number, r: string, term: number) => note(t, node, 'role', { role: r, term });
  const healStarts: ObservedEvent = { t: heal, kind: 'phase', phase: 'heal' };
  const crash = (t: number, node: number): ObservedEvent => faultStart(t, { type: 'crash', at: t, node });
  const settled = heal + 10 * config.electionMax;
  const boots = [boot(0, 1), boot(0, 2), boot(0, 3)];
  /** A checker fed `events`, each seen in the phase of its time. */
  function fed(events: readonly ObservedEvent[], options = optionsWith()) {
    const checker = leaderAndProgress(config, options);
    events.forEach((e) => checker.observe(e, view(e.t, NODES, e.t >= heal ? 'heal' : 'fault', heal)));
    return checker;
  }
  const unmet = (checker: ReturnType<typeof fed>, up: number[] = NODES) => checker.unmet(view(settled + 3_000_000, up, 'heal', heal));

  it('is met by a leader that was leading when the heal phase began, or one elected in it', () => {
    expect(unmet(fed([...boots, role(1, 2, 'candidate', 1), role(2, 2, 'leader', 1), healStarts]))).toBeUndefined();
    expect(unmet(fed([...boots, healStarts, role(heal + 5, 3, 'candidate', 1), role(heal + 6, 3, 'leader', 1), leader(heal + 6, 3, 1)]))).toBeUndefined();
  });

  it('is unmet when no leader led since the heal phase began: none elected, one crashed or deposed before it', () => {
    const noLeader = 'no leader since the heal phase began';
    expect(unmet(fed([...boots, healStarts]))).toBe(noLeader);
    expect(unmet(fed([...boots, role(1, 2, 'leader', 1), crash(2, 2), healStarts]), [1, 3])).toBe(noLeader);
    expect(unmet(fed([...boots, role(1, 2, 'leader', 1), role(2, 2, 'follower', 2), healStarts]))).toBe(noLeader);
    // A leader note from before the heal phase does not count.
    expect(unmet(fed([...boots, leader(1, 2, 1), role(2, 2, 'follower', 2), healStarts]))).toBe(noLeader);
  });

  it('is unmet when an operation invoked after the cluster had time to settle ends without an answer', () => {
    const invoke = (t: number, req: number): ObservedEvent => ({ t, kind: 'invoke', client: 1, req, node: 1, op: { f: 'get', key: 'k' } });
    const complete = (t: number, req: number, out: 'ok' | 'info'): ObservedEvent => ({ t, kind: 'complete', client: 1, req, outcome: out });
    const early = [...boots, role(1, 1, 'leader', 1), healStarts, invoke(heal + 1, 1), complete(heal + 2_000_000, 1, 'info')];
    expect(unmet(fed(early))).toBeUndefined(); // invoked before the cluster settled
    const late = [invoke(settled + 1, 2), complete(settled + 1_000_000, 2, 'info'), invoke(settled + 2, 3), complete(settled + 5, 3, 'ok')];
    expect(unmet(fed([...early, ...late]))).toMatch(/^client request 2 got no answer by .*after the heal phase began$/);
  });

  it('is owed only with a live majority, and says so (n/a)', () => {
    const checker = fed([...boots, healStarts]);
    expect(unmet(checker, [3])).toBeUndefined();
    expect(checker.inapplicable?.()).toBe('only 1 of 3 nodes are up after the heal phase: no majority, so no progress is owed');
  });

  it('is owed only when a round trip is well below the election timeout (n/a otherwise)', () => {
    const slow = optionsWith({ latency: { dist: 'uniform', minUs: 1_000, maxUs: 30_000 } });
    const checker = fed([...boots, healStarts], slow);
    expect(unmet(checker)).toBeUndefined();
    expect(checker.inapplicable?.()).toMatch(/^a round trip can take 60ms, not well below the 150ms election timeout/);
    // 25 ms each way is still fine: 6 x 25 ms = 150 ms.
    expect(unmet(fed([...boots, healStarts], optionsWith({ latency: { dist: 'uniform', minUs: 1_000, maxUs: 25_000 } })))).toBe('no leader since the heal phase began');
  });
});
