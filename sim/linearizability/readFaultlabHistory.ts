// Reads a faultlab client history from a file's text: a trace (JSON lines: the header, invoke and
// complete events among the others, the end record; validated by sim/traceReader.ts, hash
// included), or the JSON of a run result (an object with a `history` array, as RunResult has) or
// a bare array of history entries. Errors name the line or the entry. Leaves out: converting the
// operations to a model (faultlabOperations.ts does that).
import { z } from 'zod';
import type { HistoryEntry } from '../clients.ts';
import { formatPath, InputError, issueMessage } from '../schemaHelpers.ts';
import { readTrace, TraceError } from '../traceReader.ts';
import { HistoryCollector } from './historyCollector.ts';
import type { Where } from './faultlabOperations.ts';

export interface FaultlabHistory {
  entries: HistoryEntry[];
  /** Names entry i in errors: its invoke line in a trace, history[i] in JSON. */
  where: Where;
}

export function looksLikeFaultlabTrace(text: string): boolean {
  return /^\s*\{\s*"faultlab"\s*:/.test(text);
}

export function readFaultlabTrace(text: string, source: string): FaultlabHistory {
  const trace = readTrace(text, source);
  const collector = new HistoryCollector();
  const lines: number[] = [];
  trace.events.forEach((event, i) => {
    // Event i is on line i + 2 (the header is line 1).
    const problem = collector.observe(event);
    if (problem) throw new TraceError(i + 2, problem, source);
    if (event.kind === 'invoke') lines.push(i + 2);
  });
  return { entries: collector.entries, where: (index) => `line ${lines[index] ?? '?'}` };
}

const nat = z.number().int().nonnegative();
const entrySchema = z.object({
  client: z.number().int(),
  req: z.number().int(),
  node: z.number().int(),
  op: z.unknown(),
  invokeUs: nat,
  completeUs: nat.nullable(),
  outcome: z.enum(['ok', 'fail', 'info', 'pending']),
  result: z.unknown().optional(),
}).loose();

export function readRunJson(text: string, source: string): FaultlabHistory {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${source}: not valid JSON (${(error as Error).message}); expected a faultlab run result or history`);
  }
  const isObject = typeof json === 'object' && json !== null && !Array.isArray(json);
  if (isObject && !Object.hasOwn(json as object, 'history')) throw new InputError(`${source}: this JSON object has no "history" field; expected a faultlab run result with its client history (RunResult.history) or an array of history entries`);
  const raw = isObject ? (json as { history: unknown }).history : json;
  const parsed = z.array(entrySchema).safeParse(raw);
  if (!parsed.success) throw new InputError(issueLine(source, parsed.error));
  const entries = parsed.data as HistoryEntry[];
  entries.forEach((entry, i) => {
    if (entry.completeUs !== null && entry.completeUs < entry.invokeUs) throw new InputError(`${source}: history[${i}].completeUs: ${entry.completeUs} is before invokeUs ${entry.invokeUs}`);
    if ((entry.completeUs === null) !== (entry.outcome === 'pending')) throw new InputError(`${source}: history[${i}]: completeUs is null exactly when the outcome is "pending"; got outcome ${JSON.stringify(entry.outcome)} and completeUs ${entry.completeUs}`);
  });
  return { entries, where: (index) => `history[${index}]` };
}

/** Paths in errors read history[3].op rather than [3].op (a bare array is named history too). */
function issueLine(source: string, error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${source}: ${formatPath(['history', ...issue.path])}: ${issueMessage(issue)}` : `${source}: history: invalid`;
}
