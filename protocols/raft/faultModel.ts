// Raft's fault model: crash faults and stable storage. A byzantine sender that corrupts message
// fields, or a corrupted disk (the node comes back with nothing and may vote twice in a term), is
// outside it; from such a fault on, the safety checks stand down and say why.
import type { ObservedEvent } from '../../sim/traceEvents.ts';

/** Why Raft's safety is not owed from this fault on, if it is such a fault. */
export function outsideFaultModel(e: ObservedEvent): string | undefined {
  if (e.kind !== 'fault' || e.phase !== 'start') return undefined;
  if (e.fault.type === 'byzantine' && e.fault.behaviour === 'wrong') return `n${e.fault.node} started sending corrupted messages (byzantine wrong), which Raft does not tolerate`;
  if (e.fault.type === 'disk-corrupt') return `n${e.fault.node}'s disk was corrupted; Raft assumes stable storage`;
  return undefined;
}

