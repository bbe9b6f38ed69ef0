// PCT scheduling: latencies stay inside the link's bounds; among messages sent together on FIFO
// links the higher-priority link's arrive first, the same order every time; on an unordered link
// each message is a thread of its own, so a later message can overtake an earlier one on the same
// link with no change point; a change point holds one message back behind later ones on its own
// link; the draws come from the run's "pct" stream (same seed, same run); and without a delivery
// policy the engine's runs are unchanged.
import { describe, expect, it } from 'vitest';
import { heartbeatSpec } from '../../protocols/heartbeat/spec.ts';
import { runSimulation } from '../../sim/engine.ts';
import { ChoiceTapeRng } from '../../sim/explore/choiceTape.ts';
import { PctScheduler } from '../../sim/explore/pctScheduler.ts';
import { runSchedule } from '../../sim/explore/schedule.ts';
import type { LatencyDist } from '../../sim/latency.ts';
import { resolveRun } from '../../sim/resolveRun.ts';
import { SeedRng } from '../../sim/rng.ts';
import { MemorySink, Tracer } from '../../sim/tracer.ts';
import { headerFor, ofKind, simulate, testProtocol, testSpec } from '../helpers.ts';
import type { TraceEvent } from '../../sim/traceEvents.ts';

const window: LatencyDist = { dist: 'uniform', minUs: 1_000, maxUs: 9_000 };

/** n1 and n3 each send one numbered message to n2 every millisecond for 40 ms. */
const chatter = testSpec(testProtocol<null>('chatter', {
  init: (ctx) => ({ state: null, effects: ctx.id === 2 ? [] : [{ kind: 'setTimer', timer: 'send', afterUs: 1_000 }] }),
  step: (state, input, ctx) => {
    if (input.kind !== 'timer' || ctx.nowUs > 40_000) return { state, effects: [] };
    return { state, effects: [{ kind: 'send', to: 2, msg: { type: 'Seq', at: ctx.nowUs } }, { kind: 'setTimer', timer: 'send', afterUs: 1_000 }] };
  },
}));

function chatterRun(seed: number, depth: number, steps: number, ordering: 'fifo' | 'unordered' = 'fifo'): TraceEvent[] {
  const options = resolveRun(chatter, { seed, nodes: 3, faultPhaseUs: 100_000, network: { latency: window, ordering } }, { faults: [] });
  const sink = new MemorySink();
  const rng = new ChoiceTapeRng({}, seed);
  runSimulation(chatter, options, { faults: [] }, { rng, delivery: new PctScheduler(3, { depth, steps }, rng.fork('pct')), tracer: new Tracer(sink, headerFor(options, { faults: [] })) });
  return sink.lines.slice(1, -1).map((l) => JSON.parse(l) as TraceEvent);
}

describe('PctScheduler', () => {
  it('places every latency inside [minUs, maxUs]; link priorities are a permutation', () => {
    const pct = new PctScheduler(4, { depth: 4, steps: 50 }, new SeedRng('p'));
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const from = 1 + (i % 4);
      const to = 1 + ((i + 1 + (i % 3)) % 4);
      if (from === to) continue;
      const lat = pct.latencyUs(from, to, window, i % 2 === 0 ? 'fifo' : 'unordered');
      expect(lat).toBeGreaterThanOrEqual(window.minUs);
      expect(lat).toBeLessThanOrEqual(window.maxUs);
      seen.add(lat);
    }
    expect(pct.changePoints().length).toBeGreaterThan(0);
    expect(seen.size).toBeGreaterThan(3);
  });

  it('orders messages sent together on FIFO links by link priority, the same way for the whole run (no change points)', () => {
    const events = chatterRun(7, 1, 1);
    const delivered = ofKind(events, 'deliver');
    const sends = new Map(ofKind(events, 'send').map((s) => [s.id, s]));
    // Pair the two links' messages sent at the same instant; one link wins every pair.
    const order = new Map<number, number[]>();
    for (const d of delivered) {
      const t = (sends.get(d.id) as { t: number }).t;
      order.set(t, [...(order.get(t) ?? []), d.from]);
    }
    const winners = new Set([...order.values()].filter((f) => f.length === 2).map((f) => f[0]));
    expect(winners.size).toBe(1);
  });

  it('a change point holds its message back: later messages on the same link overtake it', () => {
    const events = chatterRun(3, 3, 60, 'unordered');
    const deliveredIds = ofKind(events, 'deliver').filter((d) => d.from === 1).map((d) => d.id);
    const overtaken = deliveredIds.some((id, i) => deliveredIds.slice(i + 1).some((later) => later < id));
    expect(overtaken).toBe(true);
  });

  it('on an unordered link every message is its own thread: the link reorders with no change point; a FIFO link never does', () => {
    const fromN1 = (events: TraceEvent[]) => ofKind(events, 'deliver').filter((d) => d.from === 1).map((d) => d.id);
    const unordered = fromN1(chatterRun(3, 1, 60, 'unordered'));
    expect(unordered).not.toEqual([...unordered].sort((a, b) => a - b));
    const fifo = fromN1(chatterRun(3, 1, 60, 'fifo'));
    expect(fifo).toEqual([...fifo].sort((a, b) => a - b));
    // Per-link priorities alone (the FIFO case) give the link's messages one latency: its sends 1 ms apart arrive 1 ms apart.
    const sendAt = new Map(ofKind(chatterRun(3, 1, 60, 'fifo'), 'send').map((e) => [e.id, e.t]));
    const lat = new Set(ofKind(chatterRun(3, 1, 60, 'fifo'), 'deliver').filter((d) => d.from === 1).map((d) => d.t - (sendAt.get(d.id) as number)));
    expect(lat.size).toBe(1);
  });

  it('is deterministic: the same seed gives the same run; another seed another priority order', () => {
    const a = chatterRun(11, 3, 60);
    expect(chatterRun(11, 3, 60)).toEqual(a);
    const firsts = new Set([1, 2, 3, 4, 5, 6].map((s) => ofKind(chatterRun(s, 1, 1), 'deliver')[0]?.from));
    expect(firsts.size).toBe(2);
  });

  it('runs without a delivery policy are what they always were; a PCT schedule differs', () => {
    const request = { seed: 4, nodes: 5, faultPhaseUs: 2_000_000, network: { latency: window } };
    const plain = simulate(heartbeatSpec, request);
    const options = resolveRun(heartbeatSpec, { ...request }, { faults: [] });
    const header = headerFor(options, { faults: [] });
    const untaped = runSchedule(heartbeatSpec, { options, plan: { faults: [] }, tape: {}, pct: null }, new Tracer(undefined, header));
    const pct = runSchedule(heartbeatSpec, { options, plan: { faults: [] }, tape: {}, pct: { depth: 3, steps: 500 } }, new Tracer(undefined, header));
    expect(untaped.traceHash).toBe(plain.result.traceHash);
    expect(pct.traceHash).not.toBe(plain.result.traceHash);
    expect(runSchedule(heartbeatSpec, { options, plan: { faults: [] }, tape: {}, pct: { depth: 3, steps: 500 } }, new Tracer(undefined, header)).traceHash).toBe(pct.traceHash);
  });
});
