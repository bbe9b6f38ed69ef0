// A linearizability result as short readable text (or one line, for a checker's message): the
// verdict and, for a history that is not linearizable, the part that failed, the end of the longest linearizable prefix with the state
// after each operation, and the operations that cannot be placed after it with the reason for
// each. Long values are clipped. Leaves out: the header (file, counts, timing: the CLI's job).
import type { LinearizabilityResult, UnplaceableOperation } from './checkLinearizability.ts';

export interface RenderOptions {
  /** How operation times read: line numbers for logs, durations for faultlab runs. */
  formatTime?: (t: number) => string;
  /** Prefix operations shown, from its end (default 5). */
  prefixShown?: number;
  /** Unplaceable operations shown (default 5). */
  unplaceableShown?: number;
  /** Longest line fragment for a value (default 160 characters). */
  clip?: number;
}

export function renderResult(result: LinearizabilityResult, options: RenderOptions = {}): string[] {
  if (result.verdict === 'linearizable') return ['verdict: LINEARIZABLE'];
  if (result.verdict === 'unknown') return [`verdict: UNKNOWN: ${result.reason ?? 'no verdict reached'}`];
  const c = result.counterexample;
  if (!c) return ['verdict: NOT LINEARIZABLE'];
  const clip = (text: string) => clipText(text, options.clip ?? 160);
  const time = options.formatTime ?? String;
  const shown = options.prefixShown ?? 5;
  const lines = [`verdict: NOT LINEARIZABLE (${c.partition}, ${c.operations} operations)`];
  lines.push(`  longest linearizable prefix: ${c.prefix.length} of ${c.operations} operations${c.prefix.length === 0 ? ` (none fits the initial state ${clip(c.initialState)})` : ''}`);
  if (c.prefix.length > shown) lines.push(`    ... ${c.prefix.length - shown} earlier operations`);
  for (const p of c.prefix.slice(-shown)) lines.push(`    #${p.id} client ${p.client}: ${clip(p.op)}  =>  ${clip(p.stateText)}`);
  const limit = options.unplaceableShown ?? 5;
  lines.push(`  cannot be placed after it (${c.unplaceable.length} operation${c.unplaceable.length === 1 ? '' : 's'} that could go next):`);
  for (const u of c.unplaceable.slice(0, limit)) lines.push(`    #${u.id} client ${u.client} ${window(u, time)}: ${clip(u.op)}`, `      ${clip(u.reason)}`);
  if (c.unplaceable.length > limit) lines.push(`    ... and ${c.unplaceable.length - limit} more (--json lists them all)`);
  return lines;
}

/** One line, e.g. for a checker's violation message. */
export function summarizeResult(result: LinearizabilityResult, clip = 200): string {
  if (result.verdict === 'linearizable') return `linearizable (${result.operations} operations, ${result.partitions} part${result.partitions === 1 ? '' : 's'})`;
  if (result.verdict === 'unknown') return `no verdict: ${result.reason ?? 'the search stopped'}`;
  const c = result.counterexample;
  const u = c?.unplaceable[0];
  if (!c || !u) return 'not linearizable';
  const more = c.unplaceable.length > 1 ? ` (${c.unplaceable.length - 1} more cannot either)` : '';
  return `not linearizable (${c.partition}): after the longest linearizable prefix, ${c.prefix.length} of ${c.operations} operations, #${u.id} (client ${u.client}) ${clipText(u.op, clip)} cannot follow: ${clipText(u.reason, clip)}${more}`;
}

function window(u: UnplaceableOperation, time: (t: number) => string): string {
  return u.returnUs === Number.POSITIVE_INFINITY ? `[called ${time(u.callUs)}, never returned]` : `[${time(u.callUs)} to ${time(u.returnUs)}]`;
}

function clipText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 20)} ...(${text.length} chars)` : text;
}
