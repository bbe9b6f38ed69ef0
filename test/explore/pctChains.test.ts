// PCT's causal chains on unordered links (pctScheduler.ts): every message a step sends continues
// the chain of the message the step handled, so it takes that message's latency; so do sends held
// back by a disk write, and sends of the step that learns the write finished; each send of a timer
// step starts a chain of its own, run at the window's minimum or held back at its maximum, and a
// step's new chains are balanced (of two, one runs and one is held back). The
// engine tells the policy each message's cause only when there is a policy (runs without one are
// unchanged, pctScheduler.test.ts).
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
 * n1 pings n2 and n3 every 2 ms, numbering its Pings; a node answers a Ping with a Pong to n1 and
 * then an Echo to the third node, both naming the Ping (`of`). 'held': the answer waits behind a
 * disk write (a persist effect in the same step); 'after-write': the step only writes (the token
 * is the Ping's number), and the answer is sent by the step that learns the write finished.
 */
type Answer = 'at-once' | 'held' | 'after-write';
type PingMsg = { type: string; n?: number; of?: number };
function pingSpec(answer: Answer) {
  return testSpec(testProtocol<number>(`ping-${answer}`, {
    init: (ctx) => ({ state: 0, effects: ctx.id === 1 ? [{ kind: 'setTimer', timer: 'ping', afterUs: 1_000 }] : [] }),
    step: (state, input, ctx) => {
      if (input.kind === 'timer' && ctx.nowUs <= 30_000) {
        const n = state + 1;
        return { state: n, effects: [{ kind: 'send', to: 2, msg: { type: 'Ping', n } }, { kind: 'send', to: 3, msg: { type: 'Ping', n } }, { kind: 'setTimer', timer: 'ping', afterUs: 2_000 }] };
      }
      const answers = (of: number): Effect<PingMsg, string>[] => [{ kind: 'send', to: 1, msg: { type: 'Pong', of } }, { kind: 'send', to: ctx.id === 2 ? 3 : 2, msg: { type: 'Echo', of } }];
      if (input.kind === 'persisted') return { state, effects: answer === 'after-write' ? answers(input.token) : [] };
      if (input.kind !== 'message' || (input.msg as PingMsg).type !== 'Ping') return { state, effects: [] };
      const of = (input.msg as PingMsg).n as number;
      const write: Effect<PingMsg, string> = { kind: 'persist', token: of, data: { of } };
      return { state, effects: answer === 'at-once' ? answers(of) : answer === 'held' ? [write, ...answers(of)] : [write] };
    },
  }));
}

function run(answer: Answer, seed: number): TraceEvent[] {
  const spec = pingSpec(answer);
  const options = resolveRun(spec, { seed, nodes: 3, faultPhaseUs: 60_000, network: { latency: window, ordering: 'unordered' } }, { faults: [] });
  const sink = new MemorySink();
  const rng = new ChoiceTapeRng({}, seed);
  runSimulation(spec, options, { faults: [] }, { rng, delivery: new PctScheduler(3, { depth: 1, steps: 1 }, rng.fork('pct')), tracer: new Tracer(sink, headerFor(options, { faults: [] })) });
  return sink.lines.slice(1, -1).map((l) => JSON.parse(l) as TraceEvent);
}

/** For every Pong and Echo: its own latency and the latency of the Ping (to the same node) that it answers. */
function answers(events: TraceEvent[]): { type: string; latency: number; causeLatency: number }[] {
  const sends = new Map(ofKind(events, 'send').map((s) => [s.id, s]));
  const latencyOf = new Map(ofKind(events, 'deliver').map((d) => [d.id, d.t - (sends.get(d.id) as { t: number }).t]));
  const pingTo = new Map<string, number>();
  for (const s of sends.values()) if ((s.msg as PingMsg).type === 'Ping') pingTo.set(`${s.to}:${(s.msg as PingMsg).n}`, s.id);
  const out: { type: string; latency: number; causeLatency: number }[] = [];
  for (const s of sends.values()) {
    const msg = s.msg as PingMsg;
    if (msg.type === 'Ping') continue;
    const latency = latencyOf.get(s.id);
    const ping = pingTo.get(`${s.from}:${msg.of}`) as number;
    if (latency !== undefined) out.push({ type: msg.type, latency, causeLatency: latencyOf.get(ping) as number });
  }
  return out;
}

describe('PCT causal chains', () => {
  it('every send of a step continues the chain of the message it handled (same latency)', () => {
    for (const seed of [1, 2, 3]) {
      const all = answers(run('at-once', seed));
      expect(all.filter((a) => a.type === 'Pong').length).toBeGreaterThan(20);
      expect(all.filter((a) => a.type === 'Echo').length).toBeGreaterThan(20);
      for (const a of all) expect(a.latency).toBe(a.causeLatency);
    }
  });

  it('sends held back by a disk write continue the chain when they leave', () => {
    const all = answers(run('held', 5));
    expect(all.length).toBeGreaterThan(40);
    for (const a of all) expect(a.latency).toBe(a.causeLatency);
  });

  it('the step that learns a write finished continues the chain of the step that asked for it', () => {
    for (const seed of [6, 7]) {
      const all = answers(run('after-write', seed));
      expect(all.length).toBeGreaterThan(40);
      for (const a of all) expect(a.latency).toBe(a.causeLatency);
    }
  });

  it('each send of a timer step starts its own chain, and of the two exactly one is held back (balanced siblings)', () => {
    const events = run('at-once', 9);
    const sends = ofKind(events, 'send').filter((s) => (s.msg as { type: string }).type === 'Ping');
    const sentAt = new Map(sends.map((s) => [s.id, s.t]));
    const latencyOf = new Map(ofKind(events, 'deliver').filter((d) => sentAt.has(d.id)).map((d) => [d.id, d.t - (sentAt.get(d.id) as number)]));
    const byStep = new Map<number, number[]>();
    for (const s of sends) if (latencyOf.has(s.id)) byStep.set(s.t, [...(byStep.get(s.t) ?? []), latencyOf.get(s.id) as number]);
    const steps = [...byStep.values()].filter((l) => l.length === 2);
    expect(steps.length).toBeGreaterThan(10);
    for (const pair of steps) expect([...pair].sort((a, b) => a - b)).toEqual([window.minUs, window.maxUs]);
    // Which of the two is held back is a coin toss per step.
    const n2Held = steps.filter(([toN2]) => toN2 === window.maxUs).length;
    expect(n2Held).toBeGreaterThan(steps.length / 5);
    expect(n2Held).toBeLessThan((steps.length * 4) / 5);
  });

  it('is deterministic: the same seed gives the same deliveries', () => {
    expect(run('held', 4)).toEqual(run('held', 4));
    expect(run('after-write', 4)).toEqual(run('after-write', 4));
  });
});
