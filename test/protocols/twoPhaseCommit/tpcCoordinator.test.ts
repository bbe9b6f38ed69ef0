// The coordinator's step function on hand-made inputs (n1 of 4; participants n2..n4; k0 lives on
// n2, k1 on n3, k2 on n4): starting transactions, votes, the prepare timeout (which sends
// GlobalAbort), commit only once on disk, acks and forgetting, presumed-abort answers, client
// retries, restarts with a new epoch, full disks, and corrupted messages.
import { describe, expect, it } from 'vitest';
import type { CoordinatorState } from '../../../protocols/twoPhaseCommit/types.ts';
import {
  ctxOf, drive, lastWrite, msgFrom, noteData, persisted, persists, protocolOf, readyCoordinator, replies, request, sendList, sent, stepOf, timer, timers, w,
} from './tpcFixtures.ts';

const ctx = ctxOf(1);
const vote = (from: number, tx = '1.1', yes = true) => msgFrom(from, { type: yes ? 'VoteCommit' : 'VoteAbort', tx });

/** A ready coordinator that has started 1.1 over k0 (n2) and k1 (n3) for client 1, request 1. */
function started(protocol = protocolOf()) {
  const s = readyCoordinator(undefined, protocol);
  return stepOf(s, request(1, 1, [w('k0'), w('k1')]), ctx, protocol);
}

/** ...and both voted yes, and the commit decision is on disk. */
function committed(protocol = protocolOf()) {
  const [, decide, durable] = drive(started(protocol), [vote(2), vote(3), persisted(2)], ctx, protocol);
  return { decide: decide!, durable: durable! };
}

describe('coordinator: phase one', () => {
  it('boots by writing a new epoch first, and starts no transaction before it is on disk', () => {
    const boot = protocolOf().init(ctx, undefined);
    expect(boot.effects[0]).toMatchObject({ kind: 'persist', token: 1, data: { role: 'coordinator', epoch: 1, commits: {} } });
    expect(replies(stepOf(boot.state, request(1, 1, [w('k0')]), ctx))).toEqual([{ ok: false, error: 'unavailable' }]);
  });

  it('a request sends Prepare with each participant\'s own writes, notes begin, and arms the prepare timeout and resends', () => {
    const step = started();
    expect(sent(step, 'Prepare').map((e) => [e.to, e.msg])).toEqual([
      [2, { type: 'Prepare', tx: '1.1', writes: [w('k0')], participants: [2, 3], low: 1 }],
      [3, { type: 'Prepare', tx: '1.1', writes: [w('k1')], participants: [2, 3], low: 1 }],
    ]);
    expect(noteData(step, 'begin')).toEqual([{ tx: '1.1', client: 1, req: 1, participants: [2, 3] }]);
    expect(timers(step)).toEqual(['prepare:1.1@5000000', 'resend:1.1@250000']);
    expect(persists(step)).toEqual([]);
  });

  it('a malformed transaction (a key outside the store, or none) is refused without starting anything', () => {
    const s = readyCoordinator();
    expect(replies(stepOf(s, request(1, 1, [w('zz')]), ctx))).toEqual([{ ok: false, error: 'bad-op' }]);
    expect(replies(stepOf(s, request(1, 1, []), ctx))).toEqual([{ ok: false, error: 'bad-op' }]);
  });

  it('all yes: the commit decision is written, and nothing is sent or answered until it is on disk', () => {
    const { decide, durable } = committed();
    expect(decide.effects[0]).toMatchObject({ kind: 'persist', token: 2, data: { commits: { '1.1': { client: 1, req: 1, participants: [2, 3] } } } });
    expect(sendList(decide)).toEqual([]);
    expect(replies(decide)).toEqual([]);
    expect(noteData(decide, 'decided')).toEqual([]);
    expect(sendList(durable)).toEqual(['GlobalCommit->n2', 'GlobalCommit->n3']);
    expect(replies(durable)).toEqual([{ ok: true, outcome: 'committed', tx: '1.1' }]);
    expect(noteData(durable, 'decided')).toEqual([{ tx: '1.1', outcome: 'commit' }]);
  });

  it('a no vote aborts at once: GlobalAbort to the participants, the client answered, nothing written (presumed abort)', () => {
    const [step] = drive(started(), [vote(3, '1.1', false)], ctx);
    expect(sendList(step!)).toEqual(['GlobalAbort->n2', 'GlobalAbort->n3']);
    expect(replies(step!)).toEqual([{ ok: false, outcome: 'aborted', tx: '1.1', reason: 'n3 voted no' }]);
    expect(noteData(step!, 'decided')).toEqual([{ tx: '1.1', outcome: 'abort', reason: 'n3 voted no' }]);
    expect(persists(step!)).toEqual([]);
  });

  it('a vote missing at the prepare timeout aborts and SENDS GlobalAbort (the design notes returned an error and sent nothing)', () => {
    const [, step] = drive(started(), [vote(2), timer('prepare:1.1')], ctx);
    expect(sendList(step!)).toEqual(['GlobalAbort->n2', 'GlobalAbort->n3']);
    expect(noteData(step!, 'decided')).toEqual([{ tx: '1.1', outcome: 'abort', reason: 'prepare timeout: no vote from n3' }]);
  });

  it('commit-on-timeout (bug): the prepare timeout writes a commit decision instead', () => {
    const bug = protocolOf('commit-on-timeout');
    const [, step] = drive(started(bug), [vote(2), timer('prepare:1.1')], ctx, bug);
    expect(persists(step!)[0]?.data).toMatchObject({ commits: { '1.1': { participants: [2, 3] } } });
    expect(sendList(step!)).toEqual([]);
  });

  it('duplicated votes, and votes from nodes outside the transaction, are not counted', () => {
    const steps = drive(started(), [vote(2), vote(2), vote(4)], ctx);
    for (const step of steps) expect(persists(step)).toEqual([]);
    expect((steps.at(-1)!.state as CoordinatorState).voting['1.1']?.yes).toEqual([2]);
  });

  it('a client retry of a running transaction starts no second one and is answered by the decision', () => {
    const [retry, , decide, durable] = drive(started(), [request(1, 1, [w('k0'), w('k1')]), vote(2), vote(3), persisted(2)], ctx);
    expect(sendList(retry!)).toEqual([]);
    expect(noteData(retry!, 'begin')).toEqual([]);
    expect(replies(decide!)).toEqual([]);
    expect(replies(durable!)).toEqual([{ ok: true, outcome: 'committed', tx: '1.1' }]);
  });

  it('resends Prepare only to participants that have not voted, with a growing backoff', () => {
    const [, first, second] = drive(started(), [vote(2), timer('resend:1.1'), timer('resend:1.1')], ctx);
    expect(sendList(first!)).toEqual(['Prepare->n3']);
    expect(timers(first!)).toEqual(['resend:1.1@500000']);
    expect(timers(second!)).toEqual(['resend:1.1@1000000']);
  });
});

describe('coordinator: phase two and presumed abort', () => {
  it('resends GlobalCommit to participants that have not acked; when all have, forgets the record and keeps the outcome for the client', () => {
    const { durable } = committed();
    const [ack2, resend, ack3, retry] = drive(durable, [msgFrom(2, { type: 'Ack', tx: '1.1' }), timer('resend:1.1'), msgFrom(3, { type: 'Ack', tx: '1.1' }), request(1, 1, [w('k0'), w('k1')])], ctx);
    expect(persists(ack2!)).toEqual([]);
    expect(sendList(resend!)).toEqual(['GlobalCommit->n3']);
    expect(lastWrite(ack3!)).toMatchObject({ commits: {}, sessions: { c1: { req: 1, tx: '1.1', outcome: 'commit' } } });
    expect(effectsKinds(ack3!)).toContain('cancelTimer');
    expect(replies(retry!)).toEqual([{ ok: true, outcome: 'committed', tx: '1.1' }]);
  });

  it('answers a DecisionRequest: silence while collecting votes, commit once on disk, abort when it has no record', () => {
    const ask = (tx: string) => msgFrom(3, { type: 'DecisionRequest', tx });
    const [voting] = drive(started(), [ask('1.1')], ctx);
    expect(sendList(voting!)).toEqual([]);
    const { decide, durable } = committed();
    expect(sendList(stepOf(decide.state, ask('1.1'), ctx))).toEqual([]);
    expect(sendList(stepOf(durable.state, ask('1.1'), ctx))).toEqual(['GlobalCommit->n3']);
    expect(sendList(stepOf(durable.state, ask('1.7'), ctx))).toEqual(['GlobalAbort->n3']);
  });

  it('a yes vote for a transaction it no longer collects votes for gets GlobalAbort (presumed abort), not for a commit', () => {
    const [aborted] = drive(started(), [vote(3, '1.1', false)], ctx);
    expect(sendList(stepOf(aborted!.state, vote(2), ctx))).toEqual(['GlobalAbort->n2']);
    expect(sendList(stepOf(committed().durable.state, vote(2), ctx))).toEqual([]);
  });

  it('forget-before-acks (bug): drops the commit record as soon as it is announced, so a later ask is answered abort', () => {
    const bug = protocolOf('forget-before-acks');
    const { durable } = committed(bug);
    expect(sendList(durable)).toEqual(['GlobalCommit->n2', 'GlobalCommit->n3']);
    expect((durable.state as CoordinatorState).commits).toEqual({});
    expect(sendList(stepOf(durable.state, msgFrom(3, { type: 'DecisionRequest', tx: '1.1' }), ctx, bug))).toEqual(['GlobalAbort->n3']);
  });
});

describe('coordinator: disk faults, restarts and bad input', () => {
  it('a failed commit write sends nothing; the rewrite timer writes again, and the decision leaves once that is on disk', () => {
    const [, decide, failed, rewrite, durable] = drive(started(), [vote(2), vote(3), persisted(2, false), timer('rewrite'), persisted(3)], ctx);
    expect(persists(decide!)).toHaveLength(1);
    expect(sendList(failed!)).toEqual([]);
    expect(timers(failed!)).toEqual(['rewrite@10000']);
    expect(persists(rewrite!)[0]).toMatchObject({ token: 3, data: { commits: { '1.1': {} } } });
    expect(sendList(durable!)).toEqual(['GlobalCommit->n2', 'GlobalCommit->n3']);
  });

  it('restarts with a new epoch, resends every commit it has on disk, and numbers new transactions in the new epoch', () => {
    const disk = lastWrite(committed().decide);
    const boot = protocolOf().init(ctx, disk);
    expect(boot.effects[0]).toMatchObject({ kind: 'persist', data: { epoch: 2, commits: { '1.1': {} } } });
    expect(sendList(boot)).toEqual(['GlobalCommit->n2', 'GlobalCommit->n3']);
    expect(noteData(boot, 'recover')).toEqual([{ epoch: 2, commits: ['1.1'] }]);
    const ready = readyCoordinator(disk);
    expect(noteData(stepOf(ready, request(5, 2, [w('k2')]), ctx), 'begin')).toEqual([{ tx: '2.1', client: 2, req: 5, participants: [4] }]);
  });

  it('after a restart a transaction it had not decided is unknown, so it is presumed aborted', () => {
    const voting = started();
    const ready = readyCoordinator(lastWrite(protocolOf().init(ctx, undefined)));
    expect((voting.state as CoordinatorState).voting['1.1']).toBeDefined();
    expect(sendList(stepOf(ready, msgFrom(2, { type: 'DecisionRequest', tx: '1.1' }), ctx))).toEqual(['GlobalAbort->n2']);
  });

  it('ignores corrupted messages and unknown timers without throwing', () => {
    const s = started().state;
    for (const msg of [{ type: 'VoteCommit', tx: '1.1~' }, { type: 'Ack', tx: 7 }, { type: 'Nonsense', tx: '1.1' }, { type: 'VoteCommit' }]) {
      expect(() => stepOf(s, msgFrom(2, msg as never), ctx)).not.toThrow();
    }
    expect(stepOf(s, timer('resend:9.9'), ctx).effects).toEqual([]);
    expect(stepOf(s, timer('bogus'), ctx).effects).toEqual([]);
  });
});

function effectsKinds(step: { effects: readonly { kind: string }[] }): string[] {
  return step.effects.map((e) => e.kind);
}
