// Symbolic fault targets: a fault plan may name nodes by their role in the run instead of by id.
//  - "leader": whoever leads when the fault starts (leaderTracker.ts, from the run's notes);
//  - "noted": the node that made the note that triggered the fault (a fault with "after");
//  - "others" (partition groups only, alone in its group): every node no other group holds.
// Any fault's `node` may be "leader" or "noted"; a partition's groups may hold them too. The plan
// keeps the names (repro files, trace headers), so a replay resolves them the same way; the fault
// is resolved when it starts, and the trace's fault events carry the concrete nodes, plus
// `leader` / `noted` saying which node the name stood for. A fault naming "leader" while no node
// leads does nothing: its start and end are recorded at once, with `skipped: "no leader"`.
// Leaves out: names in one-way partitions and clogs (their from/to stay concrete).
import { z } from 'zod';
import type { Fault, PlanFault } from './faultPlan.ts';
import { nodeRef } from './schemaHelpers.ts';
import type { NodeId } from './types.ts';

export const LEADER = 'leader';
export const NOTED = 'noted';
export const OTHERS = 'others';
export type Target = NodeId | typeof LEADER | typeof NOTED;
export type Member = Target | typeof OTHERS;

const symbolic = <S extends string>(names: readonly S[], expected: string) =>
  z.union([z.string(), z.number()]).transform((v, ctx): NodeId | S => {
    if ((names as readonly unknown[]).includes(v)) return v as S;
    const r = nodeRef.safeParse(v);
    if (r.success) return r.data;
    ctx.addIssue({ code: 'custom', message: `expected ${expected}; got ${JSON.stringify(v)}` });
    return z.NEVER;
  });

/** A fault's `node` as written: "n3", 3, "leader" or "noted". */
export const targetRef = symbolic([LEADER, NOTED], 'a node name like "n3", "leader" or "noted"');
/** A partition group member as written: a target, or "others". */
export const memberRef = symbolic([LEADER, NOTED, OTHERS], 'a node name like "n3", "leader", "noted" or "others"');

/** The names a fault uses ("leader", "noted", "others"), in the order they appear. */
export function namesIn(fault: PlanFault): string[] {
  const out: string[] = [];
  if ('node' in fault && typeof fault.node === 'string') out.push(fault.node);
  if (fault.type === 'partition') for (const g of fault.groups) for (const m of g) if (typeof m === 'string') out.push(m);
  return out;
}

/** True when the fault names a node by role (resolved only when it starts). */
export function isSymbolic(fault: PlanFault): boolean {
  return namesIn(fault).length > 0;
}

/** A fault as its trace events record it: concrete nodes, and what the names stood for. */
export type RecordedFault = Fault & { leader?: NodeId; noted?: NodeId; skipped?: string };

/** Who the names stand for when a fault starts. */
export interface Resolution {
  leader: NodeId | undefined;
  noted: NodeId | undefined;
}

/**
 * The plan's fault with its names replaced by nodes, in a cluster of `nodes`. A named node goes
 * where its name is written, even if another group names it too; "others" is every node no other
 * group holds; empty groups go. A fault that names "leader" while nobody leads comes back with
 * `skipped` and no nodes.
 */
export function resolveFault(fault: PlanFault, who: Resolution, nodes: number): RecordedFault {
  const names = namesIn(fault);
  const facts = { ...(names.includes(LEADER) ? { leader: who.leader } : {}), ...(who.noted !== undefined ? { noted: who.noted } : {}) };
  if (names.length === 0) return (who.noted !== undefined ? { ...fault, noted: who.noted } : fault) as RecordedFault;
  if (names.includes(LEADER) && who.leader === undefined) {
    const { node: _node, groups: _groups, ...rest } = fault as PlanFault & { node?: unknown; groups?: unknown };
    return { ...rest, ...(who.noted !== undefined ? { noted: who.noted } : {}), skipped: 'no leader' } as unknown as RecordedFault;
  }
  const concrete = (m: Member): NodeId | undefined => (m === LEADER ? who.leader : m === NOTED ? who.noted : m === OTHERS ? undefined : m);
  if (fault.type !== 'partition') return { ...fault, node: concrete((fault as { node: Target }).node), ...facts } as RecordedFault;
  const named = new Set<NodeId>();
  for (const g of fault.groups) for (const m of g) if (typeof m === 'string' && m !== OTHERS) named.add(concrete(m) as NodeId);
  const placed = new Set<NodeId>();
  const groups = fault.groups.map((g) => {
    if (g.includes(OTHERS)) return g;
    const ids = g.flatMap((m) => {
      const id = concrete(m);
      return id === undefined || (typeof m === 'number' && named.has(m)) || placed.has(id) ? [] : [id];
    });
    ids.forEach((id) => placed.add(id));
    return ids.sort((a, b) => a - b);
  });
  const rest = Array.from({ length: nodes }, (_, i) => i + 1).filter((id) => !placed.has(id));
  const out = groups.map((g) => (g.includes(OTHERS as never) ? rest : (g as NodeId[]))).filter((g) => g.length > 0);
  return { ...fault, groups: out, ...facts } as RecordedFault;
}
