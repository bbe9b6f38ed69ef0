// Reads and validates a trace: the versioned header, every event line (kind, fields, time never
// going backwards), and the end record (event count and running hash over all earlier lines).
// Every problem is a TraceError naming the line and what was expected; a file cut short is
// reported as truncated. Leaves out: streaming very large files (a trace is read whole).
import { z } from 'zod';
import { RunningHash } from './hash.ts';
import { runOptionsSchema } from './runOptions.ts';
import { formatPath, InputError, issueMessage } from './schemaHelpers.ts';
import { TRACE_EVENT_KINDS, type TraceEvent } from './traceEvents.ts';
import { TRACE_VERSION, type TraceFooter, type TraceHeader } from './tracer.ts';

export class TraceError extends InputError {
  constructor(readonly line: number, readonly reason: string, source = 'trace') {
    super(`${source}: line ${line}: ${reason}`);
  }
}

export const HASH_MISMATCH = 'the trace hash does not match the lines before it (the file was edited or corrupted)';

const node = z.number().int().min(1);
const t = z.number().int().nonnegative();
const id = z.number().int().min(1);
const patch = z.object({ op: z.enum(['add', 'replace', 'remove']), path: z.array(z.union([z.string(), z.number()])), value: z.unknown().optional() });

const eventSchemas: Record<string, z.ZodType> = {
  boot: z.object({ t, kind: z.literal('boot'), node, disk: z.enum(['fresh', 'ok', 'corrupt']), state: z.unknown() }).strict(),
  state: z.object({ t, kind: z.literal('state'), node, patches: z.array(patch) }).strict(),
  send: z.object({ t, kind: z.literal('send'), id, from: node, to: node, msg: z.object({ type: z.string() }).loose(), byzantine: z.string().optional() }).strict(),
  deliver: z.object({ t, kind: z.literal('deliver'), id, from: node, to: node }).strict(),
  drop: z.object({ t, kind: z.literal('drop'), id, from: node, to: node, reason: z.string() }).strict(),
  timer: z.object({ t, kind: z.literal('timer'), node, timer: z.unknown() }).strict(),
  persist: z.object({ t, kind: z.literal('persist'), node, token: z.number(), ok: z.boolean() }).strict(),
  note: z.object({ t, kind: z.literal('note'), node, name: z.string(), data: z.unknown().optional() }).strict(),
  fault: z.object({ t, kind: z.literal('fault'), phase: z.enum(['start', 'end']), fault: z.object({ type: z.string(), at: t }).loose() }).strict(),
  phase: z.object({ t, kind: z.literal('phase'), phase: z.literal('heal') }).strict(),
  invoke: z.object({ t, kind: z.literal('invoke'), client: z.number().int(), req: id, node, op: z.unknown() }).strict(),
  complete: z.object({ t, kind: z.literal('complete'), client: z.number().int(), req: id, outcome: z.enum(['ok', 'fail', 'info']), result: z.unknown().optional() }).strict(),
  violation: z.object({ t, kind: z.literal('violation'), checker: z.string(), verdict: z.string(), message: z.string() }).strict(),
};

/** A trace's first line (also checked by the viewer, web/trace/headerCheck.ts). */
export const headerSchema = z.object({
  faultlab: z.literal(TRACE_VERSION),
  seed: z.number().int().nonnegative(),
  protocol: z.string(),
  options: runOptionsSchema,
  faultPlan: z.object({ faults: z.array(z.record(z.string(), z.unknown())) }),
}).strict();

/** A trace's end record. */
export const footerSchema = z.object({ end: z.literal(true), events: z.number().int().nonnegative(), verdict: z.object({ kind: z.string() }).loose(), traceHash: z.string() }).strict();

export interface Trace {
  header: TraceHeader;
  events: TraceEvent[];
  footer: TraceFooter;
  /** The raw lines, header first and footer last. */
  lines: string[];
}

export interface ReadOptions {
  /** false: accept a trace whose end-record hash does not match (replay then finds the edited line). */
  verifyHash?: boolean;
}

export function readTrace(text: string, source = 'trace', read: ReadOptions = {}): Trace {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else if (lines.length > 0) throw new TraceError(lines.length, 'the last line has no newline: the file was cut short (truncated)', source);
  if (lines.length === 0) throw new TraceError(1, 'empty file; expected a faultlab trace header', source);
  const header = readHeader(lines[0] as string, source);
  const hash = new RunningHash().update(lines[0] as string);
  const events: TraceEvent[] = [];
  let last = 0;
  for (let i = 1; i < lines.length; i++) {
    const raw = parseLine(lines[i] as string, i + 1, source);
    if (isFooter(raw)) return finish(raw, i + 1, lines, header, events, read.verifyHash === false ? undefined : hash, source);
    const event = checkEvent(raw, i + 1, source);
    if (event.t < last) throw new TraceError(i + 1, `time goes backwards (${event.t}us after ${last}us)`, source);
    last = event.t;
    hash.update(lines[i] as string);
    events.push(event);
  }
  throw new TraceError(lines.length + 1, 'the trace ends without its end record: the file was cut short (truncated)', source);
}

function readHeader(line: string, source: string): TraceHeader {
  const raw = parseLine(line, 1, source);
  if (typeof raw !== 'object' || raw === null || !('faultlab' in raw)) throw new TraceError(1, 'not a faultlab trace (the header has no "faultlab" version field)', source);
  const version = (raw as { faultlab: unknown }).faultlab;
  if (version !== TRACE_VERSION) throw new TraceError(1, `unsupported trace version ${JSON.stringify(version)} (this faultlab reads version ${TRACE_VERSION})`, source);
  const parsed = headerSchema.safeParse(raw);
  if (!parsed.success) throw new TraceError(1, issueText('header', parsed.error), source);
  return parsed.data as TraceHeader;
}

function checkEvent(raw: unknown, line: number, source: string): TraceEvent {
  const kind = (raw as { kind?: unknown } | null)?.kind;
  const schema = typeof kind === 'string' ? eventSchemas[kind] : undefined;
  if (!schema) throw new TraceError(line, `unknown event kind ${JSON.stringify(kind)} (expected one of ${TRACE_EVENT_KINDS.join(', ')})`, source);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new TraceError(line, issueText(`${kind} event`, parsed.error), source);
  return parsed.data as TraceEvent;
}

function finish(raw: unknown, line: number, lines: string[], header: TraceHeader, events: TraceEvent[], hash: RunningHash | undefined, source: string): Trace {
  if (line !== lines.length) throw new TraceError(line + 1, 'lines follow the end record', source);
  const parsed = footerSchema.safeParse(raw);
  if (!parsed.success) throw new TraceError(line, issueText('end record', parsed.error), source);
  const footer = parsed.data as TraceFooter;
  if (footer.events !== events.length) throw new TraceError(line, `the end record counts ${footer.events} events but the trace has ${events.length}`, source);
  if (hash && footer.traceHash !== hash.digest()) throw new TraceError(line, HASH_MISMATCH, source);
  return { header, events, footer, lines };
}

function parseLine(line: string, n: number, source: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    throw new TraceError(n, 'not valid JSON (a damaged or truncated line)', source);
  }
}

function isFooter(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as { end?: unknown }).end === true;
}

function issueText(what: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue ? formatPath(issue.path) : '';
  return `${what}${path ? ` field ${path}` : ''}: ${issue ? issueMessage(issue) : 'invalid'}`;
}
