// The engine side of simulated clients: starts each client's first operation, sends requests to
// nodes (after a client-link latency), arms the timeouts, and records every invoke and
// completion for the trace, the metrics and the checkers. ClientDriver (clients.ts) keeps the
// history; this file moves operations through virtual time. With a ClientStrategy, each attempt
// has its own timeout and the strategy picks the next node and backoff; the operation's own
// timeout (clients.timeoutUs) still ends it as info. A redirect that arrives from a node other
// than the current attempt's is stale and ignored; a final reply from any attempt ends it.
// With a budget (clients.ops), a client that has invoked that many operations starts no other:
// its last completion schedules nothing, while the run goes on to its end.
import type { Attempt, AttemptDecision, ClientDriver, HistoryEntry } from './clients.ts';
import { K, type Simulation } from './engine.ts';
import type { QueueItem } from './nodeRuntime.ts';

export class ClientEvents {
  /** Operations each client has invoked, by client number. */
  private readonly invoked: number[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly driver: ClientDriver,
  ) {}

  /** Each client starts at a seeded moment within its first think time. */
  scheduleStarts(): void {
    const { count, thinkUs } = this.sim.options.clients;
    const rng = this.sim.rng.fork('clients:start');
    for (let c = 1; c <= count; c++) this.sim.schedule(Math.floor(rng.next() * (thinkUs + 1)), K.CLIENT_NEXT, 0, 0, 0, c, undefined);
  }

  next(client: number): boolean {
    const sim = this.sim;
    const entry = this.driver.begin(client, sim.now);
    this.invoked[client] = (this.invoked[client] ?? 0) + 1;
    sim.metrics.clients.invoked++;
    sim.record({ t: sim.now, kind: 'invoke', client, req: entry.req, node: entry.node, op: entry.op });
    sim.schedule(sim.now + sim.options.clients.timeoutUs, K.CLIENT_TIMEOUT, 0, client, entry.req, 0, undefined);
    this.send(entry, { number: 1, node: entry.node, nodes: sim.options.nodes, backoffUs: 0 }, 0);
    return true;
  }

  /** Sends one attempt after `afterUs`, and arms its timeout when there is a strategy. */
  private send(entry: HistoryEntry, attempt: Attempt, afterUs: number): void {
    const sim = this.sim;
    const at = sim.now + afterUs;
    sim.schedule(at + sim.network.clientLatency(), K.REQUEST, attempt.node, entry.client, entry.req, 0, entry.op);
    const strategy = this.strategy;
    if (!strategy) return;
    this.driver.attempts.set(entry.req, attempt);
    sim.schedule(at + strategy.attemptTimeoutUs, K.CLIENT_ATTEMPT, 0, entry.client, entry.req, attempt.number, undefined);
  }

  private get strategy() {
    return this.driver.workload.strategy;
  }

  /** A reply arrived; false when its operation had already timed out or completed. */
  reply(item: QueueItem): boolean {
    const attempt = this.driver.attempts.get(item.id);
    const strategy = this.strategy;
    if (strategy && attempt) {
      const decision = strategy.onReply(item.data, attempt, this.driver.rng);
      if ('retry' in decision) return item.from === attempt.node && this.retry(item.id, attempt, decision);
    }
    return this.finish(this.driver.reply(item.id, this.sim.now, item.data));
  }

  /** The current attempt of an operation timed out (older attempts' timers are stale). */
  attemptTimeout(item: QueueItem): boolean {
    const attempt = this.driver.attempts.get(item.id);
    const strategy = this.strategy;
    if (!strategy || !attempt || attempt.number !== item.token) return false;
    const decision = strategy.onTimeout(attempt, this.driver.rng);
    if ('retry' in decision) return this.retry(item.id, attempt, decision);
    return this.finish(this.driver.timeout(item.id, this.sim.now));
  }

  private retry(req: number, attempt: Attempt, decision: Extract<AttemptDecision, { retry: unknown }>): boolean {
    const entry = this.driver.history[req - 1] as HistoryEntry;
    const { node, afterUs } = decision.retry;
    const target = Number.isInteger(node) && node >= 1 && node <= this.sim.options.nodes ? node : attempt.node;
    this.send(entry, { number: attempt.number + 1, node: target, nodes: attempt.nodes, backoffUs: afterUs }, Math.max(0, Math.floor(afterUs)));
    return true;
  }

  timeout(item: QueueItem): boolean {
    return this.finish(this.driver.timeout(item.id, this.sim.now));
  }

  private finish(entry: HistoryEntry | undefined): boolean {
    if (!entry) return false;
    const sim = this.sim;
    const outcome = entry.outcome as 'ok' | 'fail' | 'info';
    sim.metrics.clients[outcome]++;
    sim.record({ t: sim.now, kind: 'complete', client: entry.client, req: entry.req, outcome, ...(outcome === 'info' ? {} : { result: entry.result }) });
    if (this.hasBudget(entry.client)) sim.schedule(sim.now + sim.options.clients.thinkUs, K.CLIENT_NEXT, 0, 0, 0, entry.client, undefined);
    return true;
  }

  /** Whether the client may invoke another operation (clients.ops, when given, caps each client). */
  private hasBudget(client: number): boolean {
    const { ops } = this.sim.options.clients;
    return ops === undefined || (this.invoked[client] ?? 0) < ops;
  }
}
