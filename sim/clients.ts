// Simulated clients. Each client issues one operation at a time to a node it picks at random,
// waits up to a timeout, records the outcome in a history (invoke / ok / fail / info, with times),
// thinks, and issues the next (until its budget, clients.ops, if any, is spent). A timeout is
// `info`: the operation may or may not have taken effect. Clients reach nodes over a reliable
// connection with the cluster's default latency; a crashed or paused node simply does not answer.
// A workload may bring a ClientStrategy: then one operation is a series of attempts (to the node
// a redirect names, or another one, after a backoff), each with its own timeout, until a final
// reply or the operation's timeout. The strategy decides; protocols build it from
// protocols/patterns/ (the engine knows no policy).
import { randInt, type Rng } from './rng.ts';
import type { Outcome } from './traceEvents.ts';
import type { NodeId } from './types.ts';

export interface Workload {
  /** The next operation the given client issues (JSON data). */
  nextOp(rng: Rng, client: number): unknown;
  /** Whether a reply's result means the operation succeeded or definitely failed. */
  outcome(result: unknown): Exclude<Outcome, 'info'>;
  /** Retries and redirects; without one, an operation is a single attempt. */
  readonly strategy?: ClientStrategy;
}

/** One attempt of an operation: which try it is and where it went. */
export interface Attempt {
  readonly number: number;
  readonly node: NodeId;
  readonly nodes: number;
  /** The backoff before this attempt (0 for the first). */
  readonly backoffUs: number;
}

export type AttemptDecision = { readonly done: true } | { readonly retry: { readonly node: NodeId; readonly afterUs: number } };

export interface ClientStrategy {
  /** How long one attempt waits for a reply. */
  readonly attemptTimeoutUs: number;
  /** A reply to the current attempt: final, or try again (a redirect, a "not leader"). */
  onReply(result: unknown, attempt: Attempt, rng: Rng): AttemptDecision;
  /** The current attempt got no reply in time. */
  onTimeout(attempt: Attempt, rng: Rng): AttemptDecision;
}

export interface HistoryEntry {
  client: number;
  req: number;
  node: NodeId;
  op: unknown;
  invokeUs: number;
  /** null while pending (an operation still open when the run ends has an unknown outcome). */
  completeUs: number | null;
  outcome: Outcome | 'pending';
  result?: unknown;
}

export class ClientDriver {
  readonly history: HistoryEntry[] = [];
  private readonly open = new Map<number, HistoryEntry>();
  /** The current attempt of each open operation that has a strategy. */
  readonly attempts = new Map<number, Attempt>();
  private nextReq = 1;

  constructor(
    readonly workload: Workload,
    readonly rng: Rng,
    private readonly nodeCount: number,
  ) {}

  /** Starts the client's next operation at `now`. */
  begin(client: number, now: number): HistoryEntry {
    const entry: HistoryEntry = {
      client,
      req: this.nextReq++,
      node: randInt(this.rng, 1, this.nodeCount),
      op: this.workload.nextOp(this.rng, client),
      invokeUs: now,
      completeUs: null,
      outcome: 'pending',
    };
    this.history.push(entry);
    this.open.set(entry.req, entry);
    return entry;
  }

  isOpen(req: number): boolean {
    return this.open.has(req);
  }

  /** A reply arrived; undefined if the operation already timed out or completed. */
  reply(req: number, now: number, result: unknown): HistoryEntry | undefined {
    const entry = this.close(req, now);
    if (!entry) return undefined;
    entry.outcome = this.workload.outcome(result);
    entry.result = result;
    return entry;
  }

  timeout(req: number, now: number): HistoryEntry | undefined {
    const entry = this.close(req, now);
    if (entry) entry.outcome = 'info';
    return entry;
  }

  private close(req: number, now: number): HistoryEntry | undefined {
    const entry = this.open.get(req);
    if (!entry) return undefined;
    this.open.delete(req);
    this.attempts.delete(req);
    entry.completeUs = now;
    return entry;
  }
}
