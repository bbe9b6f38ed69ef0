import { beforeAll, describe, expect, it } from 'vitest';
import { RunningHash } from '../../sim/hash.ts';
import { replayTrace, runFromHeader } from '../../sim/replay.ts';
import { readTrace, TraceError } from '../../sim/traceReader.ts';
import { PROTOCOLS } from '../../protocols/registry.ts';
import { heartbeatRun, type TracedRun } from '../helpers.ts';

let run: TracedRun;

beforeAll(() => {
  run = heartbeatRun({ seed: 8, nodes: 4, network: { loss: 0.05, duplicate: 0.05 } }, [
    { at: '300ms', for: '200ms', type: 'crash', node: 'n3' },
    { at: '400ms', for: '300ms', type: 'partition', groups: [['n1'], ['n2', 'n4']] },
    { at: '450ms', type: 'clock-drift', node: 'n4', rate: 1.5 },
  ]);
});

/** Replaces event lines and writes a fresh, consistent end record (count and hash). */
function rewrite(lines: string[]): string {
  const body = lines.slice(0, -1);
  const hash = new RunningHash();
  for (const line of body) hash.update(line);
  const footer = JSON.parse(lines[lines.length - 1] as string) as Record<string, unknown>;
  const fixed = { ...footer, events: body.length - 1, traceHash: hash.digest() };
  return `${[...body, JSON.stringify(fixed)].join('\n')}\n`;
}

function sendLine(): number {
  return run.lines.findIndex((l) => l.includes('"kind":"send"') && l.includes('"sentAtUs"')) + 1;
}

describe('replayTrace', () => {
  it('replays a trace to the identical hash (round trip)', () => {
    const trace = readTrace(run.text);
    const outcome = replayTrace(trace, PROTOCOLS);
    expect(outcome).toEqual({ matches: true, lines: run.lines.length, recordedHash: run.result.traceHash, replayedHash: run.result.traceHash, divergence: undefined });
  });

  it('reports the first diverging line of an edited trace that was re-hashed consistently', () => {
    const n = sendLine();
    expect(n).toBeGreaterThan(1);
    const original = run.lines[n - 1] as string;
    const altered = original.replace(/"sentAtUs":(\d+)/, (_m, v: string) => `"sentAtUs":${Number(v) + 7}`);
    const lines = run.lines.map((l, i) => (i === n - 1 ? altered : l));
    const trace = readTrace(rewrite(lines)); // the reader accepts it: the hash is consistent
    const outcome = replayTrace(trace, PROTOCOLS);
    expect(outcome.matches).toBe(false);
    expect(outcome.replayedHash).toBe(run.result.traceHash);
    expect(outcome.divergence).toEqual({ line: n, expected: altered, actual: original });
  });

  it('finds the edited line of a trace read without hash verification', () => {
    const n = sendLine();
    const edited = run.lines.map((l, i) => (i === n - 1 ? l.replace(/"to":(\d)/, (_x, to: string) => `"to":${(Number(to) % 4) + 1}`) : l));
    const text = `${edited.join('\n')}\n`;
    expect(() => readTrace(text)).toThrow(/trace hash does not match/);
    const outcome = replayTrace(readTrace(text, 'trace', { verifyHash: false }), PROTOCOLS);
    expect(outcome.matches).toBe(false);
    expect(outcome.divergence).toEqual({ line: n, expected: edited[n - 1], actual: run.lines[n - 1] });
  });

  it('reports a recorded trace that ends early', () => {
    const lines = [...run.lines.slice(0, -2), run.lines[run.lines.length - 1] as string];
    const outcome = replayTrace(readTrace(rewrite(lines)), PROTOCOLS);
    expect(outcome.matches).toBe(false);
    expect(outcome.divergence?.line).toBe(lines.length);
    expect(outcome.divergence?.actual).toBe('(more events)');
  });

  it('rejects a header naming an unknown protocol, at line 1', () => {
    const trace = readTrace(run.text);
    const header = { ...trace.header, protocol: 'paxos', options: { ...trace.header.options, protocol: 'paxos' } };
    expect(() => runFromHeader(header, PROTOCOLS)).toThrow(/line 1: protocol "paxos" is not known \(expected one of heartbeat/);
    const mismatched = { ...trace.header, seed: trace.header.seed + 1 };
    expect(() => runFromHeader(mismatched, PROTOCOLS)).toThrow(/line 1: .*disagree/);
  });
});
