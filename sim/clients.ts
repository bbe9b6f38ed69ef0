// Simulated clients. Each client issues one operation at a time to a node it picks at random,
// waits up to a timeout, records the outcome in a history (invoke / ok / fail / info, with times),
// thinks, and issues the next. A timeout is `info`: the operation may or may not have taken
// effect. Clients reach nodes over a reliable connection with the cluster's default latency; a
// crashed or paused node simply does not answer. Leaves out: retries and leader discovery, which
// are client patterns of the protocols that need them (protocols/patterns/).
import { randInt, type Rng } from './rng.ts';
import type { Outcome } from './traceEvents.ts';
import type { NodeId } from './types.ts';

export interface Workload {
  /** The next operation the given client issues (JSON data). */
  nextOp(rng: Rng, client: number): unknown;
  /** Whether a reply's result means the operation succeeded or definitely failed. */
  outcome(result: unknown): Exclude<Outcome, 'info'>;
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
  private nextReq = 1;

  constructor(
    private readonly workload: Workload,
    private readonly rng: Rng,
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
    entry.completeUs = now;
    return entry;
  }
}
