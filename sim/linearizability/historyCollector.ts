// Rebuilds a client history (HistoryEntry[], as sim/clients.ts keeps it) from invoke and complete
// events, the way a checker or a trace reader sees them. An operation still open at the end is
// pending (unknown outcome). Leaves out: every other event kind (ignored).
import type { HistoryEntry } from '../clients.ts';
import type { TraceEvent } from '../traceEvents.ts';

export class HistoryCollector {
  readonly entries: HistoryEntry[] = [];
  private readonly open = new Map<number, HistoryEntry>();
  private readonly seen = new Set<number>();

  /** Records the event if it is an invoke or a complete; returns a problem with it, if any. */
  observe(event: TraceEvent): string | undefined {
    if (event.kind === 'invoke') {
      if (this.seen.has(event.req)) return `request ${event.req} is invoked a second time`;
      const entry: HistoryEntry = { client: event.client, req: event.req, node: event.node, op: event.op, invokeUs: event.t, completeUs: null, outcome: 'pending' };
      this.seen.add(event.req);
      this.open.set(event.req, entry);
      this.entries.push(entry);
    } else if (event.kind === 'complete') {
      const entry = this.open.get(event.req);
      if (!entry) return `request ${event.req} completes but ${this.seen.has(event.req) ? 'has already completed' : 'was never invoked'}`;
      if (entry.client !== event.client) return `request ${event.req} was invoked by client ${entry.client} but completes for client ${event.client}`;
      this.open.delete(event.req);
      entry.completeUs = event.t;
      entry.outcome = event.outcome;
      if (event.result !== undefined) entry.result = event.result;
    }
    return undefined;
  }
}
