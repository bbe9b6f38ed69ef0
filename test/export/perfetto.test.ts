// The Perfetto (Chrome Trace Event) export of a Raft run under faults (every protocol:
// everyProtocol.test.ts): faults and partitions are slices at their virtual times in microseconds,
// every delivery an arrow from its send's slice to its own, drops marked, client operations
// slices, the heal phase a global instant; a fault of every type, overlapping ones on separate
// threads. The validator of the format's rules rejects each kind of broken trace.
import { describe, expect, it } from 'vitest';
import { exportPerfettoTrace } from '../../sim/export/perfetto.ts';
import type { ChromeEvent } from '../../sim/export/perfettoBuilder.ts';
import { exportShiviz } from '../../sim/export/shiviz.ts';
import { allFaultsRun, protocolRun } from './exportFixtures.ts';
import { validateChromeTrace } from './perfettoValidator.ts';
import { validateShiviz } from './shivizValidator.ts';

describe('what the timeline shows', () => {
  const trace = exportPerfettoTrace(protocolRun('raft').input);
  const events = trace.traceEvents;
  const slices = (cat: string) => events.filter((e) => e.ph === 'X' && e.cat === cat);

  it('ts and dur are virtual microseconds: the partition from 500 ms for 800 ms, the crash of n5 from 1 s until it boots at 1.3 s, the pause of n4', () => {
    const faults = slices('fault').map((e) => [e.name, e.pid, e.ts, e.dur]);
    expect(faults).toEqual(expect.arrayContaining([
      ['partition {n1,n2} | {n3,n4,n5}', 6, 500_000, 800_000],
      ['crash n5', 5, 1_000_000, 300_000],
      ['pause n4', 4, 1_500_000, 200_000],
    ]));
    const reboot = slices('node').find((e) => e.pid === 5 && (e.ts as number) > 0);
    expect(reboot?.args?.t).toBe(1_300_000);
  });

  it('every message slice starts at (or a few microseconds after) its event\'s virtual time', () => {
    const shifts = [...slices('message'), ...slices('timer'), ...slices('node')].map((e) => (e.ts as number) - (e.args?.t as number));
    expect(Math.min(...shifts)).toBe(0);
    expect(Math.max(...shifts)).toBeLessThan(200);
  });

  it('a delivery\'s arrow starts inside its send\'s slice on the sender and ends inside the delivery\'s slice on the receiver', () => {
    const flowStart = events.find((e) => e.ph === 's') as ChromeEvent;
    const flowEnd = events.find((e) => e.ph === 'f' && e.id === flowStart.id) as ChromeEvent;
    const send = slices('message').find((e) => e.pid === flowStart.pid && (e.ts as number) < (flowStart.ts as number) && (flowStart.ts as number) < (e.ts as number) + (e.dur as number));
    const recv = slices('message').find((e) => e.pid === flowEnd.pid && (e.ts as number) < (flowEnd.ts as number) && (flowEnd.ts as number) < (e.ts as number) + (e.dur as number));
    expect(send?.name).toBe(`send ${flowStart.name}`);
    expect(recv?.name).toBe(`recv ${flowStart.name}`);
    expect(recv?.args?.id).toBe(send?.args?.id);
    expect(flowEnd.bp).toBe('e');
  });

  it('drops are marked on their send and as instants; client operations are slices from invoke to complete', () => {
    const drop = events.find((e) => e.ph === 'i' && e.cat === 'drop');
    expect(drop?.args?.reason).toMatch(/partition|loss|crashed|paused/);
    expect(slices('message').some((e) => e.args?.id === drop?.args?.id && e.args?.dropped === drop?.args?.reason)).toBe(true);
    const first = protocolRun('raft').input.events.find((e) => e.kind === 'invoke');
    const op = slices('client').find((e) => e.args?.req === (first?.kind === 'invoke' ? first.req : -1));
    expect(op?.ts).toBe(first?.t);
    expect(op?.name).toMatch(/^(get|put|append|cas) k\d$/);
    expect(events.some((e) => e.ph === 'i' && e.s === 'g' && e.name === 'heal phase begins' && e.ts === 2_000_000)).toBe(true);
  });

  it('--until cuts the timeline', () => {
    const cut = exportPerfettoTrace(protocolRun('raft').input, { untilUs: 700_000 });
    validateChromeTrace(cut);
    expect(Math.max(...cut.traceEvents.map((e) => (e.ts ?? 0) + (e.dur ?? 0)))).toBeLessThanOrEqual(700_100);
  });
});

describe('a fault of every type', () => {
  const { input } = allFaultsRun();
  const trace = exportPerfettoTrace(input);
  const summary = validateChromeTrace(trace);

  it('each is a slice from start to end, or an instant when it has no duration; overlapping faults of a node go to separate threads', () => {
    const faults = trace.traceEvents.filter((e) => e.cat === 'fault');
    const byType = new Map(faults.map((e) => [(e.args?.fault as { type: string }).type, e] as const));
    expect([...byType.keys()].sort()).toEqual(['byzantine', 'clock-drift', 'clock-skew', 'clock-stop', 'clog', 'crash', 'disk-corrupt', 'disk-full', 'disk-slow', 'partition', 'partition-one-way', 'pause', 'restart', 'slow']);
    for (const type of ['restart', 'clock-skew', 'disk-corrupt']) expect(byType.get(type)?.ph).toBe('i');
    expect(byType.get('clock-skew')?.name).toBe('clock-skew n5 offset=-50ms');
    const diskFull = byType.get('disk-full');
    const diskSlow = byType.get('disk-slow');
    expect([diskFull?.pid, diskFull?.ts, diskFull?.dur, diskSlow?.ts]).toEqual([2, 1_100_000, 200_000, 1_200_000]);
    expect(diskSlow?.tid).not.toBe(diskFull?.tid);
    expect(summary.threads.get(`2/${diskSlow?.tid}`)).toBe('faults 2');
    expect(faults.filter((e) => e.pid === 6).map((e) => e.name)).toEqual(['partition {n1,n2} | {n3,n4,n5}', 'partition-one-way {n1} -> {n3}', 'clog n2 -> n3']);
  });

  it('the ShiViz log of the same run passes every rule, with each fault on the nodes it touches', () => {
    const [execution] = validateShiviz(exportShiviz([input]));
    const faultEvents = execution?.events.filter((e) => e.event.startsWith('fault ')) ?? [];
    expect(faultEvents.filter((e) => e.event === 'fault begins: partition {n1,n2} | {n3,n4,n5}').map((e) => e.host)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    expect(faultEvents.filter((e) => e.event.includes('clog n2 -> n3')).map((e) => e.host)).toEqual(['n2', 'n3', 'n2', 'n3']);
  });
});

describe('the validator rejects traces that break the format\'s rules', () => {
  const good = (): { traceEvents: Record<string, unknown>[] } => ({
    traceEvents: [
      { name: 'process_name', ph: 'M', pid: 1, tid: 0, args: { name: 'n1' } },
      { name: 'thread_name', ph: 'M', pid: 1, tid: 1, args: { name: 'messages' } },
      { name: 'send', ph: 'X', pid: 1, tid: 1, ts: 10, dur: 2, cat: 'message' },
      { name: 'recv', ph: 'X', pid: 1, tid: 1, ts: 20, dur: 2, cat: 'message' },
      { name: 'M1', ph: 's', pid: 1, tid: 1, ts: 11, cat: 'message', id: 1 },
      { name: 'M1', ph: 'f', bp: 'e', pid: 1, tid: 1, ts: 21, cat: 'message', id: 1 },
      { name: 'in flight', ph: 'C', pid: 1, tid: 0, ts: 10, args: { messages: 1 } },
    ],
  });
  const broken = (change: (events: Record<string, unknown>[]) => void) => {
    const trace = good();
    change(trace.traceEvents);
    return trace;
  };

  it.each<[string, (events: Record<string, unknown>[]) => void, RegExp]>([
    ['an unknown ph', (e) => void ((e[2] as Record<string, unknown>).ph = 'Q'), /unknown ph/],
    ['a pid that is not an integer', (e) => void ((e[2] as Record<string, unknown>).pid = '1'), /pid must be an integer/],
    ['a negative ts', (e) => void ((e[2] as Record<string, unknown>).ts = -5), /ts must be a number of microseconds/],
    ['an X slice without dur', (e) => void delete (e[2] as Record<string, unknown>).dur, /needs dur/],
    ['slices that partly overlap on a thread', (e) => void ((e[3] as Record<string, unknown>).ts = 11), /partly overlaps/],
    ['a flow start with no finish', (e) => void e.splice(5, 1), /1 s and 0 f events/],
    ['a flow finish outside any slice', (e) => void ((e[5] as Record<string, unknown>).ts = 30), /no slice .* to bind its finish/],
    ['a flow that finishes before it starts', (e) => void ((e[4] as Record<string, unknown>).ts = 21.5), /finishes at 21, before it starts at 21.5/],
    ['a thread with no thread_name', (e) => void e.splice(1, 1), /no thread_name metadata/],
    ['a process with no process_name', (e) => void e.splice(0, 1), /no process_name metadata/],
    ['a counter without numeric series', (e) => void ((e[6] as Record<string, unknown>).args = { messages: 'one' }), /numeric series/],
  ])('%s', (_name, change, message) => {
    expect(() => validateChromeTrace(good())).not.toThrow();
    expect(() => validateChromeTrace(broken(change))).toThrow(message);
  });
});
