// The saga's fault model: crash-recovery nodes with stable storage, and a network that loses,
// duplicates, delays and reorders messages (and partitions). Outside it: a byzantine sender that
// corrupts message fields (it can name another saga or step), and a node booting from a corrupted
// disk (a service that forgot what it applied would apply it again; an orchestrator that forgot
// its log would abandon its sagas). From such a fault on, the checks stand down and say why.
import type { ObservedEvent } from '../../sim/traceEvents.ts';

/** Why the saga's guarantees are not owed from this event on, if they are not. */
export function outsideFaultModel(e: ObservedEvent): string | undefined {
  if (e.kind === 'fault' && e.phase === 'start' && e.fault.type === 'byzantine' && e.fault.behaviour === 'wrong') {
    return `n${e.fault.node} started sending corrupted messages (byzantine wrong), which sagas do not tolerate`;
  }
  if (e.kind === 'boot' && e.disk === 'corrupt') return `n${e.node} booted from a corrupted disk; sagas assume stable storage`;
  return undefined;
}
