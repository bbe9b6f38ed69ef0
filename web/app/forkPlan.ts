// The fault plans behind "inject a fault at the cursor": each action takes the run's plan and
// returns a new plan (written form) plus a label. Crash, restart, pause, partition and clock skew
// add a fault at the cursor's time; heal cuts short every partition active then; dropping one
// message adds a one-way partition of its link for the single microsecond it arrives (faults run
// before deliveries scheduled at the same time, so exactly that arrival, and anything else on that
// link in that microsecond, is dropped with reason "partition").
// Leaves out: faults outside the fault phase (the plan parser refuses them, with a clear message)
// and healing event-triggered cuts ("after" / "until": the plan alone does not say when they are active).
import { formatFaultPlan, parseFaultPlan, triggersOf, type Fault, type PlanFault } from '../../sim/faultPlan.ts';
import type { TraceHeader } from '../../sim/tracer.ts';
import { timeText } from '../util/format.ts';

export type ForkAction =
  | { kind: 'crash'; node: number; forUs?: number }
  | { kind: 'restart'; node: number }
  | { kind: 'pause'; node: number; forUs: number }
  | { kind: 'partition'; side: number[]; forUs?: number }
  | { kind: 'heal' }
  | { kind: 'skew'; node: number; offsetUs: number }
  | { kind: 'drop'; from: number; to: number; arriveUs: number; type: string };

export interface ForkPlan {
  plan: { faults: Record<string, unknown>[] };
  label: string;
}

/** Throws an InputError-style Error naming what is wrong (outside the fault phase, nothing to heal, ...). */
export function forkPlan(header: TraceHeader, atUs: number, action: ForkAction): ForkPlan {
  const { nodes, faultPhaseUs } = header.options;
  const base = parseFaultPlan(header.faultPlan, nodes, faultPhaseUs, 'the run\'s fault plan').faults;
  const at = action.kind === 'drop' ? action.arriveUs : atUs;
  if (at >= faultPhaseUs) throw new Error(`faults can only be injected in the fault phase (0 to ${timeText(faultPhaseUs)}); the ${action.kind === 'drop' ? 'message arrives' : 'cursor is'} at ${timeText(at)}. Move the cursor earlier.`);
  const faults = action.kind === 'heal' ? heal(base, at) : [...base, added(action, at, nodes)];
  const plan = formatFaultPlan({ faults });
  parseFaultPlan(plan, nodes, faultPhaseUs, 'the new fault plan');
  return { plan, label: `${labelOf(action)} at ${timeText(at)}` };
}

function added(action: Exclude<ForkAction, { kind: 'heal' }>, at: number, nodes: number): Fault {
  switch (action.kind) {
    case 'crash': return { type: 'crash', at, node: action.node, ...(action.forUs ? { for: action.forUs } : {}) };
    case 'restart': return { type: 'restart', at, node: action.node };
    case 'pause': return { type: 'pause', at, node: action.node, for: action.forUs };
    case 'skew': return { type: 'clock-skew', at, node: action.node, offset: action.offsetUs };
    case 'drop': return { type: 'partition-one-way', at, for: 1, from: [action.from], to: [action.to] };
    case 'partition': {
      const side = [...new Set(action.side)].sort((a, b) => a - b);
      const rest = Array.from({ length: nodes }, (_, i) => i + 1).filter((n) => !side.includes(n));
      if (side.length === 0 || rest.length === 0) throw new Error('a partition needs at least one node on each side: tick the nodes of one side');
      return { type: 'partition', at, groups: [side, rest], ...(action.forUs ? { for: action.forUs } : {}) };
    }
  }
}

/** Every network cut active at `at` now ends there (event-triggered ones, whose times the plan does not fix, are left as they are). */
function heal(faults: PlanFault[], at: number): PlanFault[] {
  let healed = 0;
  const out = faults.map((f) => {
    if ((f.type !== 'partition' && f.type !== 'partition-one-way' && f.type !== 'clog') || f.at > at || triggersOf(f).after !== undefined || triggersOf(f).until !== undefined) return f;
    if (f.for !== undefined && f.at + f.for <= at) return f;
    healed++;
    return { ...f, for: Math.max(1, at - f.at) };
  });
  if (healed === 0) throw new Error(`nothing to heal: no partition is active at ${timeText(at)}`);
  return out;
}

function labelOf(action: ForkAction): string {
  switch (action.kind) {
    case 'crash': return `crash n${action.node}${action.forUs ? ` for ${timeText(action.forUs)}` : ''}`;
    case 'restart': return `restart n${action.node}`;
    case 'pause': return `pause n${action.node} for ${timeText(action.forUs)}`;
    case 'partition': return `partition {${action.side.map((n) => `n${n}`).join(',')}}`;
    case 'heal': return 'heal the partition';
    case 'skew': return `skew n${action.node} by ${action.offsetUs >= 0 ? '+' : ''}${timeText(action.offsetUs)}`;
    case 'drop': return `drop ${action.type} n${action.from}->n${action.to}`;
  }
}
