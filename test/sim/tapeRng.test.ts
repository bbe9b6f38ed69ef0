import { describe, expect, it } from 'vitest';
import { SeedRng } from '../../sim/rng.ts';
import { RecordingRng, TapeRng, type Tapes } from '../../sim/tapeRng.ts';
import { heartbeatSpec } from '../../protocols/heartbeat/spec.ts';
import { ofKind, simulate } from '../helpers.ts';

const request = { seed: 77, nodes: 4, faultPhaseUs: 2_000_000, network: { loss: 0.2, duplicate: 0.2 } };
const faults = [
  { at: '500ms', type: 'crash', node: 'n2', for: '300ms' },
  { at: '700ms', type: 'partition', for: '400ms', groups: [['n1'], ['n3', 'n4']] },
];

describe('RecordingRng and TapeRng', () => {
  it('a RecordingRng is transparent: the run is the same as with the plain seeded Rng', () => {
    const plain = simulate(heartbeatSpec, request, faults);
    const recorded = simulate(heartbeatSpec, request, faults, new RecordingRng(SeedRng.fromSeed(77)));
    expect(recorded.result.traceHash).toBe(plain.result.traceHash);
  });

  it('replaying the recorded tapes gives an identical run (same traceHash)', () => {
    const recorder = new RecordingRng(SeedRng.fromSeed(77));
    const original = simulate(heartbeatSpec, request, faults, recorder);
    const tapes = recorder.recorded();
    expect(Object.keys(tapes)).toEqual(expect.arrayContaining(['/network', '/node:1', '/faults']));
    expect((tapes['/network'] as number[]).length).toBeGreaterThan(100);

    // A different fallback seed: only the tapes can make the runs agree.
    const replayed = simulate(heartbeatSpec, request, faults, new TapeRng(tapes, 'other-fallback'));
    expect(replayed.result.traceHash).toBe(original.result.traceHash);
    expect(replayed.lines).toEqual(original.lines);

    const withoutTapes = simulate(heartbeatSpec, request, faults, new TapeRng({}, 'other-fallback'));
    expect(withoutTapes.result.traceHash).not.toBe(original.result.traceHash);
  });

  it('a tape of zeros gives the quiet choices: no loss, no duplicates, minimum latency', () => {
    const paths = ['', '/network', '/faults', '/clients', '/clients:start', ...[1, 2, 3, 4].map((n) => `/node:${n}`)];
    const tapes: Tapes = Object.fromEntries(paths.map((p) => [p, new Array<number>(20_000).fill(0)]));
    const noisy = { seed: 5, nodes: 4, network: { latency: { dist: 'uniform' as const, minUs: 1_000, maxUs: 9_000 }, loss: 0.5, duplicate: 0.5 } };
    const run = simulate(heartbeatSpec, noisy, [], new TapeRng(tapes, 5));

    const sends = ofKind(run.events, 'send');
    const delivers = ofKind(run.events, 'deliver');
    expect(sends.length).toBeGreaterThan(100);
    expect(ofKind(run.events, 'drop')).toEqual([]);
    expect(run.result.metrics.messages.duplicated).toBe(0);
    expect(delivers.length).toBe(sends.length);
    const sentAt = new Map(sends.map((s) => [s.id, s.t]));
    for (const d of delivers) expect(d.t - (sentAt.get(d.id) as number)).toBe(1_000);

    // The same noisy network on a seeded stream does lose, duplicate and spread latency.
    const seeded = simulate(heartbeatSpec, noisy);
    expect(ofKind(seeded.events, 'drop').length).toBeGreaterThan(0);
    expect(seeded.result.metrics.messages.duplicated).toBeGreaterThan(0);
  });

  it('records a name forked twice as one stream, so the tapes replay it exactly (regression)', () => {
    const pattern = (root: { fork(name: string): { next(): number } }): number[] => {
      const a = root.fork('x');
      const b = root.fork('x');
      return [a.next(), a.next(), b.next(), b.next(), b.next(), a.next(), a.next(), root.fork('y').next()];
    };
    const recorder = new RecordingRng(SeedRng.fromSeed(4));
    const live = pattern(recorder);
    expect(live).toEqual(pattern(SeedRng.fromSeed(4)));
    expect(recorder.recorded()['/x']).toHaveLength(4);
    expect(pattern(new TapeRng(recorder.recorded(), 'unrelated'))).toEqual(live);
  });

  it('falls back to a seeded stream past the end of a tape', () => {
    const rng = new TapeRng({ '': [0.25, 0.5] }, 'fb');
    expect([rng.next(), rng.next()]).toEqual([0.25, 0.5]);
    const third = rng.next();
    expect(third).toBe(new SeedRng('fb#fallback').next());
    const fork = rng.fork('a');
    expect(fork.next()).toBe(new SeedRng('fb/a#fallback').next());
  });

  it('forks read their own tape', () => {
    const rng = new TapeRng({ '': [0.1], '/x': [0.7], '/x/y': [0.3] }, 0);
    expect(rng.fork('x').fork('y').next()).toBe(0.3);
    expect(rng.fork('x').next()).toBe(0.7);
    expect(rng.next()).toBe(0.1);
  });

  it.each([1, 1.5, -0.1, Number.NaN])('rejects the tape value %s (outside [0, 1))', (bad) => {
    const rng = new TapeRng({ '/network': [0.5, bad] }, 0).fork('network');
    expect(rng.next()).toBe(0.5);
    expect(() => rng.next()).toThrow(/tape \/network: value .* is outside \[0, 1\)/);
  });
});
