// Validates a trace's header line and end record with the same rules and messages as
// sim/traceReader.ts (version, then its header and end-record schemas), so a file the CLI
// rejects is rejected here with the same words.
// Leaves out: resolving the run (protocol config, fault plan parsing): runFromHeader does that
// when a trace is re-simulated.
import { z } from 'zod';
import { formatPath, issueMessage } from '../../sim/schemaHelpers.ts';
import { footerSchema, headerSchema } from '../../sim/traceReader.ts';
import { TRACE_VERSION, type TraceFooter, type TraceHeader } from '../../sim/tracer.ts';

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
