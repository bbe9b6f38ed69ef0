// The trace worker: parses and indexes traces, runs simulations (live runs and forks) with the
// same sim/ code as the CLI, answers questions about loaded traces and exports them (exportSlots.ts),
// so the page never blocks on a million-event file. Protocol: messages.ts. Errors go back as text
// (a bad trace names its line); nothing thrown here can break the page.
// Leaves out: drawing (the page), persistence (a reload starts over from the URL).
import { InputError } from '../../sim/schemaHelpers.ts';
import { TraceError } from '../../sim/traceReader.ts';
import { columnBuffers } from '../trace/columns.ts';
import { firstDivergence } from '../trace/divergence.ts';
import { describeFault } from '../../sim/faultPlan.ts';
import { KIND_NAMES } from '../trace/columns.ts';
import { exportSlots } from './exportSlots.ts';
import type { ExportedDownload, LoadedTrace, WorkerRequest, WorkerResponse } from './messages.ts';
import { simulateFork, simulateSpec } from './simulate.ts';
import { Slot } from './traceSlots.ts';

const slots = new Map<number, Slot>();
const post = (message: WorkerResponse, transfer: Transferable[] = []): void => (self as unknown as Worker).postMessage(message, transfer);

self.onmessage = (e: MessageEvent<WorkerRequest & { id: number }>) => {
  const { id } = e.data;
  void handle(e.data, id).then(
    (result) => post({ id, type: 'ok', result }, transfers(result)),
    (error: unknown) => post({ id, type: 'error', message: describe(error) }),
  );
};

async function handle(req: WorkerRequest, id: number): Promise<unknown> {
  const progress = (stage: string) => (done: number, total: number) => post({ id, type: 'progress', stage, done, total });
  switch (req.type) {
    case 'load': return load(req.slot, new Uint8Array(req.bytes), req.name, progress('reading'));
    case 'fetch': return load(req.slot, await fetchBytes(req.url, progress('downloading')), req.url, progress('reading'));
    case 'run': {
      progress('simulating')(0, 1);
      const sim = simulateSpec(req.run);
      const loaded = load(req.slot, sim.bytes, `${req.run.protocol} seed ${req.run.flags.seed ?? '1'}`, progress('reading'));
      return { ...loaded, run: req.run, workerMs: sim.ms + loaded.workerMs };
    }
    case 'fork': return fork(req.slot, req.from, req.plan, req.label, progress);
    case 'states': return slot(req.slot).states(req.index);
    case 'event': return slot(req.slot).event(req.index);
    case 'anchors': return slot(req.slot).anchors(req.anchors);
    case 'export': return exportSlots(req.format, req.slots.map(slot), progress);
    case 'free': slots.delete(req.slot); return null;
  }
}

function load(slotId: number, bytes: Uint8Array, name: string, onProgress: (done: number, total: number) => void): LoadedTrace {
  const started = performance.now();
  const s = Slot.index(bytes, name, onProgress);
  slots.set(slotId, s);
  return s.loaded(slotId, name, performance.now() - started);
}

function fork(slotId: number, from: number, plan: { faults: Record<string, unknown>[] }, label: string, progress: (stage: string) => (done: number, total: number) => void): LoadedTrace {
  const base = slot(from);
  progress('simulating')(0, 1);
  const sim = simulateFork(base.trace.header, plan);
  const loaded = load(slotId, sim.bytes, label, progress('reading'));
  const index = firstDivergence(base.trace, slot(slotId).trace);
  const what = index < 0 ? 'the runs are identical' : describeAt(slot(slotId), index);
  return { ...loaded, divergence: { from, index, description: what }, workerMs: sim.ms + loaded.workerMs };
}

function describeAt(s: Slot, index: number): string {
  if (index >= s.trace.columns.count) return 'the fork ends earlier';
  const e = s.read(index);
  const kind = KIND_NAMES[s.trace.columns.kind[index] as number];
  if (kind === 'fault') {
    try {
      return `fault ${String(e.phase)}: ${describeFault(e.fault as never)}`;
    } catch {
      return 'a fault';
    }
  }
  return `${kind ?? 'event'}${typeof e.node === 'number' ? ` at n${e.node}` : typeof e.from === 'number' ? ` n${e.from} -> n${String(e.to)}` : ''}`;
}

async function fetchBytes(url: string, onProgress: (done: number, total: number) => void): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new InputError(`trace URL ${url}: could not be fetched (${(error as Error).message}); the server must allow this page to read it (same origin or CORS)`);
  }
  if (!response.ok) throw new InputError(`trace URL ${url}: the server answered ${response.status} ${response.statusText}`);
  onProgress(0, 1);
  return new Uint8Array(await response.arrayBuffer());
}

function slot(id: number): Slot {
  const s = slots.get(id);
  if (!s) throw new Error(`trace ${id} is not loaded`);
  return s;
}

/** The large buffers of a result, moved to the page rather than copied. */
function transfers(result: unknown): Transferable[] {
  if (typeof result !== 'object' || result === null) return [];
  if ('columns' in result && 'slot' in result) return columnBuffers((result as LoadedTrace).columns);
  if ('bytes' in result && 'fileName' in result) return [(result as ExportedDownload).bytes];
  return [];
}

function describe(error: unknown): string {
  if (error instanceof TraceError || error instanceof InputError) return error.message;
  if (error instanceof RangeError && /memory|allocation|Array buffer/i.test(error.message)) return `out of memory while reading the trace (${error.message}); try a smaller trace`;
  return `internal error in the viewer: ${error instanceof Error ? error.message : String(error)}`;
}
