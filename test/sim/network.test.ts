import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Network, type Fate, type NetworkOptions } from '../../sim/network.ts';
import { SeedRng } from '../../sim/rng.ts';
import { ofKind, simulate, testProtocol, testSpec, type TestEffect } from '../helpers.ts';

function net(options: Partial<NetworkOptions>, seed = 1, nodes = 3): Network {
  const full: NetworkOptions = { latency: { dist: 'uniform', minUs: 1_000, maxUs: 10_000 }, loss: 0, duplicate: 0, ordering: 'unordered', links: [], ...options };
  return new Network(nodes, full, SeedRng.fromSeed(seed));
}

function arrivals(fate: Fate): number[] {
  if ('drop' in fate) throw new Error(`expected a delivery, got a drop (${fate.drop})`);
  return fate.at;
}

describe('Network fates', () => {
  it('loss 1 drops every message with reason "loss"', () => {
    const n = net({ loss: 1 });
    for (let i = 0; i < 100; i++) expect(n.fate(1, 2, i)).toEqual({ drop: 'loss' });
  });

  it('loss 0 delivers every message exactly once', () => {
    const n = net({});
    for (let i = 0; i < 100; i++) expect(arrivals(n.fate(1, 2, i))).toHaveLength(1);
  });

  it('a blocked link drops with "partition" until it is unblocked', () => {
    const n = net({});
    n.block([1], [2, 3], 1);
    expect(n.fate(1, 2, 0)).toEqual({ drop: 'partition' });
    expect(n.fate(1, 3, 0)).toEqual({ drop: 'partition' });
    expect(n.isBlocked(1, 2)).toBe(true);
    n.block([1], [2, 3], -1);
    expect(arrivals(n.fate(1, 2, 0))).toHaveLength(1);
    expect(() => n.block([1], [2], -1)).toThrow(/not blocked/);
  });

  it('a one-way block stops only its own direction', () => {
    const n = net({});
    n.block([1], [2], 1);
    expect(n.fate(1, 2, 0)).toEqual({ drop: 'partition' });
    expect(n.isBlocked(2, 1)).toBe(false);
    expect(arrivals(n.fate(2, 1, 0))).toHaveLength(1);
  });

  it('overlapping blocks compose: the link opens only when both end', () => {
    const n = net({});
    n.block([1], [2], 1);
    n.block([1, 3], [2], 1);
    n.block([1], [2], -1);
    expect(n.isBlocked(1, 2)).toBe(true);
    n.block([1, 3], [2], -1);
    expect(n.isBlocked(1, 2)).toBe(false);
  });

  it('duplicate 1 gives two deliveries, each with its own latency', () => {
    const n = net({ duplicate: 1 });
    let differing = 0;
    for (let i = 0; i < 50; i++) {
      const at = arrivals(n.fate(1, 2, 0));
      expect(at).toHaveLength(2);
      if (at[0] !== at[1]) differing++;
    }
    expect(differing).toBeGreaterThan(0);
  });

  it('per-link overrides apply to their link only', () => {
    const n = net({ links: [{ from: 1, to: 2, loss: 1 }] });
    expect(n.fate(1, 2, 0)).toEqual({ drop: 'loss' });
    expect(arrivals(n.fate(2, 1, 0))).toHaveLength(1);
  });

  it('FIFO links never reorder (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 60 }),
        fc.constantFrom<'uniform' | 'pareto'>('uniform', 'pareto'),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (seed, gaps, dist, duplicate) => {
          const latency = dist === 'uniform' ? { dist, minUs: 100, maxUs: 20_000 } : { dist, minUs: 100, maxUs: 50_000, alpha: 1.2 };
          const n = net({ ordering: 'fifo', latency, duplicate }, seed);
          let now = 0;
          let last = -1;
          for (const gap of gaps) {
            now += gap;
            for (const at of arrivals(n.fate(1, 2, now))) {
              expect(at).toBeGreaterThanOrEqual(last);
              expect(at).toBeGreaterThanOrEqual(now);
              last = at;
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('unordered links reorder, with variable latency', () => {
    const n = net({ ordering: 'unordered' });
    const at = Array.from({ length: 200 }, (_, i) => arrivals(n.fate(1, 2, i * 100))[0] as number);
    const latencies = at.map((a, i) => a - i * 100);
    expect(new Set(latencies).size).toBeGreaterThan(50);
    const inversions = at.filter((a, i) => i > 0 && a < (at[i - 1] as number)).length;
    expect(inversions).toBeGreaterThan(0);
  });

  it('a clogged link delays departure until the clog ends', () => {
    const n = net({ latency: { dist: 'uniform', minUs: 1_000, maxUs: 2_000 } });
    n.clog(1, 2, 50_000);
    for (let i = 0; i < 20; i++) {
      const [at] = arrivals(n.fate(1, 2, 10_000));
      expect(at).toBeGreaterThanOrEqual(51_000);
      expect(at).toBeLessThanOrEqual(52_000);
    }
    const [other] = arrivals(n.fate(2, 1, 10_000));
    expect(other).toBeLessThanOrEqual(12_000);
    n.unclog(1, 2);
    const [after] = arrivals(n.fate(1, 2, 10_000));
    expect(after).toBeLessThanOrEqual(12_000);
  });
});

describe('latency distributions', () => {
  const sample = (n: Network, count: number): number[] => Array.from({ length: count }, () => (arrivals(n.fate(1, 2, 0))[0] as number));

  it('uniform latency stays inside [min, max] and covers it', () => {
    const xs = sample(net({ latency: { dist: 'uniform', minUs: 1_000, maxUs: 1_010 } }), 2_000);
    expect(Math.min(...xs)).toBe(1_000);
    expect(Math.max(...xs)).toBe(1_010);
  });

  it('pareto latency stays inside [min, max] and is long-tailed (median near the minimum)', () => {
    const xs = sample(net({ latency: { dist: 'pareto', minUs: 1_000, maxUs: 100_000, alpha: 1.5 } }), 5_000).sort((a, b) => a - b);
    expect(xs[0]).toBeGreaterThanOrEqual(1_000);
    expect(xs[xs.length - 1]).toBeLessThanOrEqual(100_000);
    const median = xs[xs.length >> 1] as number;
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(median).toBeLessThan(2_000); // theory: 1000 * 2^(1/1.5) = 1587
    expect(mean).toBeGreaterThan(median); // skewed to the right
    expect(xs[Math.floor(xs.length * 0.99)]).toBeGreaterThan(10_000); // a real tail
    expect(xs.filter((x) => x === 100_000).length).toBeGreaterThan(0); // capped at max
  });
});

/** n1 sends two Pings to n2 at 10 ms, and two more every 10 ms until 100 ms. */
const pinger = testProtocol<null>('pinger', {
  init: (ctx) => ({ state: null, effects: ctx.id === 1 ? [{ kind: 'setTimer', timer: 'ping', afterUs: 10_000 }] : [] }),
  step: (state, input, ctx) => {
    if (input.kind !== 'timer') return { state, effects: [] };
    const effects: TestEffect[] = [{ kind: 'send', to: 2, msg: { type: 'Ping' } }, { kind: 'send', to: 2, msg: { type: 'Ping' } }];
    if (ctx.nowUs < 100_000) effects.push({ kind: 'setTimer', timer: 'ping', afterUs: 10_000 });
    return { state, effects };
  },
});

describe('network faults through the engine', () => {
  it('a partition drops messages with reason "partition", and only while it lasts', () => {
    const run = simulate(testSpec(pinger), {}, [{ at: '35ms', for: '30ms', type: 'partition', groups: [['n1'], ['n2']] }]);
    const drops = ofKind(run.events, 'drop');
    expect(drops.length).toBeGreaterThan(0);
    for (const d of drops) {
      expect(d.reason).toBe('partition');
      expect(d.t).toBeGreaterThanOrEqual(35_000);
      expect(d.t).toBeLessThan(65_000);
    }
    expect(ofKind(run.events, 'deliver').some((d) => d.t > 65_000)).toBe(true);
  });

  it('a partition that starts while a message is in flight drops it on arrival', () => {
    // Latency 10 ms: the Pings sent at 10 ms would arrive at 20 ms; the partition starts at 15 ms.
    const run = simulate(testSpec(pinger), { network: { latency: { dist: 'uniform', minUs: 10_000, maxUs: 10_000 } } }, [{ at: '15ms', for: '10ms', type: 'partition', groups: [['n1'], ['n2']] }]);
    const first = ofKind(run.events, 'send').filter((s) => s.t === 10_000);
    expect(first).toHaveLength(2);
    const drops = ofKind(run.events, 'drop').filter((d) => first.some((s) => s.id === d.id));
    expect(drops.map((d) => [d.t, d.reason])).toEqual([[20_000, 'partition'], [20_000, 'partition']]);
  });

  it('a one-way partition blocks only its direction', () => {
    const echo = testProtocol<null>('echo', {
      init: (ctx) => ({ state: null, effects: [{ kind: 'setTimer', timer: 't', afterUs: 10_000 }] }),
      step: (state, input, ctx) => {
        if (input.kind !== 'timer') return { state, effects: [] };
        return { state, effects: [{ kind: 'send', to: ctx.id === 1 ? 2 : 1, msg: { type: 'Hello' } }, { kind: 'setTimer', timer: 't', afterUs: 10_000 }] };
      },
    });
    const run = simulate(testSpec(echo), { faultPhaseUs: 200_000 }, [{ at: '0s', type: 'partition-one-way', from: ['n1'], to: ['n2'] }]);
    const drops = ofKind(run.events, 'drop');
    const delivers = ofKind(run.events, 'deliver');
    expect(drops.length).toBeGreaterThan(5);
    expect(drops.every((d) => d.from === 1 && d.to === 2 && d.reason === 'partition')).toBe(true);
    expect(delivers.length).toBeGreaterThan(5);
    expect(delivers.every((d) => d.from === 2 && d.to === 1)).toBe(true);
  });

  it('a clog holds messages on its link until it ends', () => {
    const run = simulate(testSpec(pinger), {}, [{ at: '25ms', for: '50ms', type: 'clog', from: 'n1', to: 'n2' }]);
    const sentAt = new Map(ofKind(run.events, 'send').map((s) => [s.id, s.t]));
    const delivers = ofKind(run.events, 'deliver');
    const clogged = delivers.filter((d) => (sentAt.get(d.id) as number) >= 25_000 && (sentAt.get(d.id) as number) < 75_000);
    expect(clogged.length).toBeGreaterThan(0);
    for (const d of clogged) expect(d.t).toBe(76_000);
    const free = delivers.filter((d) => (sentAt.get(d.id) as number) >= 75_000);
    for (const d of free) expect(d.t - (sentAt.get(d.id) as number)).toBe(1_000);
  });

  it('overlapping clogs on one link hold messages until the later one ends (regression)', () => {
    const run = simulate(testSpec(pinger), {}, [
      { at: '15ms', for: '20ms', type: 'clog', from: 'n1', to: 'n2' },
      { at: '25ms', for: '50ms', type: 'clog', from: 'n1', to: 'n2' },
    ]);
    const sentAt = new Map(ofKind(run.events, 'send').map((s) => [s.id, s.t]));
    const byPing = ofKind(run.events, 'deliver').map((d) => [sentAt.get(d.id), d.t]);
    expect(byPing.filter(([sent]) => sent === 20_000)).toEqual([[20_000, 36_000], [20_000, 36_000]]);
    for (const sent of [30_000, 40_000, 50_000, 60_000, 70_000]) {
      expect(byPing.filter(([s]) => s === sent)).toEqual([[sent, 76_000], [sent, 76_000]]);
    }
  });
});
