// Shared zod pieces for user-written data (fault plans, run options, trace headers): durations
// with units, node names, and turning a zod error into one line that names the field and what was
// expected. Leaves out: any knowledge of a particular protocol.
import { z } from 'zod';
import { formatDuration, parseDuration } from './duration.ts';

/** "3s", "250ms" or a whole number of microseconds. */
export const durationUs = z.union([z.string(), z.number()]).transform((v, ctx) => {
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v) && v >= 0) return v;
    ctx.addIssue({ code: 'custom', message: `expected a non-negative whole number of microseconds or a duration like "250ms"; got ${v}` });
    return z.NEVER;
  }
  try {
    return parseDuration(v, 'value');
  } catch {
    ctx.addIssue({ code: 'custom', message: `expected a duration with a unit (us, ms, s or m) like "250ms"; got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
});

/** A signed duration: "+200ms", "-1s" or a whole number of microseconds. */
export const signedDurationUs = z.union([z.string(), z.number()]).transform((v, ctx) => {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string') {
    const sign = v.trim().startsWith('-') ? -1 : 1;
    try {
      return sign * parseDuration(v.trim().replace(/^[+-]/, ''), 'value');
    } catch {
      /* fall through to the issue below */
    }
  }
  ctx.addIssue({ code: 'custom', message: `expected a signed duration like "+200ms" or "-1s"; got ${JSON.stringify(v)}` });
  return z.NEVER;
});

/** "n3" or 3. Range checks need the cluster size and happen after parsing. */
export const nodeRef = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : /^n(\d+)$/.test(v) ? Number(v.slice(1)) : NaN;
  if (Number.isSafeInteger(n) && n >= 1) return n;
  ctx.addIssue({ code: 'custom', message: `expected a node name like "n3"; got ${JSON.stringify(v)}` });
  return z.NEVER;
});

export const probability = z.number().min(0, 'expected a probability between 0 and 1').max(1, 'expected a probability between 0 and 1');

export const signedDurationText = (us: number): string => (us < 0 ? `-${formatDuration(-us)}` : `+${formatDuration(us)}`);

/** One line: "<what>: faults[2].node: expected a node name like "n3"; got "x"". */
export function zodErrorLine(what: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${what}: invalid`;
  const path = formatPath(issue.path);
  return `${what}: ${path ? `${path}: ` : ''}${issueMessage(issue)}`;
}

export function issueMessage(issue: z.core.$ZodIssue): string {
  return issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` : issue.message;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Thrown for bad user input; the CLI prints its message as one line and exits with code 2. */
export class InputError extends Error {
  override name = 'InputError';
}
