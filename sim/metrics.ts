// Run metrics: events and protocol steps, messages sent / delivered / dropped, by reason and by
// message type, client outcomes. Counters only; wall time is added by the caller (sim/ never reads
// a real clock). Leaves out: latency histograms (the trace has every send and delivery time).
export interface TypeCounts {
  sent: number;
  delivered: number;
  dropped: number;
}

export interface MetricsSummary {
  events: number;
  steps: number;
  virtualUs: number;
  messages: { sent: number; delivered: number; dropped: number; duplicated: number };
  dropsByReason: Record<string, number>;
  byType: Record<string, TypeCounts>;
  clients: { invoked: number; ok: number; fail: number; info: number };
  notes: Record<string, number>;
}

export class Metrics {
  events = 0;
  steps = 0;
  sent = 0;
  delivered = 0;
  dropped = 0;
  duplicated = 0;
  readonly clients = { invoked: 0, ok: 0, fail: 0, info: 0 };
  private readonly drops = new Map<string, number>();
  private readonly types = new Map<string, TypeCounts>();
  private readonly notes = new Map<string, { n: number }>();
  private lastNote: string | undefined;
  private lastNoteCount: { n: number } = { n: 0 };
  private lastType: string | undefined;
  private lastCounts: TypeCounts | undefined;

  countSend(type: string): void {
    this.sent++;
    this.typeCounts(type).sent++;
  }

  countDelivery(type: string): void {
    this.delivered++;
    this.typeCounts(type).delivered++;
  }

  countDrop(type: string, reason: string): void {
    this.dropped++;
    this.typeCounts(type).dropped++;
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + 1);
  }

  countNote(name: string): void {
    if (name !== this.lastNote) {
      // Notes come in runs of one name (entry, entry, apply, ...), as message types do.
      let count = this.notes.get(name);
      if (!count) this.notes.set(name, (count = { n: 0 }));
      this.lastNote = name;
      this.lastNoteCount = count;
    }
    this.lastNoteCount.n++;
  }

  summary(virtualUs: number): MetricsSummary {
    return {
      events: this.events,
      steps: this.steps,
      virtualUs,
      messages: { sent: this.sent, delivered: this.delivered, dropped: this.dropped, duplicated: this.duplicated },
      dropsByReason: sortedRecord(this.drops),
      byType: sortedRecord(this.types),
      clients: { ...this.clients },
      notes: sortedRecord(new Map([...this.notes].map(([name, count]) => [name, count.n]))),
    };
  }

  private typeCounts(type: string): TypeCounts {
    if (type === this.lastType) return this.lastCounts as TypeCounts; // runs send few message types: most calls repeat the last one
    let counts = this.types.get(type);
    if (!counts) {
      counts = { sent: 0, delivered: 0, dropped: 0 };
      this.types.set(type, counts);
    }
    this.lastType = type;
    this.lastCounts = counts;
    return counts;
  }
}

function sortedRecord<V>(map: Map<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const key of [...map.keys()].sort()) out[key] = map.get(key) as V;
  return out;
}
