// What Raft keeps on disk, on hand-made inputs: every step that changes term, vote or log persists
// all three before anything it sends; a restart resumes from them (and the forget-vote bug
// persists no vote, so a restarted node votes twice in a term); durable data that is not Raft's is
// ignored at init; steps that change nothing persist nothing and return the same state; and a
// node does not acknowledge what its disk does not hold.
import { describe, expect, it } from 'vitest';
import type { RaftDurable, RaftMessage, RaftState } from '../../../protocols/raft/types.ts';
import {
  appendEntries, asLog, buggy, config, ctxOf, drive, effectsOf, logOf, msgFrom, raft, requestVote, sent, stateWith, timer, voteReply, type RaftInput,
} from './raftFixtures.ts';
import { EMPTY_LOG } from '../../../protocols/raft/log.ts';

const ctx = ctxOf(1, 3);

describe('init', () => {
  it('a fresh disk: a follower of term 0 with an empty log and the election timer armed; the state is frozen', () => {
    const boot = raft.init(ctx, undefined);
    expect(boot.state).toMatchObject({ role: 'follower', term: 0, votedFor: null, log: EMPTY_LOG, commit: 0, applied: 0, leader: null });
    expect(boot.effects).toEqual([{ kind: 'setTimer', timer: 'election', afterUs: config.electionMin }]);
    expect(Object.isFrozen(boot.state)).toBe(true);
    expect(() => {
      (boot.state as { term: number }).term = 9;
    }).toThrow(TypeError);
  });

  it('a restart resumes term, vote and log (commit and the state machine are rebuilt from the leader)', () => {
    const durable: RaftDurable = { term: 4, votedFor: 2, log: asLog(logOf([1, 4])) };
    const boot = raft.init(ctx, durable);
    expect(boot.state).toMatchObject({ term: 4, votedFor: 2, log: durable.log, commit: 0, applied: 0, kv: {} });
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'raft'],
    ['a number', 42],
    ['an array', [4, 2, []]],
    ['a fractional term', { term: 1.5, votedFor: null, log: EMPTY_LOG }],
    ['a term as a string', { term: '4', votedFor: null, log: EMPTY_LOG }],
    ['a missing term', { votedFor: null, log: EMPTY_LOG }],
    ['a vote as a string', { term: 4, votedFor: 'n2', log: EMPTY_LOG }],
    ['a missing vote', { term: 4, log: EMPTY_LOG }],
    ['a log that is not a list', { term: 4, votedFor: null, log: { 0: 1 } }],
    ['a flat list as the log', { term: 4, votedFor: null, log: [] }],
    ['a log whose length disagrees with its chunks', { term: 4, votedFor: null, log: { length: 3, chunks: [], tail: [] } }],
  ])('ignores durable data that is not Raft\'s: %s', (_what, durable) => {
    const boot = raft.init(ctx, durable as RaftDurable);
    expect(boot.state).toMatchObject({ role: 'follower', term: 0, votedFor: null, log: EMPTY_LOG });
  });
});

describe('persistence', () => {
  it('a vote is persisted with votedFor; the forget-vote bug persists votedFor null', () => {
    const voter = stateWith({ term: 1, log: logOf([1]) });
    const vote = msgFrom(2, requestVote(2, 1, 1));
    expect(raft.step(voter, vote, ctx).effects[0]).toEqual({ kind: 'persist', token: expect.any(Number), data: { term: 2, votedFor: 2, log: voter.log } });
    const forgetful = buggy('forget-vote').step(voter, vote, ctx);
    expect(forgetful.state.votedFor).toBe(2);
    expect(forgetful.effects[0]).toEqual({ kind: 'persist', token: expect.any(Number), data: { term: 2, votedFor: null, log: voter.log } });
    expect(buggy('forget-vote').step(voter, timer('election'), ctx).effects[0]).toMatchObject({ kind: 'persist', data: { term: 2, votedFor: null } });
  });

  it('after a restart in the same term the correct protocol refuses a second candidate; with forget-vote it votes again', () => {
    const voter = stateWith({ term: 1, log: logOf([1]) });
    const first = (p: typeof raft) => p.step(voter, msgFrom(2, requestVote(2, 1, 1)), ctx);
    const restartAndAsk = (p: typeof raft) => {
      const durable = effectsOf(first(p), 'persist')[0]?.data as RaftDurable;
      return sent(p.step(p.init(ctx, durable).state, msgFrom(3, requestVote(2, 1, 1)), ctx), 'RequestVoteReply')[0]?.msg;
    };
    expect(restartAndAsk(raft)).toEqual(voteReply(2, false));
    expect(restartAndAsk(buggy('forget-vote'))).toEqual(voteReply(2, true));
  });

  it.each<[string, RaftState, RaftInput]>([
    ['a heartbeat from the known leader', stateWith({ term: 2, leader: 2, log: logOf([2]) }), msgFrom(2, appendEntries(2, 1, 2, []))],
    ['a refused vote in the same term', stateWith({ term: 2, votedFor: 3, log: logOf([2]) }), msgFrom(2, requestVote(2, 1, 2))],
    ['a stale vote reply', stateWith({ role: 'candidate', term: 3, votedFor: 1, votes: [1] }), msgFrom(2, voteReply(2, true))],
    ['a persisted notice', stateWith({ term: 2 }), { kind: 'persisted', token: 2, ok: true }],
    ['an unknown timer', stateWith({ term: 2 }), timer('nonsense')],
    ['an unknown message', stateWith({ term: 2 }), msgFrom(2, { type: 'Gossip' } as unknown as RaftMessage)],
  ])('%s persists nothing', (_what, state, input) => {
    const step = raft.step(state, input, ctx);
    expect(effectsOf(step, 'persist')).toEqual([]);
  });

  it.each<[string, RaftState, RaftInput]>([
    ['a persisted notice', stateWith({ term: 2 }), { kind: 'persisted', token: 2, ok: true }],
    ['an unknown timer', stateWith({ term: 2 }), timer('nonsense')],
    ['a heartbeat timer at a follower', stateWith({ term: 2 }), timer('heartbeat')],
    ['an unknown message', stateWith({ term: 2 }), msgFrom(2, { type: 'Gossip' } as unknown as RaftMessage)],
  ])('%s returns the same state object', (_what, state, input) => {
    expect(raft.step(state, input, ctx).state).toBe(state);
  });
});

// The engine holds a step's sends until that step's own write is durable; a later step that
// changes nothing writes nothing, so its sends leave at once. When an entry's write is still in
// flight (a slow disk) or has failed (a full disk), a repeated AppendEntries finds the entry in
// memory and must not acknowledge it before it is on disk: if it does, the leader may count a
// replica that a crash then loses (Raft figure 2: respond only after updating stable storage).
describe('acknowledging only what is durable', () => {
  const follower = stateWith({ term: 2, leader: 2, log: logOf([2]) });
  const entry = logOf([2, 2])[1]!;
  const append = msgFrom(2, appendEntries(2, 1, 2, [entry]));

  it('a repeated AppendEntries while the entry\'s write failed: no success without a new write', () => {
    const [first, failed, again] = drive(follower, [append, { kind: 'persisted', token: 1, ok: false }, append], ctx);
    expect(effectsOf(first!, 'persist')).toHaveLength(1);
    expect(effectsOf(failed!, 'persist'), 'a failed write is written again at once').toHaveLength(1);
    const acked = sent(again!, 'AppendEntriesReply').some((e) => e.msg.success && e.msg.match >= 2);
    const rewrites = effectsOf(again!, 'persist').length > 0;
    expect(acked && !rewrites, 'the entry is acknowledged although its write failed and nothing rewrites it').toBe(false);
  });
});
