// Saga run figures, from notes alone: sagas started, completed and compensated, and how long each
// took; compensations that took effect; business refusals; forward steps given up; retries (calls
// re-sent by the orchestrator, events re-sent in choreography); calls rejected by a bulkhead or an
// open breaker; and, per service, each time its breaker opened and for how long it stayed away
// from closed (open plus half-open; cut short by an orchestrator crash, which resets breakers,
// or by the end of the run). Every breaker change is also a `breaker` note in the trace, with its
// time. A note announced again after a boot counts once. Leaves out: throughput (the run summary
// reports client figures).
import type { CheckerView } from '../../sim/checker.ts';
import type { MetricsSummary } from '../../sim/metrics.ts';
import type { MetricsObserver, ProtocolMetricValues } from '../../sim/protocolMetrics.ts';
import type { ObservedEvent } from '../../sim/traceEvents.ts';
import type { SagaConfig } from './config.ts';
import { firstAnnouncement, sagaNote } from './notes.ts';
import { ORCHESTRATOR_NODE, STEPS } from './steps.ts';

export function sagaMetrics(cfg: SagaConfig): MetricsObserver {
  const orchestrated = cfg.variant === 'orchestration';
  const counts = { sagasStarted: 0, sagasCompleted: 0, sagasCompensated: 0, compensations: 0, refusals: 0, stepsGivenUp: 0, retries: 0, rejectedByBulkhead: 0, rejectedByBreaker: 0, breakerTrips: 0 };
  const started = new Map<number, number>();
  const ended = new Set<number>();
  const durations: number[] = [];
  const openSince = new Map<string, number>();
  const openFor = new Map<string, number[]>(STEPS.map((s) => [s, []]));
  const closeEpisode = (service: string, now: number): void => {
    const since = openSince.get(service);
    if (since === undefined) return;
    openFor.get(service)?.push(now - since);
    openSince.delete(service);
  };
  const onNote = (name: string, data: Record<string, unknown>, now: number): void => {
    const saga = data.saga as number;
    if (name === 'saga-start' && !started.has(saga)) (started.set(saga, now), counts.sagasStarted++);
    else if (name === 'saga-end' && !ended.has(saga)) {
      ended.add(saga);
      counts[data.outcome === 'completed' ? 'sagasCompleted' : 'sagasCompensated']++;
      if (started.has(saga)) durations.push(now - (started.get(saga) as number));
    } else if (name === 'compensation-applied') counts.compensations++;
    else if (name === 'step-refused') counts.refusals++;
    else if (name === 'give-up') counts.stepsGivenUp++;
    else if (name === 'retry') counts.retries++;
    else if (name === 'rejected') counts[data.by === 'breaker' ? 'rejectedByBreaker' : 'rejectedByBulkhead']++;
    else if (name === 'breaker') onBreaker(data.service as string, data.from as string, data.to as string, now);
  };
  const onBreaker = (service: string, from: string, to: string, now: number): void => {
    if (from === 'closed' && to === 'open') (counts.breakerTrips++, openSince.set(service, now));
    if (to === 'closed') closeEpisode(service, now);
  };
  const first = firstAnnouncement();
  return {
    observe(e: ObservedEvent, view: CheckerView) {
      const n = sagaNote(e);
      if (n && !first(n)) return;
      if (e.kind === 'note' && typeof e.data === 'object' && e.data !== null) onNote(e.name, e.data as Record<string, unknown>, view.nowUs);
      const orchestratorDown = e.kind === 'fault' && e.phase === 'start' && e.fault.type === 'crash' && e.fault.node === ORCHESTRATOR_NODE;
      if (orchestrated && orchestratorDown) for (const service of STEPS) closeEpisode(service, view.nowUs);
    },
    summary(_run: MetricsSummary, view: CheckerView): ProtocolMetricValues {
      for (const service of STEPS) closeEpisode(service, view.nowUs);
      const figures: ProtocolMetricValues = { ...counts, sagaDurationUs: durations };
      if (!orchestrated) {
        for (const key of ['stepsGivenUp', 'rejectedByBulkhead', 'rejectedByBreaker', 'breakerTrips']) delete figures[key];
        return figures;
      }
      for (const service of STEPS) figures[`${service}.breakerOpenUs`] = openFor.get(service) ?? [];
      return figures;
    },
  };
}
