// Saga clients: each places orders (one saga per order; the client's request id is the saga id)
// and waits for the outcome: completed (ok) or compensated (fail: the order definitely did not
// happen); no answer within the client timeout is info. The retry strategy sends a redirected
// order straight to the node named (n1), and re-sends an unanswered order to n1 after a capped
// exponential backoff with full jitter (protocols/patterns/retry.ts); the front node answers a
// re-sent order idempotently (the saga it started, or its outcome). Leaves out: cancelling an
// order (a client that gives up leaves the saga to finish on its own).
import type { ClientStrategy, Workload } from '../../sim/clients.ts';
import { randInt, type Rng } from '../../sim/rng.ts';
import { backoffUs, parseRetryPolicy } from '../patterns/retry.ts';
import { FRONT_NODE } from './steps.ts';
import type { PlaceOrder, SagaResult } from './types.ts';

export const SAGA_CLIENT_RETRY = parseRetryPolicy({ baseUs: '50ms', maxUs: '1s', jitter: 'full', maxAttempts: 'unlimited', attemptTimeoutUs: '1s' }, 'saga client retry');

const nextOp = (rng: Rng): PlaceOrder => ({ f: 'place-order', amount: randInt(rng, 1, 500) });

export const sagaStrategy: ClientStrategy = {
  attemptTimeoutUs: SAGA_CLIENT_RETRY.attemptTimeoutUs,
  onReply(result) {
    const r = result as SagaResult;
    if (r.ok === false && r.error === 'redirect') return { retry: { node: r.to, afterUs: 0 } };
    return { done: true };
  },
  onTimeout: (attempt, rng) => ({ retry: { node: FRONT_NODE, afterUs: backoffUs(SAGA_CLIENT_RETRY, attempt.number - 1, rng) } }),
};

export const sagaWorkload: Workload = {
  nextOp,
  outcome: (result) => ((result as SagaResult).ok === true && (result as { outcome?: string }).outcome === 'completed' ? 'ok' : 'fail'),
  strategy: sagaStrategy,
};
