// The page's side of the trace worker: turns requests into promises, routes progress reports to
// the caller, and hands out slot numbers. If the worker itself dies (out of memory on a huge
// file), every pending request fails with that reason and a fresh worker is started.
// Leaves out: what the requests mean (messages.ts, traceWorker.ts).
import type { ExportFormat } from '../../sim/export/formats.ts';
import type { Anchor } from '../lessons/anchor.ts';
import type { RunSpec } from '../run/runSpec.ts';
import type { EventView, ExportedDownload, LoadedTrace, NodeView, WorkerRequest, WorkerResponse } from '../worker/messages.ts';

type Progress = (stage: string, done: number, total: number) => void;
interface Pending { resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: Progress }

export class WorkerClient {
  private worker: Worker;
  private nextId = 1;
  private nextSlot = 1;
  private readonly pending = new Map<number, Pending>();

  constructor() {
    this.worker = this.start();
  }

  private start(): Worker {
    const worker = new Worker(new URL('../worker/traceWorker.ts', import.meta.url), { type: 'module', name: 'faultlab-trace' });
    worker.onmessage = (e: MessageEvent<WorkerResponse>) => this.receive(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      this.failAll(`the trace worker stopped: ${e.message || 'it ran out of memory or failed to load'}`);
      this.worker.terminate();
      this.worker = this.start();
    };
    return worker;
  }

  private receive(msg: WorkerResponse): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') return p.progress?.(msg.stage, msg.done, msg.total);
    this.pending.delete(msg.id);
    if (msg.type === 'ok') p.resolve(msg.result);
    else p.reject(new Error(msg.message));
  }

  private failAll(reason: string): void {
    for (const p of this.pending.values()) p.reject(new Error(reason));
    this.pending.clear();
  }

  private request<T>(req: WorkerRequest, progress?: Progress, transfer: Transferable[] = []): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, ...(progress ? { progress } : {}) });
      this.worker.postMessage({ ...req, id }, transfer);
    });
  }

  newSlot(): number {
    return this.nextSlot++;
  }

  load(name: string, bytes: ArrayBuffer, progress?: Progress): Promise<LoadedTrace> {
    return this.request({ type: 'load', slot: this.newSlot(), name, bytes }, progress, [bytes]);
  }

  fetch(url: string, progress?: Progress): Promise<LoadedTrace> {
    return this.request({ type: 'fetch', slot: this.newSlot(), url }, progress);
  }

  run(run: RunSpec, progress?: Progress): Promise<LoadedTrace> {
    return this.request({ type: 'run', slot: this.newSlot(), run }, progress);
  }

  fork(from: number, plan: { faults: Record<string, unknown>[] }, label: string, progress?: Progress): Promise<LoadedTrace> {
    return this.request({ type: 'fork', slot: this.newSlot(), from, plan, label }, progress);
  }

  states(slot: number, index: number): Promise<NodeView[]> {
    return this.request({ type: 'states', slot, index });
  }

  event(slot: number, index: number): Promise<EventView> {
    return this.request({ type: 'event', slot, index });
  }

  anchors(slot: number, anchors: Anchor[]): Promise<number[]> {
    return this.request({ type: 'anchors', slot, anchors });
  }

  /** The slots' traces as one file of the format (only ShiViz takes several). */
  export(slots: number[], format: ExportFormat, progress?: Progress): Promise<ExportedDownload> {
    return this.request({ type: 'export', slots, format }, progress);
  }

  free(slot: number): void {
    void this.request({ type: 'free', slot }).catch(() => undefined);
  }
}
