import { describe, expect, it } from 'vitest';
import { describeFault, FAULT_TYPES, formatFaultPlan, parseFaultPlan } from '../../sim/faultPlan.ts';
import { InputError } from '../../sim/schemaHelpers.ts';
import { drawSwarm } from '../../sim/swarm.ts';
import { planErrorOf } from '../helpers.ts';

const parse = (faults: unknown[], nodes = 5, phaseUs = 10_000_000) => parseFaultPlan({ faults }, nodes, phaseUs);

const errorOf = (faults: unknown[], nodes = 5): string => planErrorOf(faults, nodes, 10_000_000);

describe('parseFaultPlan', () => {
  it('reads durations with units, node names, and sorts by time', () => {
    const plan = parse([
      { at: '3s', type: 'partition', for: '1500ms', groups: [['n1', 'n2'], ['n3', 'n4', 'n5']] },
      { at: 250_000, type: 'crash', node: 2 },
      { at: '1s', type: 'clock-skew', node: 'n4', offset: '-200ms' },
    ]);
    expect(plan.faults).toEqual([
      { at: 250_000, type: 'crash', node: 2 },
      { at: 1_000_000, type: 'clock-skew', node: 4, offset: -200_000 },
      { at: 3_000_000, type: 'partition', for: 1_500_000, groups: [[1, 2], [3, 4, 5]] },
    ]);
  });

  it('names the field of a node outside the cluster', () => {
    const message = errorOf([{ at: '1s', type: 'crash', node: 'n1' }, { at: '2s', type: 'crash', node: 'n9' }]);
    expect(message).toContain('faults[1].node');
    expect(message).toContain('n9 does not exist (the cluster has n1..n5)');
  });

  it('names the field of a bad duration', () => {
    const message = errorOf([{ at: '3 parsecs', type: 'crash', node: 'n1' }]);
    expect(message).toContain('faults[0].at');
    expect(message).toContain('"3 parsecs"');
  });

  it('names the field of an unknown fault type and lists the known ones', () => {
    const message = errorOf([{ at: '1s', type: 'crash', node: 'n1' }, { at: '1s', type: 'meteor', node: 'n1' }]);
    expect(message).toContain('faults[1].type');
    for (const type of ['crash', 'partition', 'clock-drift', 'disk-corrupt']) expect(message).toContain(type);
  });

  it.each([
    [[{ at: '1s', type: 'crash', node: 'x' }], 'faults[0].node', 'expected a node name like "n3"'],
    [[{ at: '20s', type: 'crash', node: 'n1' }], 'faults[0].at', 'not inside the fault phase'],
    [[{ at: '1s', type: 'crash', node: 'n1', colour: 'red' }], 'faults[0]', 'colour'],
    [[{ at: '1s', type: 'partition', groups: [['n1', 'n2'], ['n2', 'n3']] }], 'faults[0].groups', 'n2 is in more than one group'],
    [[{ at: '1s', type: 'partition', groups: [['n1'], ['n7']] }], 'faults[0].groups[1][0]', 'n7 does not exist'],
    [[{ at: '1s', type: 'partition-one-way', from: ['n1'], to: ['n6'] }], 'faults[0].to[0]', 'n6 does not exist'],
    [[{ at: '1s', type: 'clog', from: 'n2', to: 'n2' }], 'faults[0].to', 'two different nodes'],
    [[{ at: '1s', type: 'byzantine', node: 'n1', behaviour: 'delay' }], 'faults[0].delay', 'needs a delay'],
    [[{ at: '1s', type: 'byzantine', node: 'n1', behaviour: 'wrong', probability: 2 }], 'faults[0].probability', 'probability between 0 and 1'],
    [[{ at: '1s', type: 'clock-drift', node: 'n1', rate: 0 }], 'faults[0].rate', 'positive clock rate'],
    [[{ at: '1s', type: 'clock-skew', node: 'n1', offset: 'soon' }], 'faults[0].offset', 'signed duration'],
    [[{ at: -5, type: 'crash', node: 'n1' }], 'faults[0].at', 'non-negative'],
  ])('rejects %j naming %s', (faults, field, expected) => {
    const message = errorOf(faults);
    expect(message).toContain(`${field}`);
    expect(message).toContain(expected);
  });

  it('rejects a plan that is not an object with a faults list', () => {
    expect(() => parseFaultPlan([], 5, 1_000_000)).toThrow(InputError);
    expect(() => parseFaultPlan({ faults: [], extra: 1 }, 5, 1_000_000)).toThrow(/extra/);
  });
});

describe('formatFaultPlan', () => {
  it('writes units and node names that parse back to the same plan', () => {
    const plan = parse([
      { at: '1500us', type: 'byzantine', node: 'n3', behaviour: 'delay', delay: '20ms', probability: 0.5, for: '2s' },
      { at: '2s', type: 'clock-skew', node: 'n1', offset: '+1s' },
      { at: '2s', type: 'clog', from: 'n1', to: 'n2' },
    ]);
    const written = formatFaultPlan(plan);
    expect(written.faults[0]).toEqual({ at: '1500us', type: 'byzantine', node: 'n3', behaviour: 'delay', delay: '20ms', probability: 0.5, for: '2s' });
    expect(written.faults[1]).toEqual({ at: '2s', type: 'clock-skew', node: 'n1', offset: '+1s' });
    expect(parseFaultPlan(written, 5, 10_000_000)).toEqual(plan);
    const summary = describeFault(plan.faults[2] as never);
    for (const part of ['2s', 'clog', 'n1', 'n2']) expect(summary).toContain(part);
  });

  it('round-trips every swarm plan: parseFaultPlan(formatFaultPlan(plan)) equals plan', () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 500; seed++) {
      const nodes = 1 + (seed % 7);
      const phaseUs = 1_000_000 + seed * 7_919;
      const { plan } = drawSwarm(seed, nodes, phaseUs);
      plan.faults.forEach((f) => seen.add(f.type));
      const text = JSON.stringify(formatFaultPlan(plan));
      expect(parseFaultPlan(JSON.parse(text), nodes, phaseUs), `seed ${seed}`).toEqual(plan);
    }
    expect([...seen].sort()).toEqual(FAULT_TYPES.filter((t) => t !== 'restart').sort());
  });
});
