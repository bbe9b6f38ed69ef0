// fast-check arbitraries for faults, one per fault type, on a cluster of up to maxNodes nodes, and
// the projection of a fault onto a smaller cluster (so a schedule's node count can shrink while its
// faults stay put). Times are whole milliseconds; durations, delays and clock offsets are drawn on
// a log scale (1 ms to the fault phase) and shrink toward 1 ms, so a shrunk plan has short
// partitions and brief crashes; a fault's start shrinks toward 0 s. Node choices shrink toward n1.
// Leaves out: 'restart' (a crash with a duration restarts the node) and per-protocol fault models
// (a protocol's checkers say which faults it does not owe safety under).
import fc from 'fast-check';
import type { Fault, FaultType, PlanFault } from '../faultPlan.ts';
import { isSymbolic, type Member } from '../faultTargets.ts';
import type { LeaderNotes } from '../protocolSpec.ts';

export interface FaultBounds {
  maxNodes: number;
  faultPhaseUs: number;
  /** The protocol's election and commit notes, if it has leaders (the leader-chase pattern). */
  leaderNotes?: LeaderNotes | null;
}

/** The types the explorer draws from (every type but restart). */
export const EXPLORE_FAULT_TYPES: readonly FaultType[] = [
  'crash', 'partition', 'partition-one-way', 'clog', 'pause', 'slow', 'byzantine',
  'clock-skew', 'clock-drift', 'clock-stop', 'disk-full', 'disk-slow', 'disk-corrupt',
];
const LINK_TYPES: readonly FaultType[] = ['partition', 'partition-one-way', 'clog'];

/** The fault types that make sense on clusters of up to maxNodes nodes (link faults need two). */
export function faultTypesFor(maxNodes: number): FaultType[] {
  return EXPLORE_FAULT_TYPES.filter((t) => maxNodes >= 2 || !LINK_TYPES.includes(t));
}

/** Log-scale milliseconds from 1 to maxMs (four steps per doubling), in microseconds. */
export function logDurationUs(maxMs: number): fc.Arbitrary<number> {
  const top = Math.max(0, Math.floor(4 * Math.log2(Math.max(1, maxMs))));
  return fc.integer({ min: 0, max: top }).map((x) => Math.min(maxMs, Math.max(1, Math.round(2 ** (x / 4)))) * 1_000);
}

/**
 * A start time on a log scale, 0 to maxMs - 1 ms (in microseconds), shrinking toward 0: the first
 * milliseconds of a run (bootstrap, the first election, the first requests) get as many draws as
 * the rest of the phase, which a uniform start would give a few per mille of the runs.
 */
export function logStartUs(maxMs: number): fc.Arbitrary<number> {
  return logDurationUs(Math.max(1, maxMs)).map((us) => us - 1_000);
}

export function faultArbitrary(type: FaultType, b: FaultBounds): fc.Arbitrary<Fault> {
  const phaseMs = Math.max(1, Math.floor(b.faultPhaseUs / 1_000));
  const at = fc.integer({ min: 0, max: phaseMs - 1 }).map((ms) => ms * 1_000);
  const dur = logDurationUs(phaseMs);
  const short = logDurationUs(Math.min(phaseMs, 2_000));
  const node = fc.integer({ min: 1, max: b.maxNodes });
  const sides = fc.integer({ min: 1, max: 2 ** b.maxNodes - 2 });
  switch (type) {
    case 'crash': return fc.record({ at, node, for: fc.option(dur, { freq: 4, nil: undefined }) }).map((f) => ({ type, ...withFor(f) }));
    case 'partition': return fc.record({ at, for: dur, sides }).map(({ sides: s, ...f }) => ({ type, ...f, groups: groupsOf(s, b.maxNodes) }));
    case 'partition-one-way': return fc.record({ at, for: dur, sides }).map(({ sides: s, ...f }) => { const [from, to] = groupsOf(s, b.maxNodes); return { type, ...f, from, to }; });
    case 'clog': return fc.record({ at, for: dur, from: node, hop: fc.integer({ min: 1, max: Math.max(1, b.maxNodes - 1) }) }).map(({ hop, ...f }) => ({ type, ...f, to: ((f.from - 1 + hop) % b.maxNodes) + 1 }));
    case 'pause': return fc.record({ at, for: short, node }).map((f) => ({ type, ...f }));
    case 'slow': return fc.record({ at, for: dur, node, stepCost: fc.constantFrom(1_000, 10_000, 50_000) }).map((f) => ({ type, ...f }));
    case 'byzantine': return byzantine(at, dur, node);
    case 'clock-skew': return fc.record({ at, node, sign: fc.constantFrom(1, -1), size: logDurationUs(500) }).map(({ sign, size, ...f }) => ({ type, ...f, offset: sign * size }));
    case 'clock-drift': return fc.record({ at, for: dur, node, rate: fc.constantFrom(1.1, 0.9, 2, 0.5) }).map((f) => ({ type, ...f }));
    case 'clock-stop': return fc.record({ at, for: short, node }).map((f) => ({ type, ...f }));
    case 'disk-full': return fc.record({ at, for: dur, node }).map((f) => ({ type, ...f }));
    case 'disk-slow': return fc.record({ at, for: dur, node, latency: fc.constantFrom(5_000, 50_000) }).map((f) => ({ type, ...f }));
    case 'disk-corrupt': return fc.record({ at, node }).map((f) => ({ type, ...f }));
    case 'restart': return fc.record({ at, node }).map((f) => ({ type, ...f }));
  }
}

function byzantine(at: fc.Arbitrary<number>, dur: fc.Arbitrary<number>, node: fc.Arbitrary<number>): fc.Arbitrary<Fault> {
  const behaviour = fc.constantFrom('duplicate', 'delay', 'silent', 'wrong');
  const fields = { at, for: dur, node, behaviour, probability: fc.constantFrom(0.1, 0.5, 1), delay: fc.constantFrom(10_000, 100_000, 500_000) };
  return fc.record(fields).map(({ delay, ...f }) => ({ type: 'byzantine' as const, ...f, ...(f.behaviour === 'delay' ? { delay } : {}) }));
}

function withFor<T extends { for: number | undefined }>(f: T): T {
  if (f.for !== undefined) return f;
  const { for: _for, ...rest } = f;
  return rest as T;
}

/** Bit i - 1 of `sides` puts node i on the second side; both sides are non-empty. */
export function groupsOf(sides: number, nodes: number): [number[], number[]] {
  const a: number[] = [];
  const b: number[] = [];
  for (let id = 1; id <= nodes; id++) ((sides >> (id - 1)) & 1 ? b : a).push(id);
  if (a.length === 0) a.push(b.pop() as number);
  if (b.length === 0) b.push(a.pop() as number);
  return [a.sort((x, y) => x - y), b.sort((x, y) => x - y)];
}

/**
 * The fault on a cluster of `nodes` nodes: node ids wrap around, groups lose missing nodes (never a
 * side). Names ("noted", "others") stay: they stand for whoever fills the role in any cluster.
 */
export function projectFault(fault: PlanFault, nodes: number): PlanFault {
  const wrap = (id: number): number => ((id - 1) % nodes) + 1;
  if (isSymbolic(fault)) {
    if (fault.type !== 'partition') return fault;
    const seen = new Set<Member>();
    const groups = fault.groups.map((g) => g.map((m) => (typeof m === 'number' ? wrap(m) : m)).filter((m) => !seen.has(m) && seen.add(m)));
    return { ...fault, groups: groups.filter((g) => g.length > 0) };
  }
  switch (fault.type) {
    case 'partition': return { ...fault, groups: reside(fault.groups[0] as number[], fault.groups[1] as number[], nodes) };
    case 'partition-one-way': { const [from, to] = reside(fault.from, fault.to, nodes); return { ...fault, from, to }; }
    case 'clog': {
      const from = wrap(fault.from);
      const to = wrap(fault.to) === from ? (from % nodes) + 1 : wrap(fault.to);
      return { ...fault, from, to };
    }
    default: return 'node' in fault && typeof fault.node === 'number' ? { ...fault, node: wrap(fault.node) } : fault;
  }
}

function reside(a: readonly number[], b: readonly number[], nodes: number): [number[], number[]] {
  let mask = 0;
  for (const id of b) if (id <= nodes) mask |= 1 << (id - 1);
  return groupsOf(mask, nodes);
}
