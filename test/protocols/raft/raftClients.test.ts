// Raft's client side on hand-made inputs: a follower redirects with its leader hint; the leader
// appends writes and answers once applied; committed entries are applied in order with session
// deduplication (a retried request is applied once and answered with the first result);
// read-index reads wait for a quorum round after the read and for the index to be applied (the
// stale-read bug answers at once); check-quorum makes a leader without a majority step down.
import { describe, expect, it } from 'vitest';
import type { KvResult, RaftState } from '../../../protocols/raft/types.ts';
import {
  appendEntries, appendReply, buggy, cmd, config, configWith, ctxOf, drive, effectsOf, leaderState, logOf, msgFrom, noteData, raft, replies,
  request, sent, stateWith, timer, entriesOf } from './raftFixtures.ts';

const OK: KvResult = { ok: true };

describe('a client request at a follower', () => {
  it.each([[3, 3], [null, null]])('is answered not-leader with the leader hint (leader %s)', (leader, hint) => {
    const step = raft.step(stateWith({ term: 2, leader }), request(7, 1, { f: 'put', key: 'k', value: 'v' }), ctxOf(1, 3));
    expect(replies(step)).toEqual([{ kind: 'reply', requestId: 7, result: { ok: false, error: 'not-leader', leader: hint } }]);
    expect(entriesOf(step.state)).toEqual([]);
  });
});

describe('a write at the leader', () => {
  it('is appended with its (client, request) identity, persisted, sent to caught-up peers, and answered once applied', () => {
    const leader = leaderState(3, 2, logOf([2]), { commit: 1, applied: 1, next: { n2: 2, n3: 1 }, match: { n2: 1, n3: 0 } });
    const op = { f: 'put', key: 'k', value: 'v' } as const;
    const step = raft.step(leader, request(7, 4, op), ctxOf(1, 3));
    expect(entriesOf(step.state)[1]).toMatchObject({ term: 2, cmd: { client: 4, req: 7, op } });
    expect(step.state.pending).toEqual([{ index: 2, requestId: 7 }]);
    expect(step.effects[0]).toMatchObject({ kind: 'persist', data: { log: step.state.log } });
    expect(sent(step, 'AppendEntries').map((e) => [e.to, e.msg.prevIndex, e.msg.entries.length])).toEqual([[2, 1, 1]]);
    expect(replies(step)).toEqual([]);
    // A follower's acknowledgement alone is not a majority: the leader counts itself only once
    // the entry is on its own disk.
    const acked = raft.step(step.state, msgFrom(2, appendReply(2, true, 2)), ctxOf(1, 3));
    expect(acked.state).toMatchObject({ commit: 1 });
    const token = (step.effects[0] as { token: number }).token;
    const written = raft.step(acked.state, { kind: 'persisted', token, ok: true }, ctxOf(1, 3));
    expect(written.state).toMatchObject({ commit: 2, applied: 2, kv: { k: 'v' }, pending: [] });
    expect(replies(written)).toEqual([{ kind: 'reply', requestId: 7, result: OK }]);
  });

  it('sent to every peer, it puts the next heartbeat a full interval off (heartbeats repeat only when idle)', () => {
    const leader = leaderState(3, 2, logOf([2]), { commit: 1, applied: 1, next: { n2: 2, n3: 2 }, match: { n2: 1, n3: 1 } });
    const step = raft.step(leader, request(7, 4, { f: 'put', key: 'k', value: 'v' }), ctxOf(1, 3));
    expect(sent(step, 'AppendEntries').map((e) => e.to)).toEqual([2, 3]);
    expect(effectsOf(step, 'setTimer')).toEqual([{ kind: 'setTimer', timer: 'heartbeat', afterUs: config.heartbeat }]);
  });

  it('with a peer behind, the heartbeat keeps its time: that peer hears only from heartbeats', () => {
    const leader = leaderState(3, 2, logOf([2]), { commit: 1, applied: 1, next: { n2: 2, n3: 1 }, match: { n2: 1, n3: 0 } });
    const step = raft.step(leader, request(7, 4, { f: 'put', key: 'k', value: 'v' }), ctxOf(1, 3));
    expect(sent(step, 'AppendEntries').map((e) => e.to)).toEqual([2]);
    expect(effectsOf(step, 'setTimer')).toEqual([]);
  });

  it('a request the leader already applied (a retry) is answered from its session, without appending', () => {
    const first: KvResult = { ok: false, error: 'cas-mismatch' };
    const leader = leaderState(3, 2, logOf([2]), { sessions: { c4: { req: 7, result: first } } });
    const step = raft.step(leader, request(7, 4, { f: 'cas', key: 'k', from: '', to: 'x' }), ctxOf(1, 3));
    expect(replies(step)).toEqual([{ kind: 'reply', requestId: 7, result: first }]);
    expect(step.state.log).toBe(leader.log);
  });

  it('an index this node appended that another leader\'s entry replaced is answered not-leader', () => {
    const replaced = logOf([1, 2], [cmd(1, 5, { f: 'put', key: 'k', value: 'a' }), cmd(9, 8, { f: 'put', key: 'k', value: 'b' })]);
    const follower = stateWith({ term: 2, leader: 3, log: replaced, pending: [{ index: 2, requestId: 6 }] });
    const step = raft.step(follower, msgFrom(3, appendEntries(2, 2, 2, [], 2)), ctxOf(1, 3));
    expect(replies(step)).toEqual([{ kind: 'reply', requestId: 6, result: { ok: false, error: 'not-leader', leader: 3 } }]);
    expect(step.state.kv).toEqual({ k: 'b' });
  });
});

describe('apply: in order, with session deduplication', () => {
  // Client 7's cas (request 10) is in the log twice (retried after a leader change), then its next request.
  const cas = cmd(7, 10, { f: 'cas', key: 'k', from: '', to: 'a' });
  const log = logOf([1, 1, 1, 1], [cmd(3, 4, { f: 'append', key: 'j', value: 'x' }), cas, cas, cmd(7, 11, { f: 'append', key: 'k', value: 'b' })]);

  it('a follower applies committed entries in order and a duplicate request once', () => {
    const follower = stateWith({ term: 1, leader: 2, log });
    const step = raft.step(follower, msgFrom(2, appendEntries(1, 4, 1, [], 4)), ctxOf(1, 3));
    expect(noteData(step, 'apply').map((d) => (d as { index: number }).index)).toEqual([1, 2, 3, 4]);
    expect(step.state.kv).toEqual({ j: 'x', k: 'ab' });
    expect(step.state.sessions).toEqual({ c3: { req: 4, result: OK }, c7: { req: 11, result: OK } });
    // Committing in two steps gives the same state.
    const half = raft.step(follower, msgFrom(2, appendEntries(1, 4, 1, [], 2)), ctxOf(1, 3));
    expect(half.state).toMatchObject({ commit: 2, applied: 2, kv: { j: 'x', k: 'a' } });
    expect(raft.step(half.state, msgFrom(2, appendEntries(1, 4, 1, [], 4)), ctxOf(1, 3)).state.kv).toEqual(step.state.kv);
  });

  it('the leader answers both copies of the retried request with the first result (ok, not cas-mismatch)', () => {
    const leader = leaderState(3, 1, log, { pending: [{ index: 2, requestId: 10 }, { index: 3, requestId: 10 }] });
    const step = raft.step(leader, msgFrom(2, appendReply(1, true, 3)), ctxOf(1, 3));
    expect(step.state).toMatchObject({ commit: 3, applied: 3, kv: { j: 'x', k: 'a' }, pending: [] });
    expect(replies(step)).toEqual([{ kind: 'reply', requestId: 10, result: OK }, { kind: 'reply', requestId: 10, result: OK }]);
  });
});

describe('read-index reads', () => {
  // Leader of term 2 in a 3-node cluster; its no-op (index 2) is not committed yet; heartbeat round 7.
  const log = logOf([1, 2], [cmd(1, 1, { f: 'put', key: 'k', value: 'v' }), null]);
  const leader = leaderState(3, 2, log, { commit: 1, applied: 1, kv: { k: 'v' }, round: 7, match: { n2: 1, n3: 1 }, next: { n2: 2, n3: 2 } });
  const get = request(20, 5, { f: 'get', key: 'k' });
  const ctx = ctxOf(1, 3);

  it('a read waits on a new round at the index of the leader\'s first own entry, and is not answered yet', () => {
    const step = raft.step(leader, get, ctx);
    expect(step.state.reads).toEqual([{ requestId: 20, client: 5, key: 'k', index: 2, round: 8 }]);
    expect(step.state.round).toBe(8);
    expect(sent(step, 'AppendEntries').map((e) => [e.to, e.msg.round])).toEqual([[2, 8], [3, 8]]);
    expect(effectsOf(step, 'cancelTimer')).toEqual([{ kind: 'cancelTimer', timer: 'heartbeat' }]);
    expect(replies(step)).toEqual([]);
    expect(step.state.log).toBe(leader.log); // reads do not go through the log
  });

  it('is answered only after a quorum acknowledged the later round AND its index is applied', () => {
    const [read, oldRound, quorumNotApplied, applied] = drive(leader, [
      get,
      msgFrom(2, appendReply(2, true, 1, { round: 7 })), // an ack of the round before the read
      msgFrom(2, appendReply(2, true, 1, { round: 8 })), // quorum (n1 + n2) for round 8, but index 2 not applied
      msgFrom(3, appendReply(2, true, 2, { round: 8 })), // n3 holds the no-op: commit 2, applied 2
    ], ctx);
    for (const step of [read, oldRound, quorumNotApplied]) expect(replies(step!)).toEqual([]);
    expect(quorumNotApplied!.state.reads).toHaveLength(1);
    expect(applied!.state).toMatchObject({ commit: 2, applied: 2, reads: [] });
    expect(replies(applied!)).toEqual([{ kind: 'reply', requestId: 20, result: { ok: true, value: 'v' } }]);
  });

  it('with the index already applied, waits for the quorum round only', () => {
    const ready: RaftState = { ...leader, commit: 2, applied: 2 };
    const step = raft.step(ready, get, ctx);
    expect(replies(step)).toEqual([]);
    const acked = raft.step(step.state, msgFrom(3, appendReply(2, false, 0, { conflictIndex: 2, round: 8 })), ctx);
    expect(replies(acked)).toEqual([{ kind: 'reply', requestId: 20, result: { ok: true, value: 'v' } }]);
  });

  it('the stale-read bug answers at once from the leader\'s own state, with no round', () => {
    const step = buggy('stale-read').step(leader, get, ctx);
    expect(replies(step)).toEqual([{ kind: 'reply', requestId: 20, result: { ok: true, value: 'v' } }]);
    expect(sent(step, 'AppendEntries')).toEqual([]);
    expect(step.state.reads).toEqual([]);
  });

  it('with reads=log a get goes through the log like a write', () => {
    const logReads = buggy(null, configWith({ reads: 'log' }));
    const step = logReads.step(leader, get, ctxOf(1, 3, 0, undefined, configWith({ reads: 'log' })));
    expect(entriesOf(step.state)[2]).toMatchObject({ cmd: { client: 5, req: 20, op: { f: 'get', key: 'k' } } });
    expect(step.state.reads).toEqual([]);
  });

  // An AppendEntries sent in an earlier life of this leader (round numbers restart at 0 after a
  // crash) can be answered in the leader's current term, since the follower answers with its own
  // term. Its high round must not count as an acknowledgement of rounds the leader has not sent.
  it('an acknowledgement of a round the leader never sent in this life does not confirm a later read', () => {
    const restarted: RaftState = { ...leader, commit: 2, applied: 2, round: 2 };
    const stray = raft.step(restarted, msgFrom(2, appendReply(2, false, 0, { conflictIndex: 3, round: 1_000 })), ctx);
    const step = raft.step(stray.state, get, ctx);
    expect(replies(step)).toEqual([]);
  });
});

describe('check-quorum', () => {
  const cfg = configWith({ checkQuorum: true });
  const cq = buggy(null, cfg);
  const ctx = ctxOf(1, 5, 0, undefined, cfg);

  it('a new leader arms the quorum check at electionMax', () => {
    const candidate = stateWith({ role: 'candidate', term: 2, votedFor: 1, votes: [1, 2] });
    const step = cq.step(candidate, msgFrom(3, { type: 'RequestVoteReply', term: 2, granted: true, pre: false }), ctx);
    expect(effectsOf(step, 'setTimer')).toContainEqual({ kind: 'setTimer', timer: 'quorum', afterUs: config.electionMax });
  });

  it('a leader that heard from less than a majority since the last check steps down in the same term', () => {
    const leader = leaderState(5, 3, logOf([3]), { heard: [2] });
    const step = cq.step(leader, timer('quorum'), ctx);
    expect(step.state).toMatchObject({ role: 'follower', term: 3, leader: null });
    expect(noteData(step, 'role')).toEqual([{ role: 'follower', term: 3 }]);
    expect(effectsOf(step, 'cancelTimer').map((e) => e.timer)).toEqual(['heartbeat', 'quorum']);
    expect(effectsOf(step, 'setTimer').map((e) => e.timer)).toEqual(['election']);
  });

  it('a leader that heard from a majority stays, forgets who it heard, and checks again', () => {
    const leader = leaderState(5, 3, logOf([3]), { heard: [2, 4] });
    const step = cq.step(leader, timer('quorum'), ctx);
    expect(step.state).toMatchObject({ role: 'leader', heard: [] });
    expect(effectsOf(step, 'setTimer')).toEqual([{ kind: 'setTimer', timer: 'quorum', afterUs: config.electionMax }]);
  });

  it('replies from peers are what the leader hears', () => {
    const leader = leaderState(5, 3, logOf([3]));
    const step = cq.step(leader, msgFrom(4, appendReply(3, true, 1)), ctx);
    expect(step.state.heard).toEqual([4]);
  });
});
