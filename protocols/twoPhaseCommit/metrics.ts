// 2PC's run figures, from notes alone. The one that shows the protocol's weakness is how long
// participants stay blocked: from a participant's yes vote ('prepared', locks held, outcome
// unknown) to the moment it learns the outcome ('decided'), one duration per transaction and
// participant, crashes included (a crashed participant keeps its locks on disk). Normally that is
// a round trip; with the coordinator down after the votes, it is as long as the coordinator stays
// down (or until a peer that knows answers). Reported as the list (summaries give its count,
// median and maximum), its 95th percentile, and how many were still uncertain when the run ended
// (transactions in flight then, and participants blocked for good); and, as a list of their own,
// the durations longer than askAfter (the participant had to ask: the coordinator was down, cut
// off, or waiting for a missing vote), whose median shows what recovery and termination buy. Also:
// transactions begun, committed and aborted by the coordinator (a reboot's presumed aborts
// included), and outcomes learned from a peer. Leaves out: lock wait time of other transactions.
import type { MetricsSummary } from '../../sim/metrics.ts';
import type { MetricsObserver, ProtocolMetricValues } from '../../sim/protocolMetrics.ts';
import { percentile } from '../../sim/stats.ts';
import type { ObservedEvent } from '../../sim/traceEvents.ts';
import type { NodeId } from '../../sim/types.ts';
import { TxLedger } from './txNotes.ts';

export function blockingMetrics(coordinator: NodeId, askAfterUs: number): MetricsObserver {
  const ledger = new TxLedger(coordinator);
  const open = new Map<string, number>();
  const blocked: number[] = [];
  let fromPeer = 0;
  return {
    observe(e: ObservedEvent) {
      const note = ledger.observe(e).note;
      if (!note) return;
      const key = `${note.node}:${note.tx}`;
      if (note.name === 'prepared' && !open.has(key)) open.set(key, e.t);
      if (note.name !== 'decided') return;
      if (note.via === 'peer') fromPeer++;
      const since = open.get(key);
      if (since === undefined) return;
      open.delete(key);
      blocked.push(e.t - since);
    },
    summary(_run: MetricsSummary): ProtocolMetricValues {
      let committed = 0;
      let aborted = 0;
      for (const outcome of ledger.decided.values()) if (outcome === 'commit') committed++;
      else aborted++;
      return {
        transactions: ledger.begun.size,
        committed,
        aborted,
        blockedUs: blocked,
        blockedP95Us: percentile(blocked, 95),
        blockedLongUs: blocked.filter((us) => us > askAfterUs),
        uncertainAtEnd: open.size,
        learnedFromPeer: fromPeer,
      };
    },
  };
}
