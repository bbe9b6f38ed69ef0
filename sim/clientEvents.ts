// The engine side of simulated clients: starts each client's first operation, sends requests to
// nodes (after a client-link latency), arms the timeouts, and records every invoke and
// completion for the trace, the metrics and the checkers. ClientDriver (clients.ts) keeps the
// history; this file moves operations through virtual time.
import type { ClientDriver, HistoryEntry } from './clients.ts';
import { K, type Simulation } from './engine.ts';
import type { QueueItem } from './nodeRuntime.ts';

export class ClientEvents {
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
    sim.metrics.clients.invoked++;
    sim.record({ t: sim.now, kind: 'invoke', client, req: entry.req, node: entry.node, op: entry.op });
    sim.schedule(sim.now + sim.network.clientLatency(), K.REQUEST, entry.node, client, entry.req, 0, entry.op);
    sim.schedule(sim.now + sim.options.clients.timeoutUs, K.CLIENT_TIMEOUT, 0, client, entry.req, 0, undefined);
    return true;
  }

  /** A reply arrived; false when its operation had already timed out or completed. */
  reply(item: QueueItem): boolean {
    return this.finish(this.driver.reply(item.id, this.sim.now, item.data));
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
    sim.schedule(sim.now + sim.options.clients.thinkUs, K.CLIENT_NEXT, 0, 0, 0, entry.client, undefined);
    return true;
  }
}
