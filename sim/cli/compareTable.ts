// The plain-text tables of `faultlab compare`: one per cluster size, a row per metric and, per
// protocol, a median and a p95 column, aligned; then which runs failed their checks, loudly.
// Durations print in human form (150ms, 1.234s), other figures as numbers; no value prints "-".
// Leaves out: colour and terminal width (wide tables wrap as the terminal pleases).
import { humanDuration } from '../duration.ts';
import type { CompareGroup, MetricRow, ProtocolColumn } from './compareAggregate.ts';

/** Failed runs listed per protocol and cluster size before "and N more". */
const MAX_LISTED = 5;
const MIN_COLUMN = 11;

export function renderGroup(group: CompareGroup, heading: string): string[] {
  const labelWidth = Math.max(35, ...group.rows.map((r) => r.label.length + 2));
  const cells = group.rows.map((row) => group.columns.flatMap((col) => [col.figures[row.key]?.median ?? null, col.figures[row.key]?.p95 ?? null].map((v) => formatFigure(row, v))));
  const widths = group.columns.flatMap((_, i) => [2 * i, 2 * i + 1].map((j) => Math.max(MIN_COLUMN, ...cells.map((c) => (c[j] as string).length + 2))));
  group.columns.forEach((col, i) => {
    const short = col.protocol.length + 2 - ((widths[2 * i] as number) + (widths[2 * i + 1] as number));
    if (short > 0) widths[2 * i + 1] = (widths[2 * i + 1] as number) + short;
  });
  const line = (label: string, values: string[]): string => (label.padEnd(labelWidth) + values.map((v, j) => v.padEnd(widths[j] as number)).join('')).trimEnd();
  const names = group.columns.map((col, i) => col.protocol.padEnd((widths[2 * i] as number) + (widths[2 * i + 1] as number)));
  return [
    heading,
    (' '.repeat(labelWidth) + names.join('')).trimEnd(),
    line('metric', group.columns.flatMap(() => ['median', 'p95'])),
    ...group.rows.map((row, i) => line(row.label, cells[i] as string[])),
    `checks: ${group.columns.map((col) => `${col.protocol} ${col.runs - col.failed.length}/${col.runs} runs passed`).join(', ')}`,
    ...group.columns.flatMap((col) => failureLines(col)),
  ];
}

export function formatFigure(row: MetricRow, value: number | null): string {
  if (value === null) return '-';
  if (row.format === 'duration') return humanDuration(Math.round(value));
  if (Number.isInteger(value) || Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return String(+value.toPrecision(3));
}

function failureLines(col: ProtocolColumn): string[] {
  if (col.failed.length === 0) return [];
  const listed = col.failed.slice(0, MAX_LISTED).map((r) => {
    const crashes = r.crashes.map((c) => `n${c.node} at ${humanDuration(c.atUs)}`).join(', ');
    return `     seed ${r.seed}${crashes ? ` (crash ${crashes})` : ''}: ${r.failure ?? r.verdict}`;
  });
  const more = col.failed.length > MAX_LISTED ? [`     ... and ${col.failed.length - MAX_LISTED} more (--json lists every run)`] : [];
  return [`!! ${col.protocol}: ${col.failed.length} of ${col.runs} runs FAILED their checks (their figures are included above):`, ...listed, ...more];
}
