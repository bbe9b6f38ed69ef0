// Figures for failure detectors (heartbeat, SWIM), from their `status` notes alone: for each crash,
// how long until some live node first suspects it, first declares it failed (detection), and until
// every live node has declared it failed (full dissemination); how often a node that is up is
// suspected or declared failed (false positives); and messages per member per protocol period.
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
  let falseSuspicions = 0;
  let falseDown = 0;

  function checkDissemination(view: CheckerView): void {
    for (const ep of open.values()) {
      if (ep.disseminatedUs !== undefined || ep.detectedUs === undefined) continue;
      const live = [...up].filter((o) => o !== ep.node);
      if (live.every((o) => views.get(o)?.get(ep.node) === 'down')) ep.disseminatedUs = view.nowUs - ep.atUs;
    }
  }

  function onStatus(observer: NodeId, peer: NodeId, to: DetectorView, view: CheckerView): void {
    const before = views.get(observer)?.get(peer) ?? 'ok';
    views.get(observer)?.set(peer, to);
    const ep = open.get(peer);
    if (ep && to !== 'ok') {
      ep.suspectedUs ??= view.nowUs - ep.atUs;
      if (to === 'down') ep.detectedUs ??= view.nowUs - ep.atUs;
    }
    if (up.has(peer) && to !== before) {
      if (to === 'suspect') falseSuspicions++;
      if (to === 'down') falseDown++;
    }
    checkDissemination(view);
  }

  return {
    observe(event: ObservedEvent, view: CheckerView) {
      if (event.kind === 'boot') {
        views.set(event.node, new Map());
        up.add(event.node);
        open.delete(event.node);
      } else if (event.kind === 'fault' && event.phase === 'start' && event.fault.type === 'crash' && up.has(event.fault.node)) {
        up.delete(event.fault.node);
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
        falseSuspicions,
        falseDown,
        periodUs,
        messagesPerMemberPerPeriod: periods > 0 ? run.messages.sent / view.nodes.length / periods : null,
      };
    },
  };
}
