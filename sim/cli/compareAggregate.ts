// The figures `faultlab compare` prints: for each cluster size and protocol, the median and 95th
// percentile of every protocol metric over the runs (seeds). A list metric (one value per crash)
// is pooled over all runs before taking percentiles; a per-run figure is taken over runs; runs
// where a figure is null add nothing. Failed runs are counted and listed, and their figures are
// still included (a detector that misses its bound is part of the picture). Rows are known
// failure-detector metrics first, in a fixed order with readable labels, then any other metric a
// protocol reports, by key. Leaves out: confidence intervals and significance tests.
import type { ProtocolMetricValue } from '../protocolMetrics.ts';
import { spread, type Spread } from '../stats.ts';
import type { CompareRun } from './compareJob.ts';

export interface MetricRow {
  key: string;
  label: string;
  format: 'duration' | 'number';
}

const KNOWN_ROWS: readonly MetricRow[] = [
  { key: 'firstSuspicionUs', label: 'first suspicion', format: 'duration' },
  { key: 'detectionUs', label: 'detection (declared failed)', format: 'duration' },
  { key: 'disseminationUs', label: 'full dissemination', format: 'duration' },
  { key: 'undetected', label: 'crashes never detected (per run)', format: 'number' },
  { key: 'falseSuspicions', label: 'false suspicions (per run)', format: 'number' },
  { key: 'falseDown', label: 'false failure declarations (/run)', format: 'number' },
  { key: 'falseSuspicionMarks', label: 'false suspicion marks (per run)', format: 'number' },
  { key: 'falseDownMarks', label: 'false failure marks (per run)', format: 'number' },
  { key: 'messagesPerMemberPerPeriod', label: 'messages per member per period', format: 'number' },
  { key: 'messagesPerMemberPerSecond', label: 'messages per member per second', format: 'number' },
  { key: 'periodUs', label: 'protocol period', format: 'duration' },
];

/** A readable name for a metric key, without the table's per-run suffix ("false suspicions"). */
export function metricLabel(key: string): string {
  const row = KNOWN_ROWS.find((r) => r.key === key);
  return row ? row.label.replace(/ \((per run|\/run)\)$/, '') : key;
}

/** Shown in the table's heading instead (every run has the same number of crashes). */
const HIDDEN = new Set(['crashes']);

export interface ProtocolColumn {
  protocol: string;
  runs: number;
  failed: CompareRun[];
  figures: Record<string, Spread>;
}

export interface CompareGroup {
  nodes: number;
  rows: MetricRow[];
  columns: ProtocolColumn[];
}

export function aggregate(runs: readonly CompareRun[], protocols: readonly string[], nodesList: readonly number[]): CompareGroup[] {
  return nodesList.map((nodes) => {
    const sized = runs.filter((r) => r.nodes === nodes);
    const rows = rowsFor(sized);
    const columns = protocols.map((protocol) => {
      const mine = sized.filter((r) => r.protocol === protocol);
      const figures: Record<string, Spread> = {};
      for (const row of rows) figures[row.key] = spread(mine.flatMap((r) => valuesOf(r.metrics[row.key])));
      return { protocol, runs: mine.length, failed: mine.filter((r) => r.verdict !== 'pass'), figures };
    });
    return { nodes, rows, columns };
  });
}

/** A list contributes each of its values, a number itself, null or a missing key nothing. */
export function valuesOf(value: ProtocolMetricValue | undefined): number[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function rowsFor(runs: readonly CompareRun[]): MetricRow[] {
  const keys = new Set<string>();
  for (const r of runs) for (const key of Object.keys(r.metrics)) if (!HIDDEN.has(key)) keys.add(key);
  const known = KNOWN_ROWS.filter((row) => keys.has(row.key));
  const other = [...keys]
    .filter((key) => !KNOWN_ROWS.some((row) => row.key === key))
    .sort()
    .map((key): MetricRow => ({ key, label: key, format: key.endsWith('Us') ? 'duration' : 'number' }));
  return [...known, ...other];
}
