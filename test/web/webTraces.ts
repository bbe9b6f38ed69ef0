// Shared helpers for the viewer's tests: record a real run's trace as bytes (as the CLI writes it),
// rebuild a trace from edited event lines with a valid end record (so a test can hand the viewer a
// hostile but well-formed file), and read one through the viewer's indexer.
import { PROTOCOLS } from '../../protocols/registry.ts';
import { RunningHash } from '../../sim/hash.ts';
import { simulateSpec } from '../../web/worker/simulate.ts';
import type { RunSpec } from '../../web/run/runSpec.ts';

export const encoder = new TextEncoder();

export function runSpec(protocol: string, flags: RunSpec['flags'], plan?: unknown, set: [string, string][] = []): RunSpec {
  if (!PROTOCOLS[protocol]) throw new Error(`protocol ${protocol} is not in the registry`);
  return { protocol, flags, set, plan };
}

/** The trace text of a run, exactly as `faultlab run` would write it. */
export function traceText(spec: RunSpec): string {
  return new TextDecoder().decode(simulateSpec(spec).bytes);
}

/** A trace made of a header line and event lines, with a correct end record. */
export function withFooter(header: string, events: readonly string[], verdict: unknown = { kind: 'pass' }): string {
  const hash = new RunningHash().update(header);
  for (const line of events) hash.update(line);
  const footer = JSON.stringify({ end: true, events: events.length, verdict, traceHash: hash.digest() });
  return `${[header, ...events, footer].join('\n')}\n`;
}

/** Header, events and footer lines of a trace text. */
export function splitTrace(text: string): { header: string; events: string[]; footer: string } {
  const lines = text.split('\n');
  lines.pop();
  return { header: lines[0] as string, events: lines.slice(1, -1), footer: lines[lines.length - 1] as string };
}

/** The viewer tests' Raft run: seed 5, 2 s, two clients, {n1,n2} cut off from 700 ms to 1.3 s. */
export const RAFT_PARTITIONED: RunSpec = runSpec('raft', { seed: '5', duration: '2s', clients: '2' }, { faults: [{ type: 'partition', at: '700ms', for: '600ms', groups: [['n1', 'n2'], ['n3', 'n4', 'n5']] }] });
