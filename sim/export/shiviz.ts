// Writes runs as a ShiViz log (https://bestchai.bitbucket.io/shiviz/): line 1 is the parser regular
// expression (named groups host, clock, event, plus time), line 2 the delimiter between
// executions (named group trace, the run's label), then per run a delimiter line and one line per
// event: `n2 {"n1":4,"n2":7} 1.250000s receive AppendEntries #12 from n1`. Vector clocks follow
// ShiViz's rules: a node's own entry counts its logged events (1, 2, 3, ... with no gaps); a
// receive's clock is the entry-wise maximum of the sender's clock at the send and the receiver's
// previous clock, then its own entry plus one; a send or local event is the previous clock plus
// one; a clock names only nodes that logged an event before (ShiViz rejects others) and no zeros.
// Several runs go into one file as separate executions, which ShiViz shows side by side.
// Pure: the browser viewer calls it for downloads. Leaves out: what shivizEvents.ts leaves out.
import { InputError } from '../schemaHelpers.ts';
import { hostName, runLabel, secondsText, sourceOf, type ExportInput, type ExportOptions } from './exportInput.ts';
import { hostEvents } from './shivizEvents.ts';

/** One event per line: host, clock (a flat JSON object), virtual time, event text. */
export const SHIVIZ_REGEX = '^(?<host>\\S+) (?<clock>\\{[^}]*\\}) (?<time>\\S+) (?<event>.*)$';
/** A line `=== raft seed 1 ===` starts each run. */
export const SHIVIZ_DELIMITER = '^=== (?<trace>.*) ===$';

type Clock = Map<number, number>;

export function exportShiviz(inputs: readonly ExportInput[], options: ExportOptions = {}): string {
  if (inputs.length === 0) throw new InputError('--format shiviz: no traces to export; expected one or more trace files');
  const lines = [SHIVIZ_REGEX, SHIVIZ_DELIMITER];
  const labels = uniqueLabels(inputs.map((input) => runLabel(input.header)));
  inputs.forEach((input, i) => {
    lines.push(`=== ${labels[i]} ===`);
    for (const line of executionLines(input, options)) lines.push(line);
  });
  return `${lines.join('\n')}\n`;
}

/** One run's events with their vector clocks. */
export function executionLines(input: ExportInput, options: ExportOptions = {}): string[] {
  const clocks = new Map<number, Clock>();
  const atSend = new Map<number, Clock>();
  const lines: string[] = [];
  for (const event of hostEvents(input, options)) {
    const clock = clocks.get(event.host) ?? new Map<number, number>();
    clocks.set(event.host, clock);
    if (event.kind === 'receive') {
      const sent = atSend.get(event.id);
      if (!sent) throw new InputError(`--format shiviz: ${sourceOf(input)}: line ${event.line}: message #${event.id} is delivered but was never sent`);
      for (const [host, count] of sent) clock.set(host, Math.max(clock.get(host) ?? 0, count));
    }
    clock.set(event.host, (clock.get(event.host) ?? 0) + 1);
    if (event.kind === 'send') atSend.set(event.id, new Map(clock));
    lines.push(`${hostName(event.host)} ${clockJson(clock)} ${secondsText(event.t)} ${event.text}`);
  }
  return lines;
}

/** {"n1":4,"n2":7}, nodes in ascending order. */
function clockJson(clock: Clock): string {
  const parts = [...clock.entries()].sort((a, b) => a[0] - b[0]).map(([host, count]) => `"${hostName(host)}":${count}`);
  return `{${parts.join(',')}}`;
}

/** Labels made unique (ShiViz keys executions by label): a repeat gets " (2)", " (3)", ... */
function uniqueLabels(labels: readonly string[]): string[] {
  const used = new Set<string>();
  return labels.map((label) => {
    let unique = label;
    for (let n = 2; used.has(unique); n++) unique = `${label} (${n})`;
    used.add(unique);
    return unique;
  });
}
