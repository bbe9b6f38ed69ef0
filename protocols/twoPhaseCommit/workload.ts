// 2PC's clients: each operation is a transaction writing one to three distinct keys of k0..k7
// (values unique per operation, "c<client>.<n>"), so it touches one to three participants. The
// retry strategy: a "not coordinator" reply is retried at once at the coordinator it names; an
// "unavailable" coordinator (booting, or its disk is full) is retried after an exponential backoff
// with full jitter (protocols/patterns/retry.ts); an attempt with no answer within 250 ms is
// retried after a backoff at another node, picked at random (clients do not know the config; a
// live participant names the coordinator, and a crashed node is not tried twice in a row). A retry carries the same request id, so the coordinator answers
// it from the running transaction or the client's session instead of running it twice. Committed
// is ok, aborted is fail (it took no effect); the operation's own timeout ends it as info.
import type { Attempt, AttemptDecision, ClientStrategy, Workload } from '../../sim/clients.ts';
import { randInt, shuffled, type Rng } from '../../sim/rng.ts';
import { backoffUs, parseRetryPolicy } from '../patterns/retry.ts';
import { KEYS } from './placement.ts';
import type { TxOp } from './types.ts';

export const TPC_RETRY = parseRetryPolicy({ baseUs: '20ms', maxUs: '500ms', jitter: 'full', maxAttempts: 'unlimited', attemptTimeoutUs: '250ms' }, '2pc client retry');

function nextOp(rng: Rng, client: number): TxOp {
  const count = randInt(rng, 1, 3);
  const keys = shuffled(rng, KEYS).slice(0, count).sort();
  return { writes: keys.map((key) => ({ key, value: `c${client}.${randInt(rng, 0, 999_999)}` })) };
}

/** A node other than the one just tried (a silent node may be down). */
function otherNode(attempt: Attempt, rng: Rng): number {
  if (attempt.nodes <= 1) return attempt.node;
  const n = randInt(rng, 1, attempt.nodes - 1);
  return n >= attempt.node ? n + 1 : n;
}

/** After a backoff: the same node (it answered, so it is the coordinator) or, after a silence, another one. */
const retryAt = (node: number | undefined, attempt: Attempt, rng: Rng): AttemptDecision => ({
  retry: { node: node ?? otherNode(attempt, rng), afterUs: backoffUs(TPC_RETRY, attempt.number - 1, rng) },
});

export const tpcStrategy: ClientStrategy = {
  attemptTimeoutUs: TPC_RETRY.attemptTimeoutUs,
  onReply(result, attempt, rng) {
    const r = result as { ok?: boolean; error?: string; coordinator?: number };
    if (r.ok === false && r.error === 'not-coordinator' && typeof r.coordinator === 'number') {
      return { retry: { node: r.coordinator, afterUs: attempt.number > 2 ? backoffUs(TPC_RETRY, attempt.number - 3, rng) : 0 } };
    }
    if (r.ok === false && r.error === 'unavailable') return retryAt(attempt.node, attempt, rng);
    return { done: true };
  },
  onTimeout: (attempt, rng) => retryAt(undefined, attempt, rng),
};

export const tpcWorkload: Workload = {
  nextOp,
  outcome: (result) => ((result as { ok?: boolean }).ok === true ? 'ok' : 'fail'),
  strategy: tpcStrategy,
};
