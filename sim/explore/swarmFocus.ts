// Swarm testing beyond fault types: besides enabling a subset of the fault types, each swarm run
// draws a focus, the nodes its node faults hit (a few consecutive node ids, often one: a
// "flapping" node) and a window of the fault phase its faults start in (from a few milliseconds to
// the whole phase), and an intensity (a normal run, or a storm of three times as many faults).
// Runs that hammer one node within one election, or the coordinator again and again, are the ones
// a uniform mix almost never draws. The focus shrinks toward n1 and a window starting at 0 s.
// Leaves out: partitions (their sides are drawn as they are; a focus on nodes would only shrink them)
// and nodes named by role ("noted", "leader": the run decides who they are).
import fc from 'fast-check';
import type { PlanFault } from '../faultPlan.ts';
import { logDurationUs } from './faultArbitrary.ts';

export interface SwarmFocus {
  /** Node faults hit node ids first..first+count-1 (wrapping around the cluster). */
  first: number;
  count: number;
  /** Faults start inside [fromUs, fromUs + spanUs). */
  fromUs: number;
  spanUs: number;
}

export function focusArbitrary(maxNodes: number, faultPhaseUs: number): fc.Arbitrary<SwarmFocus> {
  const phaseMs = Math.max(1, Math.floor(faultPhaseUs / 1_000));
  return fc.record({
    first: fc.integer({ min: 1, max: maxNodes }),
    count: fc.integer({ min: 1, max: maxNodes }),
    fromUs: fc.integer({ min: 0, max: phaseMs - 1 }).map((ms) => ms * 1_000),
    spanUs: logDurationUs(phaseMs),
  });
}

/**
 * A group of faults (one fault, or one pattern's) with its nodes moved into the focus and its start
 * moved into the window; the group keeps its own spacing, and faults pushed past the fault phase go.
 */
export function focusGroup(group: readonly PlanFault[], focus: SwarmFocus, nodes: number, faultPhaseUs: number): PlanFault[] {
  if (group.length === 0) return [];
  const phaseMs = Math.max(1, Math.floor(faultPhaseUs / 1_000));
  const start = (group[0] as PlanFault).at;
  const atMs = Math.floor(focus.fromUs / 1_000) + Math.floor(((start / 1_000) * (focus.spanUs / 1_000)) / phaseMs);
  const shift = Math.min(phaseMs - 1, atMs) * 1_000 - start;
  const pick = (id: number): number => ((focus.first - 1 + ((id - 1) % Math.min(focus.count, nodes))) % nodes) + 1;
  return group.filter((f) => f.at + shift < faultPhaseUs).map((fault) => {
    const at = fault.at + shift;
    if ('node' in fault) return typeof fault.node === 'number' ? { ...fault, at, node: pick(fault.node) } : { ...fault, at };
    if (fault.type === 'clog') {
      const from = pick(fault.from);
      return { ...fault, at, from, to: fault.to === from ? (from % nodes) + 1 : fault.to };
    }
    return { ...fault, at };
  });
}
