// A participant's step function on hand-made inputs (n2 of 4; coordinator n1; k0, k3 and k6 live
// on n2): votes written before they are sent, lock conflicts and refusals, decisions applied and
// acknowledged only once on disk, full disks, asking for the outcome, the cooperative termination
// protocol, recovery from the log after a restart, the horizon, and the bugs' variants.
import { describe, expect, it } from 'vitest';
import type { ParticipantState } from '../../../protocols/twoPhaseCommit/types.ts';
import {
  configWith, ctxOf, drive, freshParticipant, lastWrite, msgFrom, noteData, persisted, persists, prepare, preparedParticipant, protocolOf, replies, request, sendList, stepOf, timer, timers, w,
} from './tpcFixtures.ts';

const ctx = ctxOf(2);
const commit = (tx = '1.1', from = 1) => msgFrom(from, { type: 'GlobalCommit', tx });
const abort = (tx = '1.1') => msgFrom(1, { type: 'GlobalAbort', tx });
const peerAsk = (tx = '1.1', from = 3) => msgFrom(from, { type: 'DecisionRequest', tx });
const prepared = () => preparedParticipant('1.1', [w('k0')], [2, 3]);

describe('participant: voting', () => {
  it('a yes vote is written first and sent only once on disk; then the participant is uncertain and will ask', () => {
    const [vote, durable] = drive(protocolOf().init(ctx, undefined), [msgFrom(1, prepare('1.1', [w('k0')], [2, 3])), persisted(1)], ctx);
    expect(vote!.effects[0]).toMatchObject({ kind: 'persist', token: 1, data: { txs: { '1.1': { status: 'prepared', writes: [w('k0')] } } } });
    expect(sendList(vote!)).toEqual([]);
    expect(sendList(durable!)).toEqual(['VoteCommit->n1']);
    expect(noteData(durable!, 'prepared')).toEqual([{ tx: '1.1' }]);
    expect(timers(durable!)).toEqual(['ask:1.1@1000000']);
  });

  it('votes no on a lock conflict with a prepared transaction, once the no vote is on disk', () => {
    const [vote, durable] = drive({ state: prepared(), effects: [] }, [msgFrom(1, prepare('1.2', [w('k0'), w('k3')], [2])), persisted(2)], ctx);
    expect(persists(vote!)).toHaveLength(1);
    expect(sendList(vote!)).toEqual([]);
    expect(sendList(durable!)).toEqual(['VoteAbort->n1']);
    expect(noteData(durable!, 'decided')).toEqual([{ tx: '1.2', outcome: 'abort', via: 'vote', reason: 'lock conflict on k0 (held by 1.1)' }]);
  });

  it('votes no for a business reason with probability `refuse`, and on a share of keys it does not own', () => {
    const refusing = protocolOf(null, configWith({ refuse: 1 }));
    const [, durable] = drive(refusing.init(ctx, undefined), [msgFrom(1, prepare('1.1', [w('k0')], [2])), persisted(1)], ctx, refusing);
    expect(noteData(durable!, 'decided')).toEqual([{ tx: '1.1', outcome: 'abort', via: 'vote', reason: 'refused (business rule)' }]);
    const [, wrongKey] = drive(protocolOf().init(ctx, undefined), [msgFrom(1, prepare('1.1', [w('k1')], [2, 3])), persisted(1)], ctx);
    expect(sendList(wrongKey!)).toEqual(['VoteAbort->n1']);
  });

  it('a duplicated Prepare gets the recorded vote again, but not before it is on disk', () => {
    const p = msgFrom(1, prepare('1.1', [w('k0')], [2, 3]));
    const [, early, , late] = drive(protocolOf().init(ctx, undefined), [p, p, persisted(1), p], ctx);
    expect(sendList(early!)).toEqual([]);
    expect(persists(early!)).toEqual([]);
    expect(sendList(late!)).toEqual(['VoteCommit->n1']);
  });

  it('a failed vote write (full disk) sends no vote; it is written again and sent once on disk', () => {
    const [, failed, rewrite, durable] = drive(protocolOf().init(ctx, undefined), [msgFrom(1, prepare('1.1', [w('k0')], [2])), persisted(1, false), timer('rewrite'), persisted(2)], ctx);
    expect(sendList(failed!)).toEqual([]);
    expect(timers(failed!)).toEqual(['rewrite@10000']);
    expect(persists(rewrite!)[0]?.token).toBe(2);
    expect(sendList(durable!)).toEqual(['VoteCommit->n1']);
  });

  it('ignores a Prepare from a node other than the coordinator, and answers clients with the coordinator\'s name', () => {
    expect(stepOf(freshParticipant(), msgFrom(3, prepare('1.1', [w('k0')], [2])), ctx).effects).toEqual([]);
    expect(replies(stepOf(freshParticipant(), request(4, 1, [w('k0')]), ctx))).toEqual([{ ok: false, error: 'not-coordinator', coordinator: 1 }]);
  });
});

describe('participant: decisions', () => {
  it('GlobalCommit applies the writes and releases the locks; the Ack leaves once the commit is on disk', () => {
    const [decide, durable, again] = drive({ state: prepared(), effects: [] }, [commit(), persisted(2), commit()], ctx);
    expect((decide!.state as ParticipantState).data).toEqual({ k0: 'v-k0' });
    expect(noteData(decide!, 'decided')).toEqual([{ tx: '1.1', outcome: 'commit', via: 'coordinator' }]);
    expect(sendList(decide!)).toEqual([]);
    expect(effectsNamed(decide!, 'cancelTimer')).toEqual(['ask:1.1']);
    expect(sendList(durable!)).toEqual(['Ack->n1']);
    expect(sendList(again!)).toEqual(['Ack->n1']);
  });

  it('GlobalAbort drops the writes and releases the locks, with no Ack (presumed abort)', () => {
    const [decide, next] = drive({ state: prepared(), effects: [] }, [abort(), msgFrom(1, prepare('1.2', [w('k0')], [2]))], ctx);
    expect((decide!.state as ParticipantState).data).toEqual({});
    expect(noteData(decide!, 'decided')).toEqual([{ tx: '1.1', outcome: 'abort', via: 'coordinator' }]);
    expect(sendList(decide!)).toEqual([]);
    expect((next!.state as ParticipantState).txs['1.2']?.status).toBe('prepared');
  });

  it('a commit for a transaction it has no record of (finished and dropped) is acknowledged and reported', () => {
    const unknown = stepOf(freshParticipant(), commit('1.1'), ctx);
    expect(sendList(unknown)).toEqual(['Ack->n1']);
    expect(noteData(unknown, 'unknown-commit')).toEqual([{ tx: '1.1' }]);
  });

  it('an abort for a transaction it has no record of is kept above the horizon (a late Prepare gets no), ignored below it', () => {
    const [early, late] = drive(protocolOf().init(ctx, undefined), [abort('1.3'), msgFrom(1, prepare('1.3', [w('k0')], [2]))], ctx);
    expect(noteData(early!, 'decided')).toEqual([{ tx: '1.3', outcome: 'abort', via: 'coordinator' }]);
    expect((late!.state as ParticipantState).txs['1.3']?.status).toBe('aborted');
    const ahead = stepOf(freshParticipant(), msgFrom(1, prepare('1.5', [w('k0')], [2], 5)), ctx).state;
    expect(stepOf(ahead, abort('1.2'), ctx).effects).toEqual([]);
  });

  it('ignore-early-abort (bug): an abort that overtook its Prepare is noted but not kept, so the late Prepare is voted yes', () => {
    const bug = protocolOf('ignore-early-abort');
    const [early, late, durable] = drive(bug.init(ctx, undefined), [abort('1.3'), msgFrom(1, prepare('1.3', [w('k0')], [2])), persisted(1)], ctx, bug);
    expect(noteData(early!, 'decided')).toEqual([{ tx: '1.3', outcome: 'abort', via: 'coordinator' }]);
    expect(persists(early!)).toEqual([]);
    expect((late!.state as ParticipantState).txs['1.3']?.status).toBe('prepared');
    expect(sendList(durable!)).toEqual(['VoteCommit->n1']);
  });

  it('ignores GlobalCommit from a peer, and a late abort for a transaction it committed', () => {
    expect(stepOf(prepared(), commit('1.1', 3), ctx).effects).toEqual([]);
    const [, done] = drive({ state: prepared(), effects: [] }, [commit(), persisted(2)], ctx);
    expect(stepOf(done!.state, abort(), ctx).effects).toEqual([]);
  });

  it('ack-before-durable (bug): acknowledges the commit at once and does not write it in that step', () => {
    const bug = protocolOf('ack-before-durable');
    const decide = stepOf(preparedParticipant('1.1', [w('k0')], [2, 3], 2, bug), commit(), ctx, bug);
    expect(sendList(decide)).toEqual(['Ack->n1']);
    expect(persists(decide)).toEqual([]);
  });
});

describe('participant: asking for the outcome and cooperative termination', () => {
  it('asks the coordinator and the other participants, again with a growing backoff; without termination only the coordinator', () => {
    const [first, second] = drive({ state: prepared(), effects: [] }, [timer('ask:1.1'), timer('ask:1.1')], ctx);
    expect(sendList(first!)).toEqual(['DecisionRequest->n1', 'DecisionRequest->n3']);
    expect(timers(first!)).toEqual(['ask:1.1@500000']);
    expect(timers(second!)).toEqual(['ask:1.1@1000000']);
    const solo = protocolOf(null, configWith({ termination: false }));
    expect(sendList(stepOf(preparedParticipant('1.1', [w('k0')], [2, 3], 2, solo), timer('ask:1.1'), ctx, solo))).toEqual(['DecisionRequest->n1']);
  });

  it('learns the outcome from a peer\'s DecisionReply', () => {
    const step = stepOf(prepared(), msgFrom(3, { type: 'DecisionReply', tx: '1.1', outcome: 'commit' }), ctx);
    expect(noteData(step, 'decided')).toEqual([{ tx: '1.1', outcome: 'commit', via: 'peer' }]);
  });

  it('a peer that knows the outcome tells it; a prepared peer cannot help', () => {
    const [, done] = drive({ state: prepared(), effects: [] }, [commit(), persisted(2)], ctx);
    expect(sendList(stepOf(done!.state, peerAsk(), ctx))).toEqual(['DecisionReply->n3']);
    expect(stepOf(prepared(), peerAsk(), ctx).effects).toEqual([]);
  });

  it('a peer that has not voted aborts, writes that, answers abort once on disk, and later votes no', () => {
    const [ask, durable, late] = drive(protocolOf().init(ctx, undefined), [peerAsk(), persisted(1), msgFrom(1, prepare('1.1', [w('k0')], [2, 3]))], ctx);
    expect(persists(ask!)[0]?.data).toMatchObject({ txs: { '1.1': { status: 'aborted', via: 'termination' } } });
    expect(sendList(ask!)).toEqual([]);
    expect(sendList(durable!)).toEqual(['DecisionReply->n3']);
    expect(noteData(durable!, 'decided')).toEqual([{ tx: '1.1', outcome: 'abort', via: 'termination', reason: 'n3 asked before this node voted' }]);
    expect(sendList(late!)).toEqual(['VoteAbort->n1']);
  });

  it('a peer with no record below its horizon does not know (it may have finished and dropped it) and stays silent', () => {
    const ahead = stepOf(freshParticipant(), msgFrom(1, prepare('1.5', [w('k0')], [2], 5)), ctx).state;
    expect(stepOf(ahead, peerAsk('1.2'), ctx).effects).toEqual([]);
  });

  it('its own no vote is told to a peer only once on disk', () => {
    const [vote] = drive({ state: prepared(), effects: [] }, [msgFrom(1, prepare('1.2', [w('k0')], [2, 3]))], ctx);
    expect(stepOf(vote!.state, peerAsk('1.2'), ctx).effects).toEqual([]);
    const durable = stepOf(vote!.state, persisted(2), ctx).state;
    expect(sendList(stepOf(durable, peerAsk('1.2'), ctx))).toEqual(['DecisionReply->n3']);
  });

  it('never-ask (bug): an uncertain participant never asks', () => {
    const bug = protocolOf('never-ask');
    expect(stepOf(preparedParticipant('1.1', [w('k0')], [2, 3], 2, bug), timer('ask:1.1'), ctx, bug).effects).toEqual([]);
  });
});

describe('participant: recovery and the horizon', () => {
  it('restarts from its log: a prepared transaction is uncertain again, keeps its locks, and it asks at once', () => {
    const disk = lastWrite(stepOf(freshParticipant(), msgFrom(1, prepare('1.1', [w('k0')], [2, 3])), ctx));
    const boot = protocolOf().init(ctx, disk);
    expect(noteData(boot, 'recover')).toEqual([{ prepared: ['1.1'] }]);
    expect(noteData(boot, 'prepared')).toEqual([{ tx: '1.1', recovered: true }]);
    expect(sendList(boot)).toEqual(['DecisionRequest->n1', 'DecisionRequest->n3']);
    const [conflict] = drive(boot, [msgFrom(1, prepare('1.2', [w('k0')], [2]))], ctx);
    expect((conflict!.state as ParticipantState).txs['1.2']).toMatchObject({ status: 'aborted', reason: 'lock conflict on k0 (held by 1.1)' });
  });

  it('forget-prepared (bug): the prepared record is not read back, so nothing is held or asked', () => {
    const disk = lastWrite(stepOf(freshParticipant(), msgFrom(1, prepare('1.1', [w('k0')], [2, 3])), ctx));
    const boot = protocolOf('forget-prepared').init(ctx, disk);
    expect((boot.state as ParticipantState).txs).toEqual({});
    expect(sendList(boot)).toEqual([]);
  });

  it('ignores a Prepare below the horizon (stale), and drops finished records below it', () => {
    const [, done] = drive({ state: prepared(), effects: [] }, [commit(), persisted(2)], ctx);
    const next = stepOf(done!.state, msgFrom(1, prepare('1.4', [w('k3')], [2], 3)), ctx);
    expect(Object.keys((next.state as ParticipantState).txs)).toEqual(['1.4']);
    expect(stepOf(next.state, msgFrom(1, prepare('1.2', [w('k6')], [2], 2)), ctx).effects).toEqual([]);
    expect(stepOf(next.state, msgFrom(1, prepare('0.9', [w('k6')], [2], 9)), ctx).effects).toEqual([]);
  });

  it('keeps a prepared record below the horizon: it is still uncertain', () => {
    const next = stepOf(prepared(), msgFrom(1, prepare('1.4', [w('k3')], [2], 3)), ctx);
    expect(Object.keys((next.state as ParticipantState).txs).sort()).toEqual(['1.1', '1.4']);
  });

  it('ignores corrupted messages without throwing', () => {
    const s = prepared();
    const bad = [{ type: 'Prepare', tx: '1.9~', writes: [], participants: [2], low: 1 }, { type: 'Prepare', tx: '1.9', writes: 'x', participants: null, low: 'z' }, { type: 'DecisionReply', tx: '1.1', outcome: 'maybe' }, { type: 'GlobalAbort', tx: 3 }];
    for (const msg of bad) expect(() => stepOf(s, msgFrom(1, msg as never), ctx)).not.toThrow();
    expect(stepOf(s, msgFrom(3, bad[2] as never), ctx).effects).toEqual([]);
  });
});

function effectsNamed(step: { effects: readonly { kind: string; timer?: unknown }[] }, kind: string): unknown[] {
  return step.effects.filter((e) => e.kind === kind).map((e) => e.timer);
}
