// Runs for the export tests: every registered protocol under one fault plan (a partition, a crash
// and restart, a pause, lossy and duplicating links), heartbeat under a fault of every type, and
// Raft's pinned stale-read scenario with and without the bug. Each run's trace text goes through readTrace, as the CLI reads a file.
// Not a test file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { heartbeatSpec } from '../../protocols/heartbeat/spec.ts';
import { PROTOCOLS, protocolNames } from '../../protocols/registry.ts';
import type { ExportInput } from '../../sim/export/exportInput.ts';
import { readTrace } from '../../sim/traceReader.ts';
import { simulate, type TracedRun } from '../helpers.ts';
import { raftRun } from '../protocols/raft/raftFixtures.ts';

export const FAULTS = [
  { at: '500ms', for: '800ms', type: 'partition', groups: [['n1', 'n2'], ['n3', 'n4', 'n5']] },
  { at: '1s', for: '300ms', type: 'crash', node: 'n5' },
  { at: '1500ms', for: '200ms', type: 'pause', node: 'n4' },
];

/** Every protocol in the registry (2pc and saga included once registered). */
export const ALL_PROTOCOLS = protocolNames();

const cache = new Map<string, { run: TracedRun; input: ExportInput }>();

/** A 5-node run of `protocol`: 2 s fault phase with FAULTS, 2% loss, 5% duplicates, the protocol's default heal phase. */
export function protocolRun(protocol: string, seed = 1): { run: TracedRun; input: ExportInput } {
  const key = `${protocol}/${seed}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const spec = PROTOCOLS[protocol];
  if (!spec) throw new Error(`no protocol ${protocol}`);
  const run = simulate(spec, { seed, nodes: 5, faultPhaseUs: 2_000_000, network: { loss: 0.02, duplicate: 0.05 } }, FAULTS);
  const made = { run, input: inputOf(run, `${protocol}-seed${seed}.jsonl`) };
  cache.set(key, made);
  return made;
}

export const STALE_READ_FAULTS = [{ at: '1s', for: '2s', type: 'partition', groups: [['n1', 'n2'], ['n3', 'n4', 'n5']] }];

/** raftBugs.test.ts's pinned scenario: leader n1 and n2 cut off from 1 s to 3 s (seed 1, 5 s fault phase). */
export function staleReadRun(bug: boolean): { run: TracedRun; input: ExportInput } {
  const key = `stale-read/${bug}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const run = raftRun({ seed: 1, bug: bug ? 'stale-read' : null }, STALE_READ_FAULTS);
  const made = { run, input: inputOf(run, bug ? 'raft-stale-read.jsonl' : 'raft-correct.jsonl') };
  cache.set(key, made);
  return made;
}

const ALL_FAULTS = (JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/export/all-faults.json'), 'utf8')) as { faults: unknown[] }).faults;

/** Heartbeat under one fault of every type (test/fixtures/export/all-faults.json), some overlapping; 10% duplicates, 5% loss. */
export function allFaultsRun(): { run: TracedRun; input: ExportInput } {
  const hit = cache.get('all-faults');
  if (hit) return hit;
  const run = simulate(heartbeatSpec, { seed: 4, nodes: 5, faultPhaseUs: 2_000_000, network: { loss: 0.05, duplicate: 0.1 } }, ALL_FAULTS);
  const made = { run, input: inputOf(run, 'all-faults.jsonl') };
  cache.set('all-faults', made);
  return made;
}

export function inputOf(run: { text: string }, source: string): ExportInput {
  const trace = readTrace(run.text, source);
  return { header: trace.header, events: trace.events, source };
}
