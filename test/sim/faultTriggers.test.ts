// Event-triggered faults: "after" / "until" in fault plans (parsing, errors that name the field,
// the written form), the trigger counter on its own, and runs of a protocol whose notes come at
// known times: a fault starts the right delay after the right note, hits the node that made it
// ("noted"), ends on its "until" note, counts from "since", never starts past the fault phase, is
// cancelled when its end comes first; traces replay to the same hash with the plan kept symbolic.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../sim/engine.ts';
import { describeFault, formatFaultPlan, parseFaultPlan } from '../../sim/faultPlan.ts';
import { NoteTriggers, type Edge } from '../../sim/faultTriggers.ts';
import { readTrace } from '../../sim/traceReader.ts';
import { replayTrace } from '../../sim/replay.ts';
import { resolveRun } from '../../sim/resolveRun.ts';
import type { Checker } from '../../sim/checker.ts';
import type { TraceEvent } from '../../sim/traceEvents.ts';
import { ofKind, simulate, testProtocol, testSpec, type TestEffect, planErrorOf } from '../helpers.ts';

const parse = (faults: unknown[], nodes = 3) => parseFaultPlan({ faults }, nodes, 1_000_000);

const errorOf = (faults: unknown[]): string => planErrorOf(faults, 3, 1_000_000);

describe('"after" and "until" in fault plans', () => {
  it('parse with defaults (1st note, no delay), write back in full, and read the same again', () => {
    const plan = parse([
      { type: 'partition', at: 0, groups: [['noted', 'n2'], ['others']], after: { note: 'leader', nth: 2, delay: '3ms' }, until: { note: 'leader', nth: 3 } },
      { type: 'crash', at: '10ms', node: 'noted', after: { note: 'commit', since: { note: 'leader', nth: 3 } }, for: '50ms' },
    ]);
    expect(plan.faults[0]).toEqual({ type: 'partition', at: 0, groups: [['noted', 2], ['others']], after: { note: 'leader', nth: 2, delay: 3_000 }, until: { note: 'leader', nth: 3, delay: 0 } });
    expect(plan.faults[1]).toMatchObject({ after: { note: 'commit', nth: 1, delay: 0, since: { note: 'leader', nth: 3 } } });
    const written = formatFaultPlan(plan);
    expect(written.faults[0]).toEqual({ type: 'partition', at: '0us', groups: [['noted', 'n2'], ['others']], after: { note: 'leader', nth: 2, delay: '3ms' }, until: { note: 'leader', nth: 3, delay: '0us' } });
    expect(parse(written.faults)).toEqual(plan);
    expect(describeFault(plan.faults[0]!)).toBe('at 0us, on 2nd "leader" note +3ms: partition groups=[[noted,n2],[others]] until 3rd "leader" note');
    expect(describeFault(plan.faults[1]!)).toBe('at 10ms, on 1st "commit" note after the 3rd "leader" note: crash node=noted for 50ms');
  });

  it.each([
    [{ type: 'crash', at: 0, node: 'n1', after: { note: '' } }, 'faults[0].after.note', 'expected a note name like "leader"'],
    [{ type: 'crash', at: 0, node: 'n1', after: { note: 'leader', nth: 0 } }, 'faults[0].after.nth', 'expected 1 or more'],
    [{ type: 'crash', at: 0, node: 'n1', after: { note: 'leader', nth: 1.5 } }, 'faults[0].after.nth', 'whole number'],
    [{ type: 'crash', at: 0, node: 'n1', after: { note: 'leader', delay: 'soon' } }, 'faults[0].after.delay', 'expected a duration'],
    [{ type: 'crash', at: 0, node: 'n1', after: { note: 'leader', when: 1 } }, 'faults[0].after', 'unknown field "when"'],
    [{ type: 'crash', at: 0, node: 'n1', after: { note: 'x', since: { note: 'y', nth: -1 } } }, 'faults[0].after.since.nth', 'expected 1 or more'],
    [{ type: 'pause', at: 0, node: 'n1', for: '1s', until: { note: 'leader' } }, 'faults[0].until', 'not both'],
    [{ type: 'clog', at: 0, from: 'n1', to: 'n2', until: { note: 'leader' } }, 'faults[0]', 'unknown field "until"'],
    [{ type: 'crash', at: 0, node: 'noted' }, 'faults[0]', '"noted" is the node whose note started the fault; it needs "after"'],
    [{ type: 'crash', at: 0, node: 'boss', after: { note: 'x' } }, 'faults[0].node', 'expected a node name like "n3", "leader" or "noted"; got "boss"'],
    [{ type: 'partition', at: 0, groups: [['noted', 'others'], ['n1']], after: { note: 'x' } }, 'faults[0].groups[0]', '"others" stands for a whole group'],
    [{ type: 'partition', at: 0, groups: [['noted'], ['noted', 'n1']], after: { note: 'x' } }, 'faults[0].groups', '"noted" is in more than one group'],
  ])('rejects %j naming %s', (fault, field, message) => {
    const error = errorOf([fault]);
    expect(error).toContain(`${field}: `);
    expect(error).toContain(message);
  });
});

describe('NoteTriggers', () => {
  const fired: [number, Edge, number, number][] = [];
  const triggers = new NoteTriggers((token, edge, noted, at) => fired.push([token, edge, noted, at]));
  triggers.arm(0, 'start', { note: 'a', nth: 2, delay: 5 }, 100);
  triggers.arm(1, 'end', { note: 'b', nth: 1, delay: 0, since: { note: 'a', nth: 1 } }, 0);
  triggers.arm(2, 'start', { note: 'a', nth: 1, delay: 0, since: { note: 'a', nth: 1 } }, 0);

  it('counts notes from its time, fires once at the nth with the noting node and the delay, and "since" counts only later notes', () => {
    triggers.observe(3, 'b', 10); // before any "a": trigger 1 is not counting yet
    triggers.observe(1, 'a', 50); // before trigger 0's time; completes both "since" stages
    expect(fired).toEqual([]);
    triggers.observe(2, 'a', 100);
    triggers.observe(4, 'b', 120);
    triggers.observe(5, 'a', 130);
    triggers.observe(5, 'a', 140);
    expect(fired).toEqual([[2, 'start', 2, 100], [1, 'end', 4, 120], [0, 'start', 5, 135]]);
  });
});

/** Node i notes "tick" (and pings its peers) every 100 ms, i * 10 ms into each period: n1 at 10, 110..., n2 at 20, 120..., n3 at 30, 130... */
const ticker = testProtocol<null>('ticker', {
  init: (ctx) => ({ state: null, effects: [{ kind: 'setTimer', timer: 'tick', afterUs: ctx.id * 10_000 }] }),
  step: (state, input, ctx) => {
    if (input.kind !== 'timer') return { state, effects: [] };
    const pings = ctx.peers.map((to): TestEffect => ({ kind: 'send', to, msg: { type: 'Ping' } }));
    return { state, effects: [{ kind: 'setTimer', timer: 'tick', afterUs: 100_000 }, { kind: 'note', name: 'tick', data: ctx.id }, ...pings] };
  },
});

/** Fault events as checkers saw them. */
function faultWatcher(seen: TraceEvent[]): Checker {
  return { name: 'faults-seen', kind: 'always', description: 'records fault events', reads: ['fault'], observe: (e) => void seen.push(e), broken: () => undefined };
}

function tickRun(faults: unknown[], seen: TraceEvent[] = []) {
  return simulate(testSpec(ticker, { checkers: () => [faultWatcher(seen)] }), { nodes: 3, faultPhaseUs: 1_000_000 }, faults);
}
const faultEvents = (run: ReturnType<typeof tickRun>) => ofKind(run.events, 'fault').map((e) => ({ t: e.t, phase: e.phase, fault: e.fault as unknown as Record<string, unknown> }));

describe('triggered faults in a run', () => {
  it('start the delay after the nth note since "at", on the node that made it, and end after "for"', () => {
    const run = tickRun([{ type: 'crash', at: '50ms', node: 'noted', after: { note: 'tick', nth: 2, delay: '5ms' }, for: '30ms' }]);
    // Ticks at or after 50 ms: n1 at 110 ms, n2 at 120 ms (the 2nd), so the crash hits n2 at 125 ms.
    const [start, end] = faultEvents(run);
    expect(start).toMatchObject({ t: 125_000, phase: 'start', fault: { type: 'crash', node: 2, noted: 2, at: 125_000, for: 30_000 } });
    expect(end).toEqual({ ...start, t: 155_000, phase: 'end' });
    expect(ofKind(run.events, 'boot').filter((b) => b.node === 2).map((b) => b.t)).toEqual([0, 155_000]);
  });

  it('end on their "until" note, and resolve "others" to every other node', () => {
    const run = tickRun([{ type: 'partition', at: 0, groups: [['noted'], ['others']], after: { note: 'tick', nth: 1 }, until: { note: 'tick', nth: 4, delay: '1ms' } }]);
    const events = faultEvents(run);
    expect(events.map((e) => [e.t, e.phase])).toEqual([[10_000, 'start'], [111_000, 'end']]);
    expect(events[0]!.fault.groups).toEqual([[1], [2, 3]]);
    expect(ofKind(run.events, 'drop').filter((d) => d.t > 10_000 && d.t < 111_000).length).toBeGreaterThan(0);
  });

  it('count from the "since" note, never start past the fault phase, and are cancelled when the end comes first', () => {
    const seen: TraceEvent[] = [];
    const run = tickRun([
      { type: 'pause', at: 0, node: 'noted', after: { note: 'tick', since: { note: 'tick', nth: 3 } }, for: '10ms' },
      { type: 'pause', at: 0, node: 'n1', after: { note: 'tick', nth: 100 }, for: '10ms' },
      { type: 'pause', at: 0, node: 'noted', after: { note: 'tick', nth: 3 }, until: { note: 'tick', nth: 2 } },
    ], seen);
    const events = faultEvents(run);
    expect(events.map((e) => [e.t, e.phase, e.fault.node, e.fault.skipped])).toEqual([
      [30_000, 'start', undefined, 'ended before it started'],
      [30_000, 'end', undefined, 'ended before it started'],
      [110_000, 'start', 1, undefined], // the 1st tick after the 3rd (n3 at 30 ms) is n1's at 110 ms
      [120_000, 'end', 1, undefined],
    ]);
    expect(seen.map((e) => e.t)).toEqual([110_000, 120_000]); // checkers never see the cancelled one
  });

  it('replay to the same trace, with the plan symbolic in the header and concrete nodes in the events', () => {
    const plan = [{ type: 'partition', at: 0, groups: [['noted'], ['others']], after: { note: 'tick', nth: 2, delay: '2ms' }, until: { note: 'tick', nth: 6 } }];
    const a = tickRun(plan);
    expect(tickRun(plan).text).toBe(a.text);
    expect(a.lines[0]).toContain('"groups":[["noted"],["others"]],"after":{"note":"tick","nth":2,"delay":"2ms"}');
    expect(faultEvents(a)[0]!.fault.groups).toEqual([[2], [1, 3]]);
    const outcome = replayTrace(readTrace(a.text, 'test'), { ticker: testSpec(ticker) });
    expect(outcome.matches).toBe(true);
  });

  it('a plan without triggers or names leaves the engine deaf to notes', () => {
    const spec = testSpec(ticker);
    const timed = parse([{ type: 'pause', at: '5ms', node: 'n1', for: '1ms' }]);
    const triggered = parse([{ type: 'pause', at: '5ms', node: 'n1', after: { note: 'tick' }, for: '1ms' }]);
    const listening = (plan: typeof timed) => {
      const sim = new Simulation(spec, resolveRun(spec, { seed: 1, nodes: 3, faultPhaseUs: 1_000_000 }, plan), plan);
      sim.faults.schedulePlan(plan);
      return sim.faults.watchesNotes;
    };
    expect(listening(timed)).toBe(false);
    expect(listening(triggered)).toBe(true);
  });
});
