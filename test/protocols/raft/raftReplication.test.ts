// Raft log replication on hand-made inputs (section 5.3, 5.4.2): AppendEntries rejects stale
// terms and answers a missing or conflicting prefix with a conflict index and term; matching
// entries are kept and only a conflicting suffix is truncated (the truncate-on-append bug always
// truncates); the leader backs up a whole term at a time; only entries of the leader's term are
// committed by counting replicas (the commit-old-terms bug counts older ones too).
import { describe, expect, it } from 'vitest';
import { termAt } from '../../../protocols/raft/log.ts';
import {
  appendEntries, appendReply, buggy, ctxOf, effectsOf, leaderState, logOf, msgFrom, noteData, raft, sent, stateWith, entriesOf, asLog } from './raftFixtures.ts';

describe('AppendEntries at a follower', () => {
  const ctx = ctxOf(2, 3, 5_000_000);

  it('rejects a stale term with its own term and no conflict hint, changing nothing', () => {
    const follower = stateWith({ term: 5, log: logOf([1, 5]) });
    const step = raft.step(follower, msgFrom(1, appendEntries(4, 2, 5, [], 0, 7)), ctx);
    expect(step.state).toBe(follower);
    expect(sent(step, 'AppendEntriesReply')).toEqual([{ kind: 'send', to: 1, msg: appendReply(5, false, 0, { round: 7 }) }]);
  });

  it('a prevIndex beyond its log: rejected with conflictIndex = last index + 1, and the leader is recognised', () => {
    const follower = stateWith({ role: 'candidate', term: 2, votedFor: 2, log: logOf([1, 1]) });
    const step = raft.step(follower, msgFrom(1, appendEntries(3, 5, 3, [], 0, 4)), ctx);
    expect(sent(step, 'AppendEntriesReply')[0]?.msg).toEqual(appendReply(3, false, 0, { conflictIndex: 3, round: 4 }));
    expect(step.state).toMatchObject({ role: 'follower', term: 3, votedFor: null, leader: 1, leaderSeenUs: 5_000_000 });
    expect(step.effects[0]).toMatchObject({ kind: 'persist', data: { term: 3, votedFor: null } });
  });

  it('a prevTerm mismatch: rejected with its term at prevIndex and the first index of that term', () => {
    const follower = stateWith({ term: 4, leader: 1, log: logOf([1, 2, 2, 2]) });
    const step = raft.step(follower, msgFrom(1, appendEntries(4, 4, 3, [])), ctx);
    expect(sent(step, 'AppendEntriesReply')[0]?.msg).toEqual(appendReply(4, false, 0, { conflictTerm: 2, conflictIndex: 2 }));
    expect(step.state.log).toHaveLength(4);
  });

  // The leader's log is L (terms 1 1 2 3); the follower shares L up to index 3 and then has two
  // entries of term 2 from an older leader.
  const L = logOf([1, 1, 2, 3]);
  const diverged = [...L.slice(0, 3), ...logOf([1, 1, 2, 2, 2]).slice(3)];

  it('keeps the matching entries and truncates only from the first conflict', () => {
    const follower = stateWith({ term: 3, leader: 1, log: diverged });
    const step = raft.step(follower, msgFrom(1, appendEntries(3, 2, 1, L.slice(2, 4), 0)), ctx);
    expect(entriesOf(step.state)).toEqual(L);
    expect(noteData(step, 'truncate')).toEqual([{ from: 4 }]);
    expect(noteData(step, 'entry')).toEqual([{ index: 4, term: 3, h: L[3]?.h }]);
    expect(entriesOf(step.state)[2]).toBe(diverged[2]); // the kept entry is the same object
    expect(step.effects[0]).toEqual({ kind: 'persist', token: expect.any(Number), data: { term: 3, votedFor: null, log: asLog(L) } });
    expect(sent(step, 'AppendEntriesReply')[0]?.msg).toEqual(appendReply(3, true, 4));
  });

  it('a stale, shorter AppendEntries whose entries all match truncates nothing and persists nothing', () => {
    const follower = stateWith({ term: 3, leader: 1, log: L });
    const step = raft.step(follower, msgFrom(1, appendEntries(3, 1, 1, L.slice(1, 2))), ctx);
    expect(step.state.log).toBe(follower.log);
    expect(noteData(step, 'truncate')).toEqual([]);
    expect(effectsOf(step, 'persist')).toEqual([]);
    expect(sent(step, 'AppendEntriesReply')[0]?.msg).toEqual(appendReply(3, true, 2));
  });

  it('the truncate-on-append bug cuts the log after the stale AppendEntries\' entries', () => {
    const follower = stateWith({ term: 3, leader: 1, log: L });
    const step = buggy('truncate-on-append').step(follower, msgFrom(1, appendEntries(3, 1, 1, L.slice(1, 2))), ctx);
    expect(entriesOf(step.state)).toEqual(L.slice(0, 2));
    expect(noteData(step, 'truncate')).toEqual([{ from: 2 }]); // it cuts after prevIndex and appends the entry again
    const heartbeat = buggy('truncate-on-append').step(follower, msgFrom(1, appendEntries(3, 2, 1, [])), ctx);
    expect(entriesOf(heartbeat.state)).toEqual(L.slice(0, 2));
  });

  it('advances its commit index to min(leader commit, last new entry) and applies in order', () => {
    const follower = stateWith({ term: 3, leader: 1, log: L.slice(0, 2) });
    const step = raft.step(follower, msgFrom(1, appendEntries(3, 2, 1, [L[2]!], 4)), ctx);
    expect(step.state).toMatchObject({ commit: 3, applied: 3 });
    expect(noteData(step, 'apply')).toEqual([1, 2, 3].map((index) => ({ index, term: L[index - 1]?.term, h: L[index - 1]?.h })));
    // A heartbeat that covers less than the commit index does not commit beyond what it checked.
    const behind = stateWith({ term: 3, leader: 1, log: diverged });
    expect(raft.step(behind, msgFrom(1, appendEntries(3, 3, 2, [], 4)), ctx).state.commit).toBe(3);
  });
});

describe('the leader backs up with the conflict term and index', () => {
  const ctx = ctxOf(1, 3);

  it('to the end of its own entries of the conflict term when it has that term', () => {
    const leader = leaderState(3, 5, logOf([1, 1, 3, 3, 3, 5]), { next: { n2: 7, n3: 7 } });
    const step = raft.step(leader, msgFrom(2, appendReply(5, false, 0, { conflictTerm: 3, conflictIndex: 3 })), ctx);
    expect(step.state.next).toEqual({ n2: 6, n3: 7 });
    expect(sent(step, 'AppendEntries').map((e) => [e.to, e.msg.prevIndex, e.msg.prevTerm, e.msg.entries.map((x) => x.term)])).toEqual([[2, 5, 3, [5]]]);
  });

  it('to the first index of the conflict term when it does not have that term', () => {
    const leader = leaderState(3, 5, logOf([1, 1, 1, 4, 4, 5]), { next: { n2: 7, n3: 7 } });
    const step = raft.step(leader, msgFrom(2, appendReply(5, false, 0, { conflictTerm: 2, conflictIndex: 4 })), ctx);
    expect(step.state.next.n2).toBe(4);
    expect(sent(step, 'AppendEntries').map((e) => [e.msg.prevIndex, e.msg.prevTerm, e.msg.entries.map((x) => x.term)])).toEqual([[3, 1, [4, 4, 5]]]);
  });

  it('to the follower\'s log end when the follower is short', () => {
    const leader = leaderState(3, 5, logOf([1, 1, 1, 4, 4, 5]), { next: { n2: 7, n3: 7 } });
    const step = raft.step(leader, msgFrom(2, appendReply(5, false, 0, { conflictIndex: 2 })), ctx);
    expect(step.state.next.n2).toBe(2);
    expect(sent(step, 'AppendEntries')[0]?.msg).toMatchObject({ prevIndex: 1, prevTerm: 1 });
  });

  it('a success moves next and match forward only; a late, smaller success does not move them back', () => {
    const leader = leaderState(3, 5, logOf([1, 1, 5]), { next: { n2: 4, n3: 4 }, match: { n2: 3, n3: 0 } });
    const step = raft.step(leader, msgFrom(2, appendReply(5, true, 1)), ctx);
    expect(step.state.next.n2).toBe(4);
    expect(step.state.match.n2).toBe(3);
  });

  it('a reply of a newer term makes the leader a follower of that term', () => {
    const leader = leaderState(3, 5, logOf([1, 5]));
    expect(raft.step(leader, msgFrom(2, appendReply(6, false, 0)), ctx).state).toMatchObject({ role: 'follower', term: 6, leader: null });
  });
});

describe('commit', () => {
  const log = logOf([1, 1, 3]); // the leader of term 3 has replicated its no-op (index 3) nowhere yet

  it('an entry of an earlier term is not committed by counting replicas, but the commit-old-terms bug commits it', () => {
    const leader = leaderState(3, 3, log);
    const correct = raft.step(leader, msgFrom(2, appendReply(3, true, 2)), ctxOf(1, 3));
    expect(correct.state.commit).toBe(0);
    expect(noteData(correct, 'commit')).toEqual([]);
    const broken = buggy('commit-old-terms').step(leader, msgFrom(2, appendReply(3, true, 2)), ctxOf(1, 3));
    expect(broken.state.commit).toBe(2);
    expect(noteData(broken, 'commit')).toEqual([{ index: 2, term: 1, h: log[1]?.h }]);
  });

  it('an entry of the current term held by a majority is committed, with every entry before it, and applied in order', () => {
    const leader = leaderState(3, 3, log);
    const step = raft.step(leader, msgFrom(2, appendReply(3, true, 3)), ctxOf(1, 3));
    expect(step.state).toMatchObject({ commit: 3, applied: 3 });
    expect(noteData(step, 'commit')).toEqual([{ index: 3, term: 3, h: log[2]?.h }]);
    expect(noteData(step, 'apply').map((d) => (d as { index: number }).index)).toEqual([1, 2, 3]);
  });

  it('in a five-node cluster one follower is not a majority; two are', () => {
    const leader = leaderState(5, 3, log);
    const one = raft.step(leader, msgFrom(2, appendReply(3, true, 3)), ctxOf(1, 5));
    expect(one.state.commit).toBe(0);
    const again = raft.step(one.state, msgFrom(2, appendReply(3, true, 3)), ctxOf(1, 5));
    expect(again.state.commit).toBe(0);
    expect(raft.step(one.state, msgFrom(4, appendReply(3, true, 3)), ctxOf(1, 5)).state.commit).toBe(3);
  });
});
