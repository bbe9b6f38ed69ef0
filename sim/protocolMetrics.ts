// Protocol-specific run metrics (DESIGN.md section 3: metrics from notes). A protocol may hand the
// engine an observer that sees the same events as the checkers (boots, notes, faults, the heal
// phase, client history) and, at the end, turns them into named figures: counts, durations in
// microseconds, or lists of durations (one per crash, say) for callers to take percentiles of.
// Leaves out: anything that needs node state or every message (checkers and metrics see notes).
import type { CheckerView } from './checker.ts';
import type { MetricsSummary } from './metrics.ts';
import type { ObservedEvent } from './traceEvents.ts';

/** A count, a duration in microseconds, a list of durations, or null when there was nothing to measure. */
export type ProtocolMetricValue = number | number[] | null;

export type ProtocolMetricValues = Record<string, ProtocolMetricValue>;

export interface MetricsObserver {
  observe(event: ObservedEvent, view: CheckerView): void;
  /** The figures of the whole run; `run` carries the engine's counters (messages sent, virtual time). */
  summary(run: MetricsSummary, view: CheckerView): ProtocolMetricValues;
}
