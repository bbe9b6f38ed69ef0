import { describe, expect, it } from 'vitest';
import { notes, ofKind, simulate, testProtocol, testSpec, type TestEffect } from '../helpers.ts';

interface TickerState {
  count: number;
  boots: number;
}

/**
 * Every node ticks every 100 ms: it counts ticks in volatile state, notes the count and pings its
 * peers. At boot it persists how many times it has booted and notes what init got from the disk.
 */
const ticker = testProtocol<TickerState>('ticker', {
  init: (_ctx, durable) => {
    const boots = ((durable as { boots?: number } | undefined)?.boots ?? 0) + 1;
    return {
      state: { count: 0, boots },
      effects: [
        { kind: 'persist', token: boots, data: { boots } },
        { kind: 'setTimer', timer: 'tick', afterUs: 100_000 },
        { kind: 'note', name: 'init', data: durable ?? 'none' },
      ],
    };
  },
  step: (state, input, ctx) => {
    if (input.kind !== 'timer') return { state, effects: [] };
    const count = state.count + 1;
    const effects: TestEffect[] = [
      { kind: 'setTimer', timer: 'tick', afterUs: 100_000 },
      { kind: 'note', name: 'tick', data: count },
      ...ctx.peers.map((to): TestEffect => ({ kind: 'send', to, msg: { type: 'Ping' } })),
    ];
    return { state: { ...state, count }, effects };
  },
});

const tickerRun = (faults: unknown[], faultPhaseUs = 1_000_000) => simulate(testSpec(ticker), { faultPhaseUs }, faults);
const timersOf = (run: ReturnType<typeof tickerRun>, node: number) => ofKind(run.events, 'timer').filter((e) => e.node === node).map((e) => e.t);

describe('crash and restart', () => {
  it('a crashed node loses its timers: none fires after the crash', () => {
    const run = tickerRun([{ at: '250ms', type: 'crash', node: 'n1' }]);
    expect(timersOf(run, 1)).toEqual([100_000, 200_000]);
    expect(timersOf(run, 2)).toHaveLength(9); // 100..900 ms; the run ends at 1 s before the tenth
    const toN1 = ofKind(run.events, 'drop').filter((d) => d.to === 1);
    expect(toN1.length).toBeGreaterThan(5);
    expect(toN1.every((d) => d.reason === 'crashed' && d.t > 250_000)).toBe(true);
  });

  it('a crash with a duration restarts the node: init gets the durable state, volatile state starts over', () => {
    const run = tickerRun([{ at: '250ms', for: '200ms', type: 'crash', node: 'n1' }]);
    expect(notes(run.events, 'init', 1).map((n) => [n.t, n.data])).toEqual([
      [0, 'none'],
      [450_000, { boots: 1 }],
    ]);
    expect(timersOf(run, 1)).toEqual([100_000, 200_000, 550_000, 650_000, 750_000, 850_000, 950_000]);
    expect(notes(run.events, 'tick', 1).map((n) => n.data)).toEqual([1, 2, 1, 2, 3, 4, 5]);
    const boots = ofKind(run.events, 'boot').filter((b) => b.node === 1);
    expect(boots.map((b) => [b.t, b.disk])).toEqual([[0, 'fresh'], [450_000, 'ok']]);
  });

  it('an explicit restart brings a permanently crashed node back', () => {
    const run = tickerRun([{ at: '250ms', type: 'crash', node: 'n1' }, { at: '600ms', type: 'restart', node: 'n1' }]);
    expect(notes(run.events, 'init', 1).map((n) => n.t)).toEqual([0, 600_000]);
    expect(timersOf(run, 1)).toEqual([100_000, 200_000, 700_000, 800_000, 900_000]);
  });

  it('a crash without a duration lasts through the heal phase', () => {
    const run = simulate(testSpec(ticker), { faultPhaseUs: 500_000, healUs: 500_000 }, [{ at: '250ms', type: 'crash', node: 'n1' }]);
    expect(timersOf(run, 1)).toEqual([100_000, 200_000]);
    expect(ofKind(run.events, 'boot').filter((b) => b.node === 1)).toHaveLength(1);
  });
});

describe('pause', () => {
  it('holds deliveries and timers while paused and replays them in order on resume', () => {
    const run = tickerRun([{ at: '150ms', for: '250ms', type: 'pause', node: 'n2' }]);
    // n1 pings n2 at 100, 200, 300, 400 ms (+1 ms latency); n2's own tick is due at 200 ms.
    const toN2 = ofKind(run.events, 'deliver').filter((d) => d.to === 2);
    expect(toN2.map((d) => d.t).filter((t) => t < 500_000)).toEqual([101_000, 400_000, 400_000, 401_000]);
    expect(timersOf(run, 2)).toEqual([100_000, 400_000, 500_000, 600_000, 700_000, 800_000, 900_000]);
    // Held items come back in arrival order: the tick due at 200 ms, then the pings sent at 200 and 300 ms.
    const at400 = run.events.filter((e) => e.t === 400_000 && (e.kind === 'deliver' || e.kind === 'timer') && (e.kind === 'timer' ? e.node === 2 : e.to === 2));
    const sentAt = new Map(ofKind(run.events, 'send').map((s) => [s.id, s.t]));
    expect(at400.map((e) => (e.kind === 'deliver' ? `deliver@${sentAt.get(e.id)}` : 'timer'))).toEqual(['timer', 'deliver@200000', 'deliver@300000']);
    expect(notes(run.events, 'tick', 2).map((n) => n.data)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('a crash during a pause drops what was held', () => {
    const run = tickerRun([{ at: '150ms', for: '300ms', type: 'pause', node: 'n2' }, { at: '350ms', type: 'crash', node: 'n2' }]);
    const drops = ofKind(run.events, 'drop').filter((d) => d.to === 2 && d.t === 350_000);
    expect(drops).toHaveLength(2);
    expect(drops.every((d) => d.reason === 'crashed')).toBe(true);
    expect(timersOf(run, 2)).toEqual([100_000]);
  });
});

/** At 200 ms n1 sends three Pings to n2 in one step; n2 answers each with a Pong. */
const burst = testProtocol<null>('burst', {
  init: (ctx) => ({ state: null, effects: ctx.id === 1 ? [{ kind: 'setTimer', timer: 'go', afterUs: 200_000 }] : [] }),
  step: (state, input) => {
    if (input.kind === 'timer') return { state, effects: [1, 2, 3].map((n): TestEffect => ({ kind: 'send', to: 2, msg: { type: 'Ping', n } })) };
    if (input.kind === 'message' && input.msg.type === 'Ping') return { state, effects: [{ kind: 'send', to: 1, msg: { type: 'Pong', n: input.msg.n } }] };
    return { state, effects: [] };
  },
});

describe('slow node', () => {
  it('handles one input per step cost and its sends leave after the step', () => {
    const fast = simulate(testSpec(burst));
    expect(ofKind(fast.events, 'deliver').map((d) => [d.to, d.t])).toEqual([[2, 201_000], [2, 201_000], [2, 201_000], [1, 202_000], [1, 202_000], [1, 202_000]]);

    const slow = simulate(testSpec(burst), {}, [{ at: '100ms', type: 'slow', node: 'n2', stepCost: '50ms' }]);
    const delivers = ofKind(slow.events, 'deliver');
    expect(delivers.filter((d) => d.to === 2).map((d) => d.t)).toEqual([201_000, 251_000, 301_000]);
    expect(delivers.filter((d) => d.to === 1).map((d) => d.t)).toEqual([252_000, 302_000, 352_000]);
  });

  it('messages waiting for a busy node are lost when it crashes, not handed to its next life (regression)', () => {
    const run = simulate(testSpec(burst), {}, [
      { at: '100ms', type: 'slow', node: 'n2', stepCost: '50ms' },
      { at: '210ms', for: '20ms', type: 'crash', node: 'n2' },
    ]);
    expect(ofKind(run.events, 'deliver').filter((d) => d.to === 2).map((d) => d.t)).toEqual([201_000]);
    const drops = ofKind(run.events, 'drop').filter((d) => d.to === 2);
    expect(drops.map((d) => [d.id, d.reason])).toEqual([[2, 'crashed'], [3, 'crashed']]);
    expect(ofKind(run.events, 'boot').filter((b) => b.node === 2).map((b) => b.t)).toEqual([0, 230_000]);
  });
});

/** n1 sends Ping{n: 7, label: 'x', ok: true} to n2 at 10 ms and 20 ms; n2 notes what it got. */
const talker = testProtocol<null>('talker', {
  init: (ctx) => ({ state: null, effects: ctx.id === 1 ? [{ kind: 'setTimer', timer: 'talk', afterUs: 10_000 }] : [] }),
  step: (state, input, ctx) => {
    if (input.kind === 'timer') {
      const again: TestEffect[] = ctx.nowUs < 20_000 ? [{ kind: 'setTimer', timer: 'talk', afterUs: 10_000 }] : [];
      return { state, effects: [{ kind: 'send', to: 2, msg: { type: 'Ping', n: 7, label: 'x', ok: true } }, ...again] };
    }
    if (input.kind === 'message') return { state, effects: [{ kind: 'note', name: 'got', data: input.msg }] };
    return { state, effects: [] };
  },
});

const ORIGINAL = { type: 'Ping', n: 7, label: 'x', ok: true };
const byzantineRun = (behaviour: string, extra: Record<string, unknown> = {}) =>
  simulate(testSpec(talker), { faultPhaseUs: 100_000 }, [{ at: '0s', type: 'byzantine', node: 'n1', behaviour, ...extra }]);

describe('byzantine senders', () => {
  it('wrong: one field of the message is changed and the send is marked', () => {
    const run = byzantineRun('wrong');
    const sends = ofKind(run.events, 'send');
    expect(sends).toHaveLength(2);
    for (const send of sends) {
      expect(send.byzantine).toBe('wrong');
      const msg = send.msg as Record<string, unknown>;
      expect(msg.type).toBe('Ping');
      const changed = Object.keys(ORIGINAL).filter((k) => msg[k] !== ORIGINAL[k as keyof typeof ORIGINAL]);
      expect(changed).toHaveLength(1);
    }
    expect(notes(run.events, 'got', 2).map((n) => n.data)).toEqual(sends.map((s) => s.msg));
  });

  it('silent: the message is recorded as dropped with reason byzantine-silent', () => {
    const run = byzantineRun('silent');
    expect(ofKind(run.events, 'send').map((s) => s.byzantine)).toEqual(['silent', 'silent']);
    expect(ofKind(run.events, 'drop').map((d) => d.reason)).toEqual(['byzantine-silent', 'byzantine-silent']);
    expect(ofKind(run.events, 'deliver')).toEqual([]);
  });

  it('delay: the message leaves late', () => {
    const run = byzantineRun('delay', { delay: '50ms' });
    expect(ofKind(run.events, 'deliver').map((d) => d.t)).toEqual([61_000, 71_000]);
    expect(notes(run.events, 'got', 2).map((n) => n.data)).toEqual([ORIGINAL, ORIGINAL]);
  });

  it('duplicate: every message is sent twice', () => {
    const run = byzantineRun('duplicate');
    const sends = ofKind(run.events, 'send');
    expect(sends.map((s) => [s.t, s.byzantine])).toEqual([[10_000, 'duplicate'], [10_000, 'duplicate'], [20_000, 'duplicate'], [20_000, 'duplicate']]);
    expect(new Set(sends.map((s) => s.id)).size).toBe(4);
    expect(notes(run.events, 'got', 2)).toHaveLength(4);
  });

  it('probability 0 leaves every send alone; the fault ends with its duration', () => {
    const never = byzantineRun('silent', { probability: 0 });
    expect(ofKind(never.events, 'send').some((s) => s.byzantine !== undefined)).toBe(false);
    const brief = simulate(testSpec(talker), { faultPhaseUs: 100_000 }, [{ at: '0s', for: '15ms', type: 'byzantine', node: 'n1', behaviour: 'silent' }]);
    expect(ofKind(brief.events, 'send').map((s) => s.byzantine ?? 'honest')).toEqual(['silent', 'honest']);
  });
});
