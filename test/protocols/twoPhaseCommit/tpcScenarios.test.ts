// Whole 2PC runs on pinned plans, showing the behaviours the protocol is about: participants
// blocked (uncertain, holding locks) while the coordinator is down, and how long; cooperative
// termination resolving what the coordinator cannot deliver; transaction ids unique across
// coordinator restarts; full disks that hold back votes and decisions without breaking anything;
// and the same seed giving the same trace.
import { describe, expect, it } from 'vitest';
import { percentile } from '../../../sim/stats.ts';
import { notes } from '../../helpers.ts';
import { outcome, SWARM_CLIENTS, tpcRun } from './tpcFixtures.ts';

const blocked = (run: ReturnType<typeof tpcRun>): number[] => run.result.protocolMetrics.blockedUs as number[];
const S = 1_000_000;
const run = (request: Record<string, unknown>, faults: unknown[]) => tpcRun({ seed: 1, faultPhaseUs: 8 * S, clients: SWARM_CLIENTS, ...request }, faults);

describe('blocking: the classic weakness of 2PC', () => {
  it('participants that voted yes when the coordinator crashed stay uncertain until it is back (n1 down 1.5 s, three times)', () => {
    const down = [1.5, 3.5, 5.5].map((at) => ({ type: 'crash', at: `${at * 1000}ms`, node: 'n1', for: '1500ms' }));
    const r = run({}, down);
    expect(r.result.verdict).toEqual({ kind: 'pass' });
    expect(outcome(r.result, 'blocked-until-coordinator-returned')?.status).toBe('reached');
    const b = blocked(r);
    // Most transactions block for a round trip; those caught by a crash for the rest of the
    // outage and then until their next DecisionRequest (backoff up to 4 s).
    expect(percentile(b, 50)).toBeLessThan(50_000);
    expect(percentile(b, 100)).toBeGreaterThanOrEqual(1_000_000);
    expect(percentile(b, 100)).toBeLessThan(1_500_000 + 5 * S);
    // While it was down nothing was decided, and it came back in a new epoch each time.
    for (const at of [1.5, 3.5, 5.5]) expect(notes(r.events, 'decided', 1).filter((n) => n.t > at * S && n.t < (at + 1.5) * S)).toEqual([]);
    const boots = r.events.filter((e) => e.kind === 'boot' && e.node === 1);
    expect(boots.map((e) => (e as { state: { epoch: number } }).state.epoch)).toEqual([1, 2, 3, 4]);
  });

  it('cooperative termination: cut off from the coordinator\'s messages, n3 learns outcomes from its peers (n1 -> n3 blocked from 3 s for 3 s)', () => {
    const faults = [{ type: 'partition-one-way', at: '3s', for: '3s', from: ['n1'], to: ['n3'] }];
    const withPeers = run({}, faults);
    expect(withPeers.result.verdict).toEqual({ kind: 'pass' });
    expect(outcome(withPeers.result, 'resolved-by-peer')?.status).toBe('reached');
    expect(withPeers.result.protocolMetrics.learnedFromPeer).toBeGreaterThanOrEqual(1);
    const alone = run({ config: { termination: false } }, faults);
    expect(alone.result.verdict).toEqual({ kind: 'pass' });
    expect(alone.result.protocolMetrics.learnedFromPeer).toBe(0);
    // Those that had to ask learned within about one ask (askAfter, 1 s) from a peer; alone they
    // waited out the partition.
    const long = (r: typeof alone) => r.result.protocolMetrics.blockedLongUs as number[];
    expect(long(withPeers).length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...long(withPeers))).toBeLessThan(1.5 * S);
    expect(long(alone).length).toBeGreaterThanOrEqual(1);
    expect(Math.min(...long(alone))).toBeGreaterThanOrEqual(3 * S);
  });
});

describe('recovery, ids and disks', () => {
  it('transaction ids stay unique across coordinator restarts: each boot is a new epoch', () => {
    const r = run({}, [{ type: 'crash', at: '2s', node: 'n1', for: '500ms' }, { type: 'crash', at: '4s', node: 'n1', for: '500ms' }]);
    expect(r.result.verdict).toEqual({ kind: 'pass' });
    const ids = notes(r.events, 'begin', 1).map((n) => (n.data as { tx: string }).tx);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...new Set(ids.map((id) => id.split('.')[0]))]).toEqual(['1', '2', '3']);
  });

  it('a full disk at the coordinator holds back commit decisions (nothing commits) until it can write again', () => {
    const r = run({}, [{ type: 'disk-full', at: '2s', for: '2s', node: 'n1' }]);
    expect(r.result.verdict).toEqual({ kind: 'pass' });
    const commits = notes(r.events, 'decided', 1).filter((n) => (n.data as { outcome: string }).outcome === 'commit').map((n) => n.t);
    expect(commits.filter((t) => t > 2 * S + 20_000 && t < 4 * S)).toEqual([]);
    expect(commits.filter((t) => t >= 4 * S).length).toBeGreaterThan(10);
  });

  it('a full disk at a participant holds back its votes; the transactions waiting on them abort at the prepare timeout', () => {
    const r = run({}, [{ type: 'disk-full', at: '1s', for: '6s', node: 'n2' }]);
    expect(r.result.verdict).toEqual({ kind: 'pass' });
    const votes = notes(r.events, 'prepared', 2).filter((n) => n.t > 1 * S + 20_000 && n.t < 7 * S);
    expect(votes).toEqual([]);
    const timedOut = notes(r.events, 'decided', 1).filter((n) => String((n.data as { reason?: string }).reason).startsWith('prepare timeout: no vote from n2'));
    expect(timedOut.length).toBeGreaterThanOrEqual(1);
  });

  it('the same seed gives the same trace, byte for byte', () => {
    const faults = [{ type: 'crash', at: '2s', node: 'n3', for: '1s' }, { type: 'partition', at: '3s', for: '1s', groups: [['n1', 'n2'], ['n3', 'n4']] }];
    const a = run({ seed: 7, network: { loss: 0.05, duplicate: 0.05 } }, faults);
    const b = run({ seed: 7, network: { loss: 0.05, duplicate: 0.05 } }, faults);
    expect(a.result.traceHash).toBe(b.result.traceHash);
    expect(a.text).toBe(b.text);
  });
});
