// Leader-targeted faults: "leader" / "others" in fault plans (parsing, errors, written form), the
// tracker that names the leader from notes, resolution at the fault's start, and Raft runs whose
// fault events name the node that led (and replay to the same hash), with and without triggers.
import { describe, expect, it } from 'vitest';
import { raftSpec } from '../../protocols/raft/spec.ts';
import { describeFault, formatFaultPlan, parseFaultPlan } from '../../sim/faultPlan.ts';
import { resolveFault } from '../../sim/faultTargets.ts';
import { LeaderTracker } from '../../sim/leaderTracker.ts';
import type { NodeRuntime } from '../../sim/nodeRuntime.ts';
import { notes, ofKind, simulate, planErrorOf } from '../helpers.ts';

const parse = (faults: unknown[], nodes = 5) => parseFaultPlan({ faults }, nodes, 5_000_000);

const errorOf = (faults: unknown[]): string => planErrorOf(faults, 5, 5_000_000);

describe('"leader" in fault plans', () => {
  it('parses leader targets and others groups, and writes them back symbolically', () => {
    const written = [
      { type: 'partition', at: '1s', for: '300ms', groups: [['leader', 'n2'], ['others']] },
      { type: 'crash', at: '2s', for: '100ms', node: 'leader' },
      { type: 'pause', at: '3s', for: '50ms', node: 'leader' },
      { type: 'crash', at: '4s', node: 'n3' },
    ];
    const plan = parse(written);
    expect(plan.faults[0]).toEqual({ type: 'partition', at: 1_000_000, for: 300_000, groups: [['leader', 2], ['others']] });
    expect(plan.faults[1]).toEqual({ type: 'crash', at: 2_000_000, for: 100_000, node: 'leader' });
    expect(parse(formatFaultPlan(plan).faults)).toEqual(plan);
    expect(formatFaultPlan(plan).faults[0]).toEqual(written[0]);
    expect(describeFault(plan.faults[1]!)).toBe('at 2s: crash node=leader for 100ms');
  });

  it('rejects misplaced names with the field and what was expected', () => {
    expect(errorOf([{ type: 'crash', at: '1s', node: 'boss' }])).toMatch(/faults\[0\]\.node.*expected a node name like "n3", "leader" or "noted"; got "boss"/);
    expect(errorOf([{ type: 'crash', at: '1s', node: 'others' }])).toMatch(/faults\[0\]\.node.*"leader"/);
    expect(errorOf([{ type: 'partition-one-way', at: '1s', from: ['leader'], to: ['n1'] }])).toMatch(/faults\[0\]\.from\[0\].*expected a node name like "n3"; got "leader"/);
    expect(errorOf([{ type: 'partition', at: '1s', groups: [['leader', 'others'], ['n1']] }])).toMatch(/faults\[0\]\.groups\[0\]: "others" stands for a whole group/);
    expect(errorOf([{ type: 'partition', at: '1s', groups: [['leader'], ['leader', 'n1']] }])).toMatch(/faults\[0\]\.groups: "leader" is in more than one group/);
    expect(errorOf([{ type: 'partition', at: '1s', groups: [['leader'], ['n9']] }])).toMatch(/groups\[1\]\[0\]: n9 does not exist/);
  });
});

/** Nodes 1..n as the tracker sees them: up, epoch 0. */
const fakeNodes = (n: number): NodeRuntime[] => [undefined, ...Array.from({ length: n }, (_, i) => ({ id: i + 1, up: true, epoch: 0 }))] as unknown as NodeRuntime[];

describe('LeaderTracker', () => {
  it('names the up claimant with the highest term; a role note or a crash ends a claim', () => {
    const nodes = fakeNodes(5);
    const t = new LeaderTracker(nodes);
    expect(t.leader()).toBeUndefined();
    t.observe(1, 'leader', { term: 1 });
    t.observe(3, 'leader', { term: 2 });
    t.observe(2, 'commit', { term: 9 });
    expect(t.leader()).toBe(3);
    t.observe(3, 'role', { role: 'leader', term: 2 });
    expect(t.leader()).toBe(3);
    t.observe(3, 'role', { role: 'follower', term: 3 });
    expect(t.leader()).toBe(1);
    (nodes[1] as NodeRuntime).up = false;
    expect(t.leader()).toBeUndefined();
    (nodes[1] as NodeRuntime).up = true;
    (nodes[1] as NodeRuntime).epoch = 1; // crashed and rebooted: its claim was from before
    expect(t.leader()).toBeUndefined();
    t.observe(5, 'leader', { term: 4 });
    t.observe(4, 'leader', { term: 4 });
    expect(t.leader()).toBe(4); // a tie goes to the lowest id
  });

  it('resolves faults: leader wins over a concrete name, others fills the rest, no leader skips', () => {
    const plan = parse([
      { type: 'partition', at: 0, groups: [['leader', 'n2'], ['others']] },
      { type: 'partition', at: 0, groups: [['leader'], ['n3', 'n4']] },
      { type: 'crash', at: 0, node: 'leader' },
    ]);
    const [p1, p2, crash] = plan.faults as [never, never, never];
    expect(resolveFault(p1, { leader: 4, noted: undefined }, 5)).toMatchObject({ groups: [[2, 4], [1, 3, 5]], leader: 4 });
    expect(resolveFault(p1, { leader: 2, noted: undefined }, 5)).toMatchObject({ groups: [[2], [1, 3, 4, 5]], leader: 2 });
    expect(resolveFault(p2, { leader: 3, noted: undefined }, 5)).toMatchObject({ groups: [[3], [4]], leader: 3 });
    expect(resolveFault(crash, { leader: 5, noted: undefined }, 5)).toEqual({ type: 'crash', at: 0, node: 5, leader: 5 });
    expect(resolveFault(crash, { leader: undefined, noted: undefined }, 5)).toEqual({ type: 'crash', at: 0, skipped: 'no leader' });
    expect(resolveFault(p1, { leader: undefined, noted: undefined }, 5)).toEqual({ type: 'partition', at: 0, skipped: 'no leader' });
    const concrete = parse([{ type: 'partition', at: 0, groups: [['n1'], ['others']] }]).faults[0] as never;
    expect(resolveFault(concrete, { leader: undefined, noted: undefined }, 3)).toMatchObject({ groups: [[1], [2, 3]] });
    const noted = parse([{ type: 'partition', at: 0, groups: [['noted', 'n1'], ['leader'], ['others']], after: { note: 'x' } }]).faults[0] as never;
    expect(resolveFault(noted, { leader: 1, noted: 2 }, 4)).toMatchObject({ groups: [[2], [1], [3, 4]], leader: 1, noted: 2 });
  });
});

const raftRun = (faults: unknown[]) => simulate(raftSpec, { nodes: 5, faultPhaseUs: 2_000_000, network: {} }, faults);

describe('leader faults in Raft runs', () => {
  const plan = [
    { type: 'pause', at: '1ms', for: '10ms', node: 'leader' },
    { type: 'partition', at: '700ms', for: '300ms', groups: [['leader', 'n1'], ['others']] },
    { type: 'crash', at: '1900ms', for: '100ms', node: 'leader' },
  ];

  it('targets the node that led when each fault started, and says when nobody led', () => {
    const run = raftRun(plan);
    const starts = ofKind(run.events, 'fault').filter((e) => e.phase === 'start');
    expect(starts[0]!.fault).toMatchObject({ type: 'pause', skipped: 'no leader' });
    for (const start of starts.slice(1)) {
      const led = notes(run.events.filter((e) => e.t <= start.t), 'leader').at(-1)!;
      const resolved = start.fault as { leader?: number; node?: number; groups?: number[][] };
      expect(resolved.leader).toBe(led.node);
      if (start.fault.type === 'crash') expect(resolved.node).toBe(led.node);
      if (start.fault.type === 'partition') {
        expect(resolved.groups!.flat().sort()).toEqual([1, 2, 3, 4, 5]);
        expect(resolved.groups![0]).toContain(led.node);
      }
    }
    const ends = ofKind(run.events, 'fault').filter((e) => e.phase === 'end');
    expect(ends.map((e) => JSON.stringify(e.fault))).toEqual(starts.map((e) => JSON.stringify(e.fault)));
    expect(run.lines[0]).toContain('"node":"leader"'); // the header keeps the plan as written
  });

  it('is deterministic: the same plan twice gives the same trace hash', () => {
    expect(raftRun(plan).result.traceHash).toBe(raftRun(plan).result.traceHash);
    expect(raftRun(plan).result.traceHash).not.toBe(raftRun(plan.slice(0, 2)).result.traceHash);
  });
});

describe('a Raft leader cut off on its election note', () => {
  const plan = [{ type: 'partition', at: 0, groups: [['noted'], ['others']], after: { note: 'leader', delay: '2ms' }, until: { note: 'leader', nth: 2 } }];

  it('cuts off exactly the node that was elected, 2 ms after its note, until the next election', () => {
    const run = raftRun(plan);
    const [first, second] = notes(run.events, 'leader');
    const [start, end] = ofKind(run.events, 'fault');
    expect(start).toMatchObject({ t: first!.t + 2_000, phase: 'start', fault: { noted: first!.node, groups: [[first!.node], [1, 2, 3, 4, 5].filter((n) => n !== first!.node)] } });
    expect(second!.node).not.toBe(first!.node); // the other four elected someone else
    expect(end).toMatchObject({ t: second!.t, phase: 'end' });
    expect(raftRun(plan).text).toBe(run.text);
  });
});
