// Pinned whole runs that the correct protocol must pass, each from a protocol bug found while
// hunting (the step-level form of each is in raftDurability.test.ts and raftClients.test.ts):
//  - a slow or full disk: a leader counts its own log toward a majority, and a follower
//    acknowledges entries, before they are on disk (the engine holds only a step's own sends
//    behind its own write; a later step that writes nothing sends at once, and a failed write is
//    never retried), so a crash loses committed entries;
//  - a read-index acknowledgement from an earlier life of the leader (round numbers restart at 0
//    after a crash) confirms reads the leader never confirmed, so a deposed leader serves stale reads;
//  - a liveness failure: under 20% loss, with every live node's vote needed, elections failed for
//    seconds because a candidate asked for each vote only once;
//  - and what the fix for it first broke: a vote granted again was answered at once, before the
//    vote was on disk (its write failed on a full disk), so a crash lost it and the node voted
//    for another candidate in the same term: two leaders.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { raftSpec } from '../../../protocols/raft/spec.ts';
import { parseRepro, scheduleOfRepro } from '../../../sim/explore/repro.ts';
import { runSchedule } from '../../../sim/explore/schedule.ts';
import { outcome, raftRun } from './raftFixtures.ts';

describe('a committed entry survives crashes when a disk is slow or full (3 nodes, seed 1: n1 leads term 1)', () => {
  // n3 is cut off from 1 s to 3 s, so n1 and n2 are the majority; one of them gets a slow (50 ms)
  // or a full disk from 1 s; at 2 s both crash; that one comes back at 3 s and, with n3, elects a leader.
  const partition = { at: '1s', for: '2s', type: 'partition', groups: [['n3'], ['n1', 'n2']] };
  const diskThenCrash = (disk: Record<string, unknown>, node: string, other: string) => [
    partition,
    { at: '1s', for: '1500ms', node, ...disk },
    { at: '2s', for: '1s', type: 'crash', node },
    { at: '2s', type: 'crash', node: other },
  ];
  const SLOW = { type: 'disk-slow', latency: '50ms' };
  const FULL = { type: 'disk-full' };

  it.each([
    ['the leader (n1) with a slow disk commits only what its own disk holds', diskThenCrash(SLOW, 'n1', 'n2')],
    ['the follower (n2) with a slow disk acknowledges only what its disk holds', diskThenCrash(SLOW, 'n2', 'n1')],
    ['the follower (n2) with a full disk acknowledges only what its disk holds', diskThenCrash(FULL, 'n2', 'n1')],
  ])('%s', (_what, faults) => {
    const run = raftRun({ seed: 1, nodes: 3 }, faults);
    expect(run.result.verdict, JSON.stringify(run.result.verdict)).toEqual({ kind: 'pass' });
    expect(outcome(run.result, 'leader-completeness')?.status).toBe('held');
  });
});

describe('read-index reads across a leader\'s restart (3 nodes, seed 1: n1 leads term 1)', () => {
  it('acknowledgements of AppendEntries from the leader\'s previous life do not confirm reads (linearizable)', () => {
    // Some of n1's AppendEntries (round ~250) are delayed 500 ms; n1 crashes at 5 s for 20 ms and
    // wins term 2 (rounds from 0 again); the late ones are answered in term 2 with their old
    // rounds. From 5.5 s n1 is cut off: n3 leads term 3 and takes writes, while n1 must not
    // answer reads on the strength of those old rounds.
    const faults = [
      { at: '4500ms', for: '500ms', type: 'byzantine', node: 'n1', behaviour: 'delay', delay: '500ms', probability: 0.2 },
      { at: '5s', for: '20ms', type: 'crash', node: 'n1' },
      { at: '5500ms', for: '2s', type: 'partition', groups: [['n1'], ['n2', 'n3']] },
    ];
    const run = raftRun({ seed: 1, nodes: 3, faultPhaseUs: 8_000_000 }, faults);
    expect(run.result.verdict, JSON.stringify(run.result.verdict)).toEqual({ kind: 'pass' });
    expect(outcome(run.result, 'linearizability')?.status).toBe('held');
  });
});

/** A shrunk repro file from test/fixtures/raft/ (it records the failure it was found with) and the current Raft's run of it. */
function replayFixture(file: string) {
  const repro = parseRepro(JSON.parse(readFileSync(new URL(`../../fixtures/raft/${file}`, import.meta.url), 'utf8')), file);
  return { repro, result: runSchedule(raftSpec, scheduleOfRepro(repro, raftSpec, file)) };
}

describe('elections under heavy loss when every live node\'s vote is needed', () => {
  it('a candidate asks again for the votes it lacks, so the cluster elects a leader within the progress bound', () => {
    // Found by the explorer (pct strategy, sweep seed 8, run 139; shrunk): 4 nodes, n3 down for
    // good, 20% loss. A majority is all three live nodes, and a candidate that asked once lost
    // its election to any one lost request or reply: fifteen elections in a row failed for 3 s
    // (n4, with a shorter log, kept starting its own) and client requests timed out. The repro
    // records that failure; the current Raft passes the same schedule.
    const { repro, result } = replayFixture('election-under-loss.repro.json');
    expect(repro.verdict).toMatchObject({ kind: 'liveness', checker: 'leader-and-progress' });
    expect(result.verdict).toEqual({ kind: 'pass' });
    expect(result.checks.find((c) => c.name === 'leader-and-progress')?.status).toBe('held');
  });
});

describe('a vote granted again is answered only once it is on disk', () => {
  it('a full disk and crashes do not let a node vote twice in one term (two leaders)', () => {
    // Found by the explore benchmark (random strategy, sweep seed 9, run 196; shrunk): n2's disk
    // is full for 4 s, and n1, n2 and n3 crash and restart. The repro records the violation of
    // the version that answered a repeated RequestVote at once; the current Raft passes it.
    const { repro, result } = replayFixture('regrant-before-durable.repro.json');
    expect(repro.verdict).toMatchObject({ kind: 'safety', checker: 'election-safety' });
    expect(result.verdict).toEqual({ kind: 'pass' });
  });
});
