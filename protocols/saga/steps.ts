// The order saga's four steps and where they run. Each step has a forward action and a
// compensation, and is owned by one service on one node:
//   step        forward            compensation       orchestration  choreography
//   0 order     create the order   cancel the order   n2             n1
//   1 payment   charge the card    refund             n3             n2
//   2 inventory reserve stock      release stock      n4             n3
//   3 shipping  schedule shipment  cancel shipment    n5             n4
// Orchestration runs the saga from n1; choreography has no coordinator, and the order service
// (n1) takes client orders. Also here: the choreography event names, and the compensation chain
// (reverse order, or forward order under the forward-order-compensation bug).
// Leaves out: configurable step lists (the saga is fixed; its refusal rates are settings).
import type { SagaBug, SagaEventType, StepIndex, Variant } from './types.ts';

export const STEPS = ['order', 'payment', 'inventory', 'shipping'] as const;
export type StepName = (typeof STEPS)[number];
export const LAST_STEP: StepIndex = STEPS.length - 1;

export const COMPENSATIONS: readonly string[] = ['cancel order', 'refund', 'release stock', 'cancel shipment'];

export const stepName = (step: StepIndex): StepName => STEPS[step] ?? ('order' as StepName);

/** The node a client sends orders to: the orchestrator, or the order service. */
export const FRONT_NODE = 1;

export const ORCHESTRATOR_NODE = 1;

/** Nodes the variant needs: n1..n5 for orchestration, n1..n4 for choreography. */
export const nodesNeeded = (variant: Variant): number => (variant === 'orchestration' ? STEPS.length + 1 : STEPS.length);

export function serviceNode(variant: Variant, step: StepIndex): number {
  return variant === 'orchestration' ? step + 2 : step + 1;
}

/** The step a node's service runs, or undefined for the orchestrator and spare nodes. */
export function stepOfNode(variant: Variant, node: number): StepIndex | undefined {
  const step = variant === 'orchestration' ? node - 2 : node - 1;
  return step >= 0 && step <= LAST_STEP ? step : undefined;
}

/** Choreography: the event a service emits when its step is applied (shipping's tells the order service). */
export const DONE_EVENT: readonly SagaEventType[] = ['OrderCreated', 'PaymentCharged', 'InventoryReserved', 'ShipmentScheduled'];
/** ... when its step is refused (the order step is never refused). */
export const FAILED_EVENT: readonly (SagaEventType | null)[] = [null, 'PaymentDeclined', 'OutOfStock', 'ShipmentRefused'];
/** ... when its step is compensated. */
export const COMPENSATED_EVENT: readonly SagaEventType[] = ['OrderCancelled', 'PaymentRefunded', 'InventoryReleased', 'ShipmentCancelled'];

export type EventKind = 'done' | 'failed' | 'compensated';

/** Which step sent an event, and what it says. */
export function eventInfo(type: string): { kind: EventKind; step: StepIndex } | undefined {
  for (let step = 0; step <= LAST_STEP; step++) {
    if (DONE_EVENT[step] === type) return { kind: 'done', step };
    if (FAILED_EVENT[step] === type) return { kind: 'failed', step };
    if (COMPENSATED_EVENT[step] === type) return { kind: 'compensated', step };
  }
  return undefined;
}

/**
 * The steps to compensate, first to last, given the steps that may have taken effect (ascending):
 * the reverse of the order they ran in, or (bug) the same order.
 */
export function compensationOrder(steps: readonly StepIndex[], bug: SagaBug): StepIndex[] {
  const ascending = [...steps].sort((a, b) => a - b);
  return bug === 'forward-order-compensation' ? ascending : ascending.reverse();
}

/** Field checks for incoming messages (a byzantine sender may change any number). */
export const validSaga = (saga: unknown): saga is number => Number.isSafeInteger(saga) && (saga as number) >= 1;
export const validStep = (step: unknown): step is StepIndex => Number.isSafeInteger(step) && (step as number) >= 0 && (step as number) <= LAST_STEP;

/** The steps 0..n-1. */
export const stepsBefore = (n: StepIndex): StepIndex[] => Array.from({ length: Math.max(0, n) }, (_, i) => i);
