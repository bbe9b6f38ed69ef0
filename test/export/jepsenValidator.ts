// A validator for Jepsen histories (history.edn) as Jepsen's and Knossos's checkers expect them:
// every line one operation map with :index (0, 1, 2, ... in order), :time (whole nanoseconds, never
// going back), :type (:invoke, :ok, :fail or :info), :process (a whole number for a client, or
// :nemesis), :f (a keyword) and :value; nemesis operations are :info; a client process alternates
// an :invoke and one completion with the same :f, and after an :info completion it never appears
// again (Jepsen gives the client a fresh process). Throws an Error naming the line; returns counts.
import { isKeyword, isMap, mapGet, readEdnForms, showEdn, type EdnValue } from '../../sim/linearizability/ednReader.ts';

export interface JepsenSummary {
  ops: number;
  invokes: number;
  byType: Record<string, number>;
  nemesis: number;
  processes: number;
  /** Invocations never completed. */
  open: number;
}

export function validateJepsenHistory(text: string): JepsenSummary {
  const forms = readEdnForms(text, 'history');
  const summary: JepsenSummary = { ops: forms.length, invokes: 0, byType: {}, nemesis: 0, processes: 0, open: 0 };
  const open = new Map<number, { f: string; time: number }>();
  const crashed = new Set<number>();
  const seen = new Set<number>();
  let lastTime = -1;
  forms.forEach(({ value, line }, index) => {
    const bad = (what: string): never => {
      throw new Error(`line ${line}: ${what} (in ${showEdn(value)})`);
    };
    if (!isMap(value)) bad('not an operation map');
    const map = value as Extract<EdnValue, { kind: 'map' }>;
    if (mapGet(map, 'index') !== index) bad(`:index must be ${index}`);
    const time = mapGet(map, 'time');
    if (typeof time !== 'number' || !Number.isSafeInteger(time) || time < lastTime) bad(':time must be whole nanoseconds, never going back');
    lastTime = time as number;
    const type = mapGet(map, 'type');
    if (!isKeyword(type) || !['invoke', 'ok', 'fail', 'info'].includes(type.name)) bad(':type must be :invoke, :ok, :fail or :info');
    const typeName = (type as { name: string }).name;
    summary.byType[typeName] = (summary.byType[typeName] ?? 0) + 1;
    const f = mapGet(map, 'f');
    if (!isKeyword(f)) bad(':f must be a keyword');
    if (mapGet(map, 'value') === undefined) bad(':value is missing');
    const process = mapGet(map, 'process');
    if (isKeyword(process) && process.name === 'nemesis') {
      if (typeName !== 'info') bad('a nemesis operation must be :info');
      summary.nemesis++;
      return;
    }
    if (typeof process !== 'number' || !Number.isSafeInteger(process) || process < 0) bad(':process must be a whole number or :nemesis');
    clientStep(process as number, typeName, (f as { name: string }).name, time as number, open, crashed, bad);
    seen.add(process as number);
    if (typeName === 'invoke') summary.invokes++;
  });
  summary.processes = seen.size;
  summary.open = open.size;
  return summary;
}

function clientStep(process: number, type: string, f: string, time: number, open: Map<number, { f: string; time: number }>, crashed: Set<number>, bad: (what: string) => never): void {
  if (crashed.has(process)) bad(`process ${process} appears after its :info completion; Jepsen gives that client a new process`);
  const pending = open.get(process);
  if (type === 'invoke') {
    if (pending) bad(`process ${process} invokes while its :${pending.f} is open`);
    open.set(process, { f, time });
    return;
  }
  if (!pending) bad(`process ${process} completes with nothing open`);
  if (pending?.f !== f) bad(`process ${process} completes :${f} but invoked :${pending?.f}`);
  if (time < (pending?.time ?? 0)) bad('a completion before its invocation');
  open.delete(process);
  if (type === 'info') crashed.add(process);
}
