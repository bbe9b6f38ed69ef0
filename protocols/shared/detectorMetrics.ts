// Figures for failure detectors (heartbeat, SWIM), from their `status` notes alone: for each crash,
// how long until some live node first suspects it, first declares it failed (detection), and until
// every live node has declared it failed (full dissemination); how often a node that is up is
// suspected or declared failed (false positives, counted as episodes: from suspected by no live
// node to suspected by some, so SWIM's gossip of one suspicion to every member counts once, as
// heartbeat's one-observer suspicion does; the per-observer marks are counted too); and messages
// per member per protocol period.
// A detector's notes carry { peer, to } where `to` is one of its status names; `classify` maps
// them to ok / suspect / down. Leaves out: crashes cut short by a restart are counted but their
// later detection is not (the episode ends when the node boots again).
import type { CheckerView } from '../../sim/checker.ts';
import type { MetricsSummary } from '../../sim/metrics.ts';
import type { MetricsObserver, ProtocolMetricValues } from '../../sim/protocolMetrics.ts';
import type { ObservedEvent } from '../../sim/traceEvents.ts';
import type { NodeId } from '../../sim/types.ts';

export type DetectorView = 'ok' | 'suspect' | 'down';

interface CrashEpisode {
  node: NodeId;
  atUs: number;
  suspectedUs?: number;
  detectedUs?: number;
  disseminatedUs?: number;
}

export function detectorMetrics(periodUs: number, classify: (status: unknown) => DetectorView): MetricsObserver {
  const views = new Map<NodeId, Map<NodeId, DetectorView>>();
  const up = new Set<NodeId>();
  const open = new Map<NodeId, CrashEpisode>();
  const episodes: CrashEpisode[] = [];
  /** For each member, how many live observers hold it suspect-or-down, and down. */
  const suspectedBy = new Map<NodeId, number>();
  const downBy = new Map<NodeId, number>();
  const counts = { falseSuspicions: 0, falseDown: 0, falseSuspicionMarks: 0, falseDownMarks: 0 };

  function checkDissemination(view: CheckerView): void {
    for (const ep of open.values()) {
      if (ep.disseminatedUs !== undefined || ep.detectedUs === undefined) continue;
      const live = [...up].filter((o) => o !== ep.node);
      if (live.every((o) => views.get(o)?.get(ep.node) === 'down')) ep.disseminatedUs = view.nowUs - ep.atUs;
    }
  }

  /** Moves one observer's view of a peer, keeping the per-peer tallies; returns the tallies before. */
  function move(peer: NodeId, before: DetectorView, after: DetectorView): [number, number] {
    const was = [suspectedBy.get(peer) ?? 0, downBy.get(peer) ?? 0] as [number, number];
    suspectedBy.set(peer, was[0] + (after !== 'ok' ? 1 : 0) - (before !== 'ok' ? 1 : 0));
    downBy.set(peer, was[1] + (after === 'down' ? 1 : 0) - (before === 'down' ? 1 : 0));
    return was;
  }

  function onStatus(observer: NodeId, peer: NodeId, to: DetectorView, view: CheckerView): void {
    const mine = views.get(observer);
    if (!mine) return;
    const before = mine.get(peer) ?? 'ok';
    mine.set(peer, to);
    const [suspecters, downers] = move(peer, before, to);
    const ep = open.get(peer);
    if (ep && to !== 'ok') {
      ep.suspectedUs ??= view.nowUs - ep.atUs;
      if (to === 'down') ep.detectedUs ??= view.nowUs - ep.atUs;
    }
    if (up.has(peer) && to !== before) {
      if (to === 'suspect') counts.falseSuspicionMarks++;
      if (to === 'down') counts.falseDownMarks++;
      if (to !== 'ok' && suspecters === 0) counts.falseSuspicions++;
      if (to === 'down' && downers === 0) counts.falseDown++;
    }
    checkDissemination(view);
  }

  /** A node that crashes or boots holds no views any more (a boot starts from an empty one). */
  function forget(observer: NodeId): void {
    for (const [peer, v] of views.get(observer) ?? []) move(peer, v, 'ok');
    views.delete(observer);
  }

  return {
    observe(event: ObservedEvent, view: CheckerView) {
      if (event.kind === 'boot') {
        forget(event.node);
        views.set(event.node, new Map());
        up.add(event.node);
        open.delete(event.node);
      } else if (event.kind === 'fault' && event.phase === 'start' && event.fault.type === 'crash' && up.has(event.fault.node)) {
        up.delete(event.fault.node);
        forget(event.fault.node);
        const ep: CrashEpisode = { node: event.fault.node, atUs: view.nowUs };
        episodes.push(ep);
        open.set(ep.node, ep);
        checkDissemination(view);
      } else if (event.kind === 'note' && event.name === 'status') {
        const note = event.data as { peer: NodeId; to: unknown };
        onStatus(event.node, note.peer, classify(note.to), view);
      }
    },
    summary(run: MetricsSummary, view: CheckerView): ProtocolMetricValues {
      const periods = run.virtualUs / periodUs;
      return {
        crashes: episodes.length,
        firstSuspicionUs: episodes.flatMap((e) => (e.suspectedUs === undefined ? [] : [e.suspectedUs])),
        detectionUs: episodes.flatMap((e) => (e.detectedUs === undefined ? [] : [e.detectedUs])),
        disseminationUs: episodes.flatMap((e) => (e.disseminatedUs === undefined ? [] : [e.disseminatedUs])),
        undetected: episodes.filter((e) => e.detectedUs === undefined).length,
        ...counts,
        periodUs,
        messagesPerMemberPerPeriod: periods > 0 ? run.messages.sent / view.nodes.length / periods : null,
      };
    },
  };
}
