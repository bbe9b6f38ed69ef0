import { beforeAll, describe, expect, it } from 'vitest';
import { RunningHash } from '../../sim/hash.ts';
import { readTrace, TraceError } from '../../sim/traceReader.ts';
import { heartbeatRun, type TracedRun } from '../helpers.ts';

let run: TracedRun;

beforeAll(() => {
  run = heartbeatRun({ seed: 3, nodes: 3, network: { loss: 0.1 } }, [{ at: '500ms', for: '200ms', type: 'crash', node: 'n2' }]);
});

/** The trace text with line `n` (1-based) replaced. */
function withLine(n: number, edit: (line: string) => string, lines = run.lines): string {
  return `${lines.map((l, i) => (i === n - 1 ? edit(l) : l)).join('\n')}\n`;
}

/** The first line number (1-based) whose event matches. */
function lineWhere(test: (event: Record<string, unknown>) => boolean): number {
  const i = run.lines.findIndex((l, i) => i > 0 && i < run.lines.length - 1 && test(JSON.parse(l) as Record<string, unknown>));
  if (i < 0) throw new Error('no such line in the trace');
  return i + 1;
}

function traceError(text: string): TraceError {
  try {
    readTrace(text, 'run.jsonl');
  } catch (error) {
    expect(error).toBeInstanceOf(TraceError);
    return error as TraceError;
  }
  throw new Error('expected readTrace to reject the trace');
}

function expectError(text: string, line: number, pattern: RegExp): void {
  const error = traceError(text);
  expect(error.line).toBe(line);
  expect(error.message).toMatch(new RegExp(`^run\\.jsonl: line ${line}: `));
  expect(error.message).toMatch(pattern);
}

describe('readTrace', () => {
  it('reads back what the tracer wrote', () => {
    const trace = readTrace(run.text);
    expect(trace.events).toEqual(run.events);
    expect(trace.header).toEqual(JSON.parse(run.lines[0] as string));
    expect(trace.footer.traceHash).toBe(run.result.traceHash);
    expect(trace.footer.events).toBe(run.events.length);
    expect(trace.footer.verdict).toEqual(run.result.verdict);
    expect(trace.lines).toEqual(run.lines);
    expect(run.events.length).toBeGreaterThan(200);
  });

  it('the end record hash is the running hash of every line before it', () => {
    const hash = new RunningHash();
    for (const line of run.lines.slice(0, -1)) hash.update(line);
    expect(hash.digest()).toBe(run.result.traceHash);
  });

  it('rejects a file whose last line has no newline (truncated)', () => {
    expectError(run.text.slice(0, -1), run.lines.length, /truncated/);
  });

  it('rejects a file cut in the middle of a line, naming that line', () => {
    const n = 40;
    const before = run.lines.slice(0, n - 1).join('\n');
    const half = (run.lines[n - 1] as string).slice(0, 25);
    expectError(`${before}\n${half}`, n, /truncated/);
  });

  it('rejects a damaged line that is not JSON', () => {
    expectError(withLine(12, (l) => l.slice(0, 20)), 12, /not valid JSON/);
  });

  it('rejects a trace without its end record', () => {
    expectError(`${run.lines.slice(0, -1).join('\n')}\n`, run.lines.length, /without its end record.*truncated/);
  });

  it('rejects an empty file', () => {
    expectError('', 1, /empty file/);
  });

  it('rejects a trace of another version', () => {
    expectError(withLine(1, (l) => l.replace('"faultlab":1', '"faultlab":2')), 1, /unsupported trace version 2/);
  });

  it('rejects a file that is not a faultlab trace', () => {
    expectError('{"hello":"world"}\n', 1, /not a faultlab trace/);
  });

  it('names the header field that is invalid', () => {
    expectError(withLine(1, (l) => l.replace('"nodes":3', '"nodes":0')), 1, /options\.nodes/);
  });

  it('rejects an unknown event kind, naming the line', () => {
    const n = lineWhere((e) => e.kind === 'deliver');
    expectError(withLine(n, (l) => l.replace('"kind":"deliver"', '"kind":"teleport"')), n, /unknown event kind "teleport"/);
  });

  it('names the field of an event that is invalid', () => {
    const n = lineWhere((e) => e.kind === 'deliver');
    expectError(withLine(n, (l) => l.replace(/"to":\d+/, '"to":0')), n, /deliver event field to/);
  });

  it('rejects time going backwards, naming the line', () => {
    const n = lineWhere((e) => (e.t as number) > 1_000) + 1;
    expectError(withLine(n, (l) => l.replace(/^\{"t":\d+/, '{"t":5')), n, /time goes backwards \(5us after \d+us\)/);
  });

  it('rejects an edited line: the hash in the end record no longer matches', () => {
    const n = lineWhere((e) => e.kind === 'send');
    const edited = withLine(n, (l) => l.replace(/"sentAtUs":(\d+)/, (_m, v: string) => `"sentAtUs":${Number(v) + 1}`));
    expect(edited).not.toBe(run.text);
    expectError(edited, run.lines.length, /trace hash does not match/);
  });

  it('rejects an end record whose event count is wrong, and lines after it', () => {
    expectError(withLine(run.lines.length, (l) => l.replace(/"events":\d+/, '"events":3')), run.lines.length, /counts 3 events/);
    expectError(`${run.text}{"t":0}\n`, run.lines.length + 1, /lines follow the end record/);
  });
});
