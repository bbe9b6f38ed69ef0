// Raft leader election on hand-made inputs (sections 5.2 and 5.4.1, thesis 9.6): the election
// timeout, votes once per term with the up-to-date log check (and the vote-without-log-check bug
// that skips it), pre-vote without a term change and with leader stickiness, and becoming leader.
import { describe, expect, it } from 'vitest';
import { SeedRng } from '../../../sim/rng.ts';
import { constRng } from '../../helpers.ts';
import {
  buggy, config, configWith, ctxOf, drive, effectsOf, logOf, msgFrom, noteData, raft, requestVote, sends, sent, stateWith, timer, voteReply, entriesOf, asLog } from './raftFixtures.ts';

const { electionMin, electionMax } = config;

describe('election timeout', () => {
  const log = logOf([1, 2, 3]);
  const follower = stateWith({ term: 3, votedFor: 2, leader: 2, log });

  it('makes a follower a candidate of term + 1 that votes for itself and asks every peer, persisting first', () => {
    const step = raft.step(follower, timer('election'), ctxOf(1, 5));
    expect(step.state).toMatchObject({ role: 'candidate', term: 4, votedFor: 1, leader: null, votes: [1] });
    expect(step.effects[0]).toEqual({ kind: 'persist', token: expect.any(Number), data: { term: 4, votedFor: 1, log: asLog(log) } });
    expect(sent(step, 'RequestVote').map((e) => [e.to, e.msg])).toEqual(
      [2, 3, 4, 5].map((to) => [to, { type: 'RequestVote', term: 4, lastIndex: 3, lastTerm: 3, pre: false }]),
    );
    expect(noteData(step, 'role')).toEqual([{ role: 'candidate', term: 4 }]);
    expect(noteData(step, 'election')).toEqual([{ term: 4 }]);
    expect(effectsOf(step, 'setTimer')).toEqual([{ kind: 'setTimer', timer: 'election', afterUs: electionMin }, { kind: 'setTimer', timer: 'vote', afterUs: config.heartbeat }]);
  });

  it('a candidate asks again, every heartbeat interval, only the peers whose vote it lacks (the paper retries RPCs)', () => {
    const candidate = stateWith({ role: 'candidate', term: 4, votedFor: 1, log, votes: [1, 3] });
    const step = raft.step(candidate, timer('vote'), ctxOf(1, 5));
    expect(sent(step, 'RequestVote').map((e) => [e.to, e.msg])).toEqual([2, 4, 5].map((to) => [to, { type: 'RequestVote', term: 4, lastIndex: 3, lastTerm: 3, pre: false }]));
    expect(effectsOf(step, 'setTimer')).toEqual([{ kind: 'setTimer', timer: 'vote', afterUs: config.heartbeat }]);
    expect(step.state).toBe(candidate);
    // Once the election is over (leader or follower), the timer does nothing.
    for (const role of ['leader', 'follower'] as const) {
      const over = raft.step(stateWith({ role, term: 4, log }), timer('vote'), ctxOf(1, 5));
      expect(over.effects).toEqual([]);
    }
  });

  it('a voter asked again by the candidate it voted for grants the vote again, but only behind a write that holds it', () => {
    // The first write of the vote may still be in flight, or may have failed (a full disk); an
    // answer sent at once would acknowledge a vote a crash can lose, and after the restart the
    // node could vote for another candidate in the same term (two leaders: found by the explorer).
    const voter = stateWith({ term: 4, votedFor: 2, log });
    const step = raft.step(voter, msgFrom(2, requestVote(4, 3, 3)), ctxOf(3, 5));
    expect(sent(step, 'RequestVoteReply')[0]?.msg).toEqual(voteReply(4, true));
    expect(step.effects[0]).toEqual({ kind: 'persist', token: expect.any(Number), data: { term: 4, votedFor: 2, log: asLog(log) } });
    // A refusal writes nothing.
    const refused = raft.step(voter, msgFrom(3, requestVote(4, 3, 3)), ctxOf(3, 5));
    expect(sent(refused, 'RequestVoteReply')[0]?.msg).toEqual(voteReply(4, false));
    expect(effectsOf(refused, 'persist')).toEqual([]);
  });

  it('a candidate whose election timed out starts another election in the next term', () => {
    const [first, second] = drive(follower, [timer('election'), timer('election')], ctxOf(1, 5));
    expect(first?.state.term).toBe(4);
    expect(second?.state).toMatchObject({ role: 'candidate', term: 5, votedFor: 1, votes: [1] });
    expect(second?.effects[0]).toMatchObject({ kind: 'persist', data: { term: 5, votedFor: 1 } });
  });

  it.each([0, 0.25, 0.5, 0.999_999_9])('draws the timeout from [electionMin, electionMax] (rng draw %f)', (draw) => {
    const step = raft.step(follower, timer('election'), ctxOf(1, 5, 0, constRng(draw)));
    const [armed] = effectsOf(step, 'setTimer');
    expect(armed?.afterUs).toBe(electionMin + Math.floor(draw * (electionMax - electionMin + 1)));
    expect(armed?.afterUs).toBeGreaterThanOrEqual(electionMin);
    expect(armed?.afterUs).toBeLessThanOrEqual(electionMax);
  });

  it('redraws the timeout every time, spread over the whole range', () => {
    const rng = new SeedRng('raft-election-timeouts');
    const drawn = Array.from({ length: 500 }, () => effectsOf(raft.step(follower, timer('election'), ctxOf(1, 5, 0, rng)), 'setTimer')[0]?.afterUs as number);
    expect(drawn.every((us) => us >= electionMin && us <= electionMax)).toBe(true);
    expect(new Set(drawn).size).toBeGreaterThan(400);
    expect(Math.min(...drawn)).toBeLessThan(electionMin + 5_000);
    expect(Math.max(...drawn)).toBeGreaterThan(electionMax - 5_000);
  });

  it('is ignored by a leader', () => {
    const leader = stateWith({ role: 'leader', term: 3, leader: 1, log });
    expect(raft.step(leader, timer('election'), ctxOf(1, 5))).toEqual({ state: leader, effects: [] });
  });

  it('makes the only node of a one-node cluster leader at once, its no-op committed once it is on disk', () => {
    const elected = raft.step(stateWith(), timer('election'), ctxOf(1, 1));
    expect(elected.state).toMatchObject({ role: 'leader', term: 1, leader: 1, commit: 0 });
    const token = (elected.effects[0] as { token: number }).token;
    const step = raft.step(elected.state, { kind: 'persisted', token, ok: true }, ctxOf(1, 1));
    expect(step.state).toMatchObject({ role: 'leader', term: 1, leader: 1, commit: 1, applied: 1 });
    expect(entriesOf(step.state).map((e) => [e.term, e.cmd])).toEqual([[1, null]]);
    expect(sends(step)).toEqual([]);
  });
});

describe('RequestVote', () => {
  const log = logOf([1, 2, 2]); // last index 3, last term 2
  const voter = stateWith({ term: 2, log, leader: 4 });
  const ctx = ctxOf(1, 5);

  it('grants a vote in a newer term, persisting term and vote before the reply, and re-arms the election timer', () => {
    const step = raft.step(voter, msgFrom(2, requestVote(3, 3, 2)), ctx);
    expect(step.state).toMatchObject({ term: 3, votedFor: 2, role: 'follower', leader: null });
    expect(step.effects[0]).toEqual({ kind: 'persist', token: expect.any(Number), data: { term: 3, votedFor: 2, log: asLog(log) } });
    expect(sent(step, 'RequestVoteReply')).toEqual([{ kind: 'send', to: 2, msg: voteReply(3, true) }]);
    expect(effectsOf(step, 'setTimer').map((e) => e.timer)).toContain('election');
  });

  it('grants one vote per term: a second candidate of the same term is refused, the same one again is granted', () => {
    const [, other, again] = drive(voter, [msgFrom(2, requestVote(3, 3, 2)), msgFrom(3, requestVote(3, 3, 2)), msgFrom(2, requestVote(3, 3, 2))], ctx);
    expect(sent(other!, 'RequestVoteReply')).toEqual([{ kind: 'send', to: 3, msg: voteReply(3, false) }]);
    expect(other!.state.votedFor).toBe(2);
    expect(effectsOf(other!, 'persist')).toEqual([]);
    expect(sent(again!, 'RequestVoteReply')).toEqual([{ kind: 'send', to: 2, msg: voteReply(3, true) }]);
  });

  it('refuses a candidate of an older term and answers with its own term, changing nothing', () => {
    const step = raft.step(stateWith({ term: 5, log }), msgFrom(2, requestVote(4, 9, 4)), ctx);
    expect(step.state.term).toBe(5);
    expect(step.state.votedFor).toBeNull();
    expect(sent(step, 'RequestVoteReply')).toEqual([{ kind: 'send', to: 2, msg: voteReply(5, false) }]);
    expect(effectsOf(step, 'persist')).toEqual([]);
  });

  // Our log: last index 3, last term 2.
  it.each([
    ['a higher last term, though shorter', 1, 3, true],
    ['the same last term and a longer log', 4, 2, true],
    ['the same last term and an equal log', 3, 2, true],
    ['the same last term and a shorter log', 2, 2, false],
    ['a lower last term, though longer', 9, 1, false],
    ['an empty log', 0, 0, false],
  ])('the up-to-date check (5.4.1): a candidate with %s is %s', (_what, lastIndex, lastTerm, granted) => {
    const step = raft.step(voter, msgFrom(2, requestVote(3, lastIndex, lastTerm)), ctx);
    expect(sent(step, 'RequestVoteReply')[0]?.msg).toEqual(voteReply(3, granted));
    // A refused candidate's newer term is still adopted and persisted, with no vote.
    expect(step.state.term).toBe(3);
    expect(step.state.votedFor).toBe(granted ? 2 : null);
    expect(step.effects[0]).toEqual({ kind: 'persist', token: expect.any(Number), data: { term: 3, votedFor: granted ? 2 : null, log: asLog(log) } });
  });

  it.each([[2, 2], [9, 1], [0, 0]])('the vote-without-log-check bug grants a candidate with a stale log (last index %i, last term %i)', (lastIndex, lastTerm) => {
    const step = buggy('vote-without-log-check').step(voter, msgFrom(2, requestVote(3, lastIndex, lastTerm)), ctx);
    expect(sent(step, 'RequestVoteReply')[0]?.msg).toEqual(voteReply(3, true));
    expect(step.state.votedFor).toBe(2);
  });

  it('a leader that sees a newer term steps down, and fails reads it was holding', () => {
    const leader = stateWith({ role: 'leader', term: 2, leader: 1, log, reads: [{ requestId: 9, client: 1, key: 'k', index: 3, round: 1 }] });
    const step = raft.step(leader, msgFrom(2, requestVote(3, 3, 2)), ctx);
    expect(step.state).toMatchObject({ role: 'follower', term: 3, votedFor: 2, reads: [] });
    expect(effectsOf(step, 'reply')).toEqual([{ kind: 'reply', requestId: 9, result: { ok: false, error: 'not-leader', leader: null } }]);
    expect(effectsOf(step, 'cancelTimer').map((e) => e.timer)).toEqual(['heartbeat', 'quorum']);
  });
});

describe('pre-vote', () => {
  const cfg = configWith({ preVote: true });
  const preRaft = buggy(null, cfg);
  const log = logOf([1, 2]);
  const ctx = (nowUs = 0) => ctxOf(1, 5, nowUs, constRng(0), cfg);

  it('an election timeout makes a precandidate that asks for pre-votes at term + 1 without changing its term or vote', () => {
    const before = stateWith({ term: 2, votedFor: 3, log });
    const step = preRaft.step(before, timer('election'), ctx());
    expect(step.state).toMatchObject({ role: 'precandidate', term: 2, votedFor: 3, votes: [1] });
    expect(effectsOf(step, 'persist')).toEqual([]);
    expect(sent(step, 'RequestVote').map((e) => e.msg)).toEqual(Array(4).fill({ type: 'RequestVote', term: 3, lastIndex: 2, lastTerm: 2, pre: true }));
    // Pre-votes are asked again too, at term + 1, of the peers that have not granted one.
    const again = preRaft.step(stateWith({ role: 'precandidate', term: 2, log, votes: [1, 4] }), timer('vote'), ctx());
    expect(sent(again, 'RequestVote').map((e) => [e.to, e.msg.term, e.msg.pre])).toEqual([[2, 3, true], [3, 3, true], [5, 3, true]]);
  });

  it('a majority of pre-votes starts the real election in term + 1', () => {
    const pre = stateWith({ role: 'precandidate', term: 2, log, votes: [1, 2] });
    const notYet = preRaft.step(pre, msgFrom(2, voteReply(3, true, true)), ctx()); // a repeat from n2 does not count
    expect(notYet.state.role).toBe('precandidate');
    const step = preRaft.step(pre, msgFrom(3, voteReply(3, true, true)), ctx());
    expect(step.state).toMatchObject({ role: 'candidate', term: 3, votedFor: 1, votes: [1] });
    expect(step.effects[0]).toMatchObject({ kind: 'persist', data: { term: 3, votedFor: 1 } });
    expect(sent(step, 'RequestVote').map((e) => e.msg.pre)).toEqual([false, false, false, false]);
  });

  it('granting a pre-vote changes neither the term nor the vote, and persists nothing', () => {
    const voter = stateWith({ term: 2, votedFor: 3, log });
    const step = preRaft.step(voter, msgFrom(2, requestVote(3, 2, 2, true)), ctx(1_000_000));
    expect(sent(step, 'RequestVoteReply')[0]?.msg).toEqual(voteReply(3, true, true));
    expect(step.state).toBe(voter);
    expect(effectsOf(step, 'persist')).toEqual([]);
  });

  it.each([
    ['a term not above ours', requestVote(2, 5, 2, true)],
    ['a stale log', requestVote(3, 1, 1, true)],
  ])('a pre-vote for %s is refused with our term', (_what, msg) => {
    const step = preRaft.step(stateWith({ term: 2, log }), msgFrom(2, msg), ctx(1_000_000));
    expect(sent(step, 'RequestVoteReply')[0]?.msg).toEqual(voteReply(2, false, true));
  });

  it('leader stickiness: no pre-vote while the leader was heard from within electionMin', () => {
    const follower = stateWith({ term: 2, log, leader: 4, leaderSeenUs: 1_000_000 });
    const msg = msgFrom(2, requestVote(3, 2, 2, true));
    expect(sent(preRaft.step(follower, msg, ctx(1_000_000 + electionMin - 1)), 'RequestVoteReply')[0]?.msg).toEqual(voteReply(2, false, true));
    expect(sent(preRaft.step(follower, msg, ctx(1_000_000 + electionMin)), 'RequestVoteReply')[0]?.msg).toEqual(voteReply(3, true, true));
  });

  it('a granted pre-vote reply of a higher term does not make the precandidate step down; a refusal with a higher term does', () => {
    const pre = stateWith({ role: 'precandidate', term: 2, log, votes: [1] });
    expect(preRaft.step(pre, msgFrom(2, voteReply(3, true, true)), ctx()).state).toMatchObject({ role: 'precandidate', term: 2, votes: [1, 2] });
    expect(preRaft.step(pre, msgFrom(2, voteReply(7, false, true)), ctx()).state).toMatchObject({ role: 'follower', term: 7 });
  });
});

describe('becoming leader', () => {
  const log = logOf([1, 2, 3]);
  const candidate = stateWith({ role: 'candidate', term: 4, votedFor: 1, log, commit: 2, votes: [1, 2] });
  const ctx = ctxOf(1, 5);

  it('a majority of votes makes a leader that appends a no-op of its term, persists it, and sends it to every peer', () => {
    const step = raft.step(candidate, msgFrom(3, voteReply(4, true)), ctx);
    const s = step.state;
    expect(s).toMatchObject({ role: 'leader', leader: 1, term: 4, votes: [] });
    expect(s.log).toHaveLength(4);
    expect(entriesOf(s).slice(0, 3)).toEqual(log);
    expect(entriesOf(s)[3]).toMatchObject({ term: 4, cmd: null });
    expect(step.effects[0]).toEqual({ kind: 'persist', token: expect.any(Number), data: { term: 4, votedFor: 1, log: s.log } });
    expect(noteData(step, 'leader')).toEqual([{ term: 4 }]);
    expect(noteData(step, 'entry')).toEqual([{ index: 4, term: 4, h: entriesOf(s)[3]?.h }]);
    expect(effectsOf(step, 'cancelTimer')).toContainEqual({ kind: 'cancelTimer', timer: 'election' });
    expect(effectsOf(step, 'setTimer')).toContainEqual({ kind: 'setTimer', timer: 'heartbeat', afterUs: config.heartbeat });
    expect(sent(step, 'AppendEntries').map((e) => [e.to, e.msg.prevIndex, e.msg.prevTerm, e.msg.entries, e.msg.commit])).toEqual(
      [2, 3, 4, 5].map((to) => [to, 3, 3, [entriesOf(s)[3]], 2]),
    );
    expect(s.next).toEqual({ n2: 4, n3: 4, n4: 4, n5: 4 });
    expect(s.match).toEqual({ n2: 0, n3: 0, n4: 0, n5: 0 });
  });

  it('counts each voter once, ignores votes of another term, and steps down on a reply with a newer term', () => {
    expect(raft.step(candidate, msgFrom(2, voteReply(4, true)), ctx).state.role).toBe('candidate');
    expect(raft.step(candidate, msgFrom(3, voteReply(3, true)), ctx).state.role).toBe('candidate');
    expect(raft.step(candidate, msgFrom(3, voteReply(4, false)), ctx).state.role).toBe('candidate');
    expect(raft.step(candidate, msgFrom(3, voteReply(6, false)), ctx).state).toMatchObject({ role: 'follower', term: 6, votedFor: null });
  });
});
