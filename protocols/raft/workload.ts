// Raft's clients: a key-value workload (get 40%, append 30%, put 20%, cas 10% over five keys,
// values unique per operation so histories are easy to check) and the retry strategy: a "not
// leader" reply is retried at once at the leader it names (or a random other node when it names
// none); a timed-out or unavailable attempt is retried at another node after an exponential
// backoff with full jitter (protocols/patterns/retry.ts). The operation's own timeout (the
// engine's client timeout) still ends it as info (unknown outcome).
import type { Attempt, AttemptDecision, ClientStrategy, Workload } from '../../sim/clients.ts';
import { pick, randInt, type Rng } from '../../sim/rng.ts';
import { backoffUs, parseRetryPolicy } from '../patterns/retry.ts';
import type { KvOp } from './types.ts';

const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4'];

export const RAFT_RETRY = parseRetryPolicy({ baseUs: '10ms', maxUs: '200ms', jitter: 'full', maxAttempts: 'unlimited', attemptTimeoutUs: '150ms' }, 'raft client retry');

function nextOp(rng: Rng, client: number): KvOp {
  const key = pick(rng, KEYS);
  const value = `${client}.${randInt(rng, 0, 999_999)}`;
  const roll = rng.next();
  if (roll < 0.4) return { f: 'get', key };
  if (roll < 0.7) return { f: 'append', key, value: ` ${value}` };
  if (roll < 0.9) return { f: 'put', key, value };
  return { f: 'cas', key, from: '', to: value };
}

function otherNode(attempt: Attempt, rng: Rng): number {
  if (attempt.nodes <= 1) return attempt.node;
  const n = randInt(rng, 1, attempt.nodes - 1);
  return n >= attempt.node ? n + 1 : n;
}

const retryElsewhere = (attempt: Attempt, rng: Rng): AttemptDecision => ({
  retry: { node: otherNode(attempt, rng), afterUs: backoffUs(RAFT_RETRY, attempt.number - 1, rng) },
});

export const raftStrategy: ClientStrategy = {
  attemptTimeoutUs: RAFT_RETRY.attemptTimeoutUs,
  onReply(result, attempt, rng) {
    const r = result as { ok?: boolean; error?: string; leader?: number | null };
    if (r.ok === false && r.error === 'not-leader') {
      const hinted = typeof r.leader === 'number' && r.leader !== attempt.node ? r.leader : undefined;
      // Straight to the named leader, but with a backoff after a few hops, so two nodes with stale
      // hints cannot bounce a client between them with no delay.
      if (hinted !== undefined) return { retry: { node: hinted, afterUs: attempt.number > 2 ? backoffUs(RAFT_RETRY, attempt.number - 3, rng) : 0 } };
      return retryElsewhere(attempt, rng);
    }
    if (r.ok === false && r.error === 'unavailable') return retryElsewhere(attempt, rng);
    return { done: true };
  },
  onTimeout: (attempt, rng) => retryElsewhere(attempt, rng),
};

export const raftWorkload: Workload = {
  nextOp,
  outcome: (result) => ((result as { ok?: boolean }).ok === true ? 'ok' : 'fail'),
  strategy: raftStrategy,
};
