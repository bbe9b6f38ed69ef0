// PCT's causal chains on unordered links (pctScheduler.ts): the first message a step sends
// continues the chain of the message the step handled, so it takes that message's latency; a
// second send of the same step, and a send from a timer, start chains of their own; sends held
// back by a disk write continue the chain when they leave; and the engine tells the policy each
// message's cause only when there is a policy (runs without one are unchanged, pctScheduler.test.ts).
import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../sim/engine.ts';
import { ChoiceTapeRng } from '../../sim/explore/choiceTape.ts';
import { PctScheduler } from '../../sim/explore/pctScheduler.ts';
import type { LatencyDist } from '../../sim/latency.ts';
import { resolveRun } from '../../sim/resolveRun.ts';
import { MemorySink, Tracer } from '../../sim/tracer.ts';
import type { TraceEvent } from '../../sim/traceEvents.ts';
import type { Effect } from '../../sim/types.ts';
import { headerFor, ofKind, testProtocol, testSpec } from '../helpers.ts';

const window: LatencyDist = { dist: 'uniform', minUs: 1_000, maxUs: 9_000 };

/**
 * n1 pings n2 and n3 every 2 ms; a node answers a Ping with a Pong to n1 and then an Echo to the
 * third node. With `durable`, the answer waits for a disk write (a persist effect) first.
 */
function pingSpec(durable: boolean) {
  return testSpec(testProtocol<null>(durable ? 'ping-durable' : 'ping', {
    init: (ctx) => ({ state: null, effects: ctx.id === 1 ? [{ kind: 'setTimer', timer: 'ping', afterUs: 1_000 }] : [] }),
    step: (state, input, ctx) => {
      if (input.kind === 'timer' && ctx.nowUs <= 30_000) {
        return { state, effects: [{ kind: 'send', to: 2, msg: { type: 'Ping' } }, { kind: 'send', to: 3, msg: { type: 'Ping' } }, { kind: 'setTimer', timer: 'ping', afterUs: 2_000 }] };
      }
      if (input.kind !== 'message' || input.msg.type !== 'Ping') return { state, effects: [] };
      const effects: Effect<{ type: string }, string>[] = [{ kind: 'send', to: 1, msg: { type: 'Pong' } }, { kind: 'send', to: ctx.id === 2 ? 3 : 2, msg: { type: 'Echo' } }];
      if (durable) effects.unshift({ kind: 'persist', token: ctx.nowUs, data: { at: ctx.nowUs } });
      return { state, effects };
    },
  }));
}

function run(durable: boolean, seed: number): TraceEvent[] {
  const spec = pingSpec(durable);
  const options = resolveRun(spec, { seed, nodes: 3, faultPhaseUs: 60_000, network: { latency: window, ordering: 'unordered' } }, { faults: [] });
  const sink = new MemorySink();
  const rng = new ChoiceTapeRng({}, seed);
  runSimulation(spec, options, { faults: [] }, { rng, delivery: new PctScheduler(3, { depth: 1, steps: 1 }, rng.fork('pct')), tracer: new Tracer(sink, headerFor(options, { faults: [] })) });
  return sink.lines.slice(1, -1).map((l) => JSON.parse(l) as TraceEvent);
}

/** For every Pong and Echo: its own latency and the latency of the Ping whose delivery sent it. */
function answers(events: TraceEvent[]): { type: string; latency: number; causeLatency: number }[] {
  const sends = new Map(ofKind(events, 'send').map((s) => [s.id, s]));
  const latencyOf = new Map(ofKind(events, 'deliver').map((d) => [d.id, d.t - (sends.get(d.id) as { t: number }).t]));
  const out: { type: string; latency: number; causeLatency: number }[] = [];
  // The Ping whose step sent what follows: its delivery, or for held sends the write that step made
  // (its token is the delivery time), which completes just before they leave.
  const lastPing = new Map<number, number>();
  const pingAt = new Map<string, number>();
  for (const e of events) {
    if (e.kind === 'deliver' && (sends.get(e.id)?.msg as { type: string }).type === 'Ping') {
      lastPing.set(e.to, e.id);
      pingAt.set(`${e.to}@${e.t}`, e.id);
    }
    if (e.kind === 'persist') lastPing.set(e.node, pingAt.get(`${e.node}@${e.token}`) as number);
    if (e.kind !== 'send' || (e.msg as { type: string }).type === 'Ping') continue;
    const latency = latencyOf.get(e.id);
    const ping = lastPing.get(e.from);
    if (latency !== undefined && ping !== undefined) out.push({ type: (e.msg as { type: string }).type, latency, causeLatency: latencyOf.get(ping) as number });
  }
  return out;
}

describe('PCT causal chains', () => {
  it('a reply continues its request\'s chain (same latency); the step\'s second send starts a chain of its own', () => {
    for (const seed of [1, 2, 3]) {
      const all = answers(run(false, seed));
      const pongs = all.filter((a) => a.type === 'Pong');
      const echoes = all.filter((a) => a.type === 'Echo');
      expect(pongs.length).toBeGreaterThan(20);
      for (const p of pongs) expect(p.latency).toBe(p.causeLatency);
      // Echoes draw their own priorities: most differ from the Ping's latency.
      expect(echoes.filter((e) => e.latency !== e.causeLatency).length).toBeGreaterThan(echoes.length / 2);
    }
  });

  it('sends held back by a disk write continue the chain when they leave', () => {
    const pongs = answers(run(true, 5)).filter((a) => a.type === 'Pong');
    expect(pongs.length).toBeGreaterThan(20);
    for (const p of pongs) expect(p.latency).toBe(p.causeLatency);
  });

  it('timer-started chains differ: the Pings of one timer step take different latencies', () => {
    const events = run(false, 9);
    const sends = ofKind(events, 'send').filter((s) => (s.msg as { type: string }).type === 'Ping');
    const at = new Map(sends.map((s) => [s.id, s.t]));
    const latency = ofKind(events, 'deliver').filter((d) => at.has(d.id)).map((d) => d.t - (at.get(d.id) as number));
    expect(new Set(latency).size).toBeGreaterThan(latency.length / 2);
  });

  it('is deterministic: the same seed gives the same deliveries', () => {
    expect(run(true, 4)).toEqual(run(true, 4));
  });
});
