// How a protocol documents its settings (`--set key=value`): each key's unit and one line on what it
// does, so the CLI can list them with their defaults and print a run's values readably (durations
// as "500ms", counts as numbers, node lists as "n1,n2"). Leaves out: parsing (each protocol's
// zod schema does that).
import { formatDuration, humanDuration } from './duration.ts';

export interface SettingDoc {
  readonly unit: 'duration' | 'number' | 'nodes';
  readonly doc: string;
}

export type SettingDocs = Readonly<Record<string, SettingDoc>>;

/** A setting's value as a user would write it back (`--set key=<this>`), or readably for summaries. */
export function formatSetting(docs: SettingDocs, key: string, value: unknown, readable = false): string {
  const unit = docs[key]?.unit;
  if (unit === 'duration' && typeof value === 'number') return readable ? humanDuration(value) : formatDuration(value);
  if (unit === 'nodes' && Array.isArray(value)) return value.map((id) => `n${String(id)}`).join(',');
  return String(value);
}
