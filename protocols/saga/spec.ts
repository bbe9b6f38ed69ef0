// Registry entry for sagas: config, bugs, checkers, heal-phase length, metrics and the client
// workload. Orchestration needs n1 (orchestrator) and n2..n5 (services); choreography n1..n4.
import type { ProtocolSpec } from '../../sim/protocolSpec.ts';
import { sagaCheckers } from './checkers.ts';
import { sagaConfigSchema, type SagaConfig } from './config.ts';
import { livenessBoundUs } from './liveness.ts';
import { sagaMetrics } from './metrics.ts';
import { createSaga } from './saga.ts';
import { nodesNeeded } from './steps.ts';
import type { SagaBug } from './types.ts';
import { sagaWorkload } from './workload.ts';

export const sagaSpec: ProtocolSpec<SagaConfig> = {
  name: 'saga',
  summary: 'an order saga (order, payment, inventory, shipping) with compensations, orchestrated from n1 or choreographed by events',
  configSchema: sagaConfigSchema,
  settings: {
    variant: { unit: 'number', doc: 'orchestration (n1 runs the saga, services on n2..n5) or choreography (services on n1..n4 react to events)' },
    paymentDecline: { unit: 'number', doc: 'probability a payment is declined (the saga compensates)' },
    outOfStock: { unit: 'number', doc: 'probability inventory is out of stock' },
    undeliverable: { unit: 'number', doc: 'probability shipping refuses the address' },
    attemptTimeout: { unit: 'duration', doc: 'per-attempt timeout of a call (orchestration) or wait for an event\'s ack (choreography)' },
    stepAttempts: { unit: 'number', doc: 'attempts of a forward step before the saga compensates (compensations retry forever)' },
    retryBase: { unit: 'duration', doc: 'backoff before the first retry (doubling, full jitter)' },
    retryMax: { unit: 'duration', doc: 'longest backoff between attempts' },
    breakerFailures: { unit: 'number', doc: 'consecutive failures that open a service\'s breaker (0: rule off)' },
    breakerRate: { unit: 'number', doc: 'failure rate over the window that opens it (0: rule off)' },
    breakerWindow: { unit: 'number', doc: 'calls the failure rate looks at' },
    breakerMinimum: { unit: 'number', doc: 'calls the window needs before the rate rule applies' },
    breakerOpenFor: { unit: 'duration', doc: 'how long an open breaker rejects calls before a half-open trial' },
    breakerTrials: { unit: 'number', doc: 'half-open trial calls; all must succeed to close (any failure reopens)' },
    bulkhead: { unit: 'number', doc: 'concurrent calls per service' },
    bulkheadQueue: { unit: 'number', doc: 'calls that may wait for a bulkhead slot (0: over the limit is rejected at once)' },
  },
  bugs: {
    'non-idempotent-compensation': 'a service compensates again when a compensation is retried or duplicated',
    'non-idempotent-step': 'a service applies its step again when a step request is retried or duplicated',
    'forward-order-compensation': 'a failed saga compensates its steps in the order they ran, not in reverse',
    'volatile-saga-log': 'the orchestrator never reads its log back, so a restart forgets the sagas it was running',
  },
  create: (config, bug) => createSaga(config, bug as SagaBug),
  checkers: (config, options, plan) => sagaCheckers(config, options, plan),
  healUs: (config, options, plan) => livenessBoundUs(config, options, plan),
  metrics: (config) => sagaMetrics(config),
  workload: sagaWorkload,
  // Four clients keep a few sagas running at once (one more than a bulkhead admits); an order gets 10 s (a saga can retry a down service for seconds).
  clientDefaults: { count: 4, timeoutUs: 10_000_000 },
  validate(config, nodes) {
    const needed = nodesNeeded(config.variant);
    if (nodes >= needed) return undefined;
    return `variant: ${config.variant} needs at least ${needed} nodes (${config.variant === 'orchestration' ? 'n1 orchestrator, n2 order, n3 payment, n4 inventory, n5 shipping' : 'n1 order, n2 payment, n3 inventory, n4 shipping'}); the cluster has ${nodes}; use --nodes ${needed}`;
  },
};
