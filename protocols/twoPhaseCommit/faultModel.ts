// 2PC's fault model: crash faults with stable storage, and an unreliable network (loss,
// duplication, reordering, partitions). A byzantine sender that corrupts message fields, or a
// corrupted disk (the node comes back with an empty log: a participant forgets its yes votes, a
// coordinator its epoch and commit decisions), is outside it; from such a fault on, the safety
// checks stand down and say why, and no progress is owed.
import type { ObservedEvent } from '../../sim/traceEvents.ts';

/** Why 2PC's guarantees are not owed from this fault on, if it is such a fault. */
export function outsideFaultModel(e: ObservedEvent): string | undefined {
  if (e.kind !== 'fault' || e.phase !== 'start') return undefined;
  if (e.fault.type === 'byzantine' && e.fault.behaviour === 'wrong') return `n${e.fault.node} started sending corrupted messages (byzantine wrong), which 2PC does not tolerate`;
  if (e.fault.type === 'disk-corrupt') return `n${e.fault.node}'s disk was corrupted; 2PC assumes a stable log`;
  return undefined;
}
