// Builds small, valid faultlab traces (header, events, end record with its hash) holding client
// invoke and complete events, for the history readers and the CLI tests. The header is a real
// heartbeat run's (the reader validates it); the events need not come from a run.
import { heartbeatSpec } from '../../../protocols/heartbeat/spec.ts';
import type { HistoryEntry } from '../../../sim/clients.ts';
import { formatFaultPlan, parseFaultPlan } from '../../../sim/faultPlan.ts';
import { resolveRun } from '../../../sim/resolveRun.ts';
import type { TraceEvent } from '../../../sim/traceEvents.ts';
import { Tracer } from '../../../sim/tracer.ts';

export function traceText(events: TraceEvent[]): string {
  const plan = parseFaultPlan({ faults: [] }, 3, 1_000_000);
  const options = resolveRun(heartbeatSpec, { seed: 1, nodes: 3, faultPhaseUs: 1_000_000 }, plan);
  const lines: string[] = [];
  const tracer = new Tracer({ write: (line) => lines.push(line) }, { faultlab: 1, seed: 1, protocol: 'heartbeat', options, faultPlan: formatFaultPlan(plan) });
  for (const event of events) tracer.emit(event);
  tracer.finish({ kind: 'pass' });
  return `${lines.join('\n')}\n`;
}

/** The invoke and complete events of a history, in time order (completes first on ties). */
export function historyEvents(history: readonly HistoryEntry[]): TraceEvent[] {
  const events: TraceEvent[] = [];
  for (const e of history) {
    events.push({ t: e.invokeUs, kind: 'invoke', client: e.client, req: e.req, node: e.node, op: e.op });
    if (e.completeUs !== null && e.outcome !== 'pending') {
      events.push({ t: e.completeUs, kind: 'complete', client: e.client, req: e.req, outcome: e.outcome, ...(e.result !== undefined ? { result: e.result } : {}) });
    }
  }
  return events.sort((a, b) => a.t - b.t || (a.kind === 'complete' ? 0 : 1) - (b.kind === 'complete' ? 0 : 1));
}

/** A kv history: put x=a, get x -> a, a cas that failed, a failed get (did not happen), an append that timed out, a pending get. */
export function kvHistory(getValue = 'a'): HistoryEntry[] {
  return [
    { client: 1, req: 1, node: 1, op: { f: 'put', key: 'x', value: 'a' }, invokeUs: 100, completeUs: 200, outcome: 'ok', result: { ok: true } },
    { client: 2, req: 2, node: 2, op: { f: 'get', key: 'x' }, invokeUs: 300, completeUs: 400, outcome: 'ok', result: { ok: true, value: getValue } },
    { client: 1, req: 3, node: 1, op: { f: 'cas', key: 'x', from: 'zz', to: 'b' }, invokeUs: 500, completeUs: 600, outcome: 'fail', result: { ok: false, error: 'cas-mismatch' } },
    { client: 2, req: 4, node: 3, op: { f: 'get', key: 'y' }, invokeUs: 500, completeUs: 650, outcome: 'fail', result: { ok: false, error: 'not-leader' } },
    { client: 3, req: 5, node: 1, op: { f: 'append', key: 'y', value: '1' }, invokeUs: 700, completeUs: 1700, outcome: 'info' },
    { client: 1, req: 6, node: 2, op: { f: 'get', key: 'x' }, invokeUs: 800, completeUs: null, outcome: 'pending' },
  ];
}
