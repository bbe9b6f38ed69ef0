// Validates a trace's header line and end record with the same rules and messages as
// sim/traceReader.ts (version, then run options through sim's runOptionsSchema, then the fault
// plan's shape), so a file the CLI rejects is rejected here with the same words.
// Leaves out: resolving the run (protocol config, fault plan parsing): runFromHeader does that
// when a trace is re-simulated.
import { z } from 'zod';
import { runOptionsSchema } from '../../sim/runOptions.ts';
import { formatPath, issueMessage } from '../../sim/schemaHelpers.ts';
import { TRACE_VERSION, type TraceFooter, type TraceHeader } from '../../sim/tracer.ts';

const headerSchema = z.object({
  faultlab: z.literal(TRACE_VERSION),
  seed: z.number().int().nonnegative(),
  protocol: z.string(),
  options: runOptionsSchema,
  faultPlan: z.object({ faults: z.array(z.record(z.string(), z.unknown())) }),
}).strict();

const footerSchema = z.object({ end: z.literal(true), events: z.number().int().nonnegative(), verdict: z.object({ kind: z.string() }).loose(), traceHash: z.string() }).strict();

/** Returns the header, or throws an Error with the reason (the caller adds the line number). */
export function checkHeader(raw: unknown): TraceHeader {
  if (typeof raw !== 'object' || raw === null || !('faultlab' in raw)) throw new Error('not a faultlab trace (the header has no "faultlab" version field)');
  const version = (raw as { faultlab: unknown }).faultlab;
  if (version !== TRACE_VERSION) throw new Error(`unsupported trace version ${JSON.stringify(version)} (this faultlab reads version ${TRACE_VERSION})`);
  const parsed = headerSchema.safeParse(raw);
  if (!parsed.success) throw new Error(issueText('header', parsed.error));
  return parsed.data as TraceHeader;
}

export function checkFooter(raw: unknown): TraceFooter {
  const parsed = footerSchema.safeParse(raw);
  if (!parsed.success) throw new Error(issueText('end record', parsed.error));
  return parsed.data as TraceFooter;
}

function issueText(what: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue ? formatPath(issue.path) : '';
  return `${what}${path ? ` field ${path}` : ''}: ${issue ? issueMessage(issue) : 'invalid'}`;
}
