// A run's client history as a Jepsen history (history.edn): one operation map per line, in time
// order, `{:index 0, :time 5105000, :type :invoke, :process 0, :f :write, :value ["k4" "1.12"],
// :node "n3"}`, then its :ok / :fail / :info completion by the same process. :time is virtual
// nanoseconds; :process follows Jepsen's rule (a fresh process after an :info). Fault plan actions
// appear as :nemesis :info operations (:start-partition / :stop-partition, :crash, ...), which
// Jepsen's and Knossos's checkers skip like ours. Failed operations are :fail (they did not
// happen); a failed cas carries :error :cas-mismatch (it did not swap); an operation still open
// at the end has no completion. Pure: the browser viewer calls it for downloads.
// Leaves out: Jepsen's per-test metadata (test.edn) and the :nemesis :invoke half of each fault.
import type { TraceEvent } from '../traceEvents.ts';
import { clientHistory, type HistoryStep } from './clientHistory.ts';
import { ednRecord, jsonToEdn, kw, writeEdn, type Edn } from './ednWriter.ts';
import { hostName, windowEvents, type ExportInput, type ExportOptions } from './exportInput.ts';
import { completeExtras, completeValue, invokeShape } from './jepsenOps.ts';

type FaultEvent = Extract<TraceEvent, { kind: 'fault' }>;

/** Faults with no duration: one :info op named after the fault instead of a start and a stop. */
const ONE_SHOT = ['restart', 'clock-skew', 'disk-corrupt'];

export function exportJepsen(input: ExportInput, options: ExportOptions = {}): string {
  const history = clientHistory(input, 'jepsen', options);
  const faults = windowEvents(input, options).map((n) => n.event).filter((e): e is FaultEvent => e.kind === 'fault');
  const lines: string[] = [];
  let f = 0;
  for (const step of history.steps) {
    while (f < faults.length && (faults[f] as FaultEvent).t <= step.t) lines.push(nemesisOp(faults[f++] as FaultEvent, lines.length));
    lines.push(clientOp(step, lines.length));
  }
  while (f < faults.length) lines.push(nemesisOp(faults[f++] as FaultEvent, lines.length));
  return `${lines.join('\n')}\n`;
}

function clientOp(step: HistoryStep, index: number): string {
  const { entry } = step;
  const common: [string, Edn][] = [['index', index], ['time', step.t * 1000]];
  if (step.kind === 'invoke') {
    const { f, value } = invokeShape(entry.op);
    return writeEdn(ednRecord([...common, ['type', kw('invoke')], ['process', step.process], ['f', kw(f)], ['value', value], ['node', hostName(entry.node)]]));
  }
  const type = entry.outcome === 'ok' || entry.outcome === 'fail' ? entry.outcome : 'info';
  const { f } = invokeShape(entry.op);
  return writeEdn(ednRecord([...common, ['type', kw(type)], ['process', step.process], ['f', kw(f)], ['value', completeValue(entry)], ...completeExtras(entry)]));
}

function nemesisOp(event: FaultEvent, index: number): string {
  const { type, at: _at, for: _for, ...fields } = event.fault as Record<string, unknown>;
  const name = String(type);
  const f = ONE_SHOT.includes(name) ? name : `${event.phase === 'start' ? 'start' : 'stop'}-${name}`;
  const value = Object.keys(fields).length === 0 ? null : jsonToEdn(namedNodes(fields));
  return writeEdn(ednRecord([['index', index], ['time', event.t * 1000], ['type', kw('info')], ['process', kw('nemesis')], ['f', kw(f)], ['value', value]]));
}

/** Node ids in a fault's node, from, to and groups fields as names ("n3"). */
function namedNodes(fields: Record<string, unknown>): Record<string, unknown> {
  const name = (v: unknown): unknown => (typeof v === 'number' ? hostName(v) : Array.isArray(v) ? v.map(name) : v);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = ['node', 'from', 'to', 'groups'].includes(k) ? name(v) : v;
  return out;
}
