// A trace sink that writes the Tracer's byte chunks to a temporary file beside the target, on a
// worker thread so the simulation does not wait for the disk, and renames the file into place only
// when the run finished: an aborted run leaves no partial trace behind. At most MAX_IN_FLIGHT
// chunks wait for the writer; beyond that the simulation blocks until the disk catches up, so a
// slow disk bounds memory instead of growing it.
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { InputError } from '../schemaHelpers.ts';
import type { ByteSink } from '../tracer.ts';

const MAX_IN_FLIGHT = 8;
/** Seconds the simulation waits for a stalled writer before giving up with an error. */
const WAIT_LIMIT_S = 120;
/** Shared counters: [0] chunks written, [1] 1 once the file is closed, [2] 1 if a write failed. */
const WRITTEN = 0;
const CLOSED = 1;
const FAILED = 2;

// The writer thread: plain CommonJS, so it needs no TypeScript loader.
const WRITER = `
const { workerData, parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const state = new Int32Array(workerData.state);
const errors = workerData.errors;
let fd;
try { fd = fs.openSync(workerData.path, 'w'); } catch (e) { fail(e); }
parentPort.on('message', (chunk) => {
  try {
    if (chunk === 'close') {
      if (fd !== undefined) fs.closeSync(fd);
      fd = undefined;
      Atomics.store(state, ${CLOSED}, 1);
      Atomics.notify(state, ${CLOSED});
      return;
    }
    let offset = 0;
    while (fd !== undefined && offset < chunk.length) offset += fs.writeSync(fd, chunk, offset, chunk.length - offset);
  } catch (e) { fail(e); }
  Atomics.add(state, ${WRITTEN}, 1);
  Atomics.notify(state, ${WRITTEN});
});
function fail(e) {
  fd = undefined;
  errors.postMessage(String((e && e.message) || e));
  Atomics.store(state, ${FAILED}, 1);
}
`;

export class FileSink implements ByteSink {
  private readonly tmp: string;
  private readonly state = new Int32Array(new SharedArrayBuffer(12));
  private readonly worker: Worker;
  /** The writer reports a failed write here; read synchronously, as the event loop is not running. */
  private readonly errors: MessagePort;
  private sent = 0;
  bytes = 0;

  constructor(private readonly path: string) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw new InputError(`--out: cannot create the folder for ${path}: ${(error as Error).message}`);
    }
    this.tmp = `${path}.tmp-${process.pid}`;
    const { port1, port2 } = new MessageChannel();
    this.errors = port1;
    this.worker = new Worker(WRITER, { eval: true, workerData: { path: this.tmp, state: this.state.buffer, errors: port2 }, transferList: [port2] });
    this.worker.unref();
  }

  writeBytes(chunk: Uint8Array): void {
    if (Atomics.load(this.state, FAILED) === 1) return; // commit() reports the failure
    for (let waited = 0; this.sent - Atomics.load(this.state, WRITTEN) >= MAX_IN_FLIGHT; waited++) {
      if (waited >= WAIT_LIMIT_S) throw new Error(`the trace writer thread made no progress for ${WAIT_LIMIT_S}s`);
      Atomics.wait(this.state, WRITTEN, Atomics.load(this.state, WRITTEN), 1_000);
    }
    const copy = chunk.slice();
    this.worker.postMessage(copy, [copy.buffer]);
    this.sent++;
    this.bytes += chunk.length;
  }

  /** Makes the file whole: waits for the writer, then renames the temporary file into place. */
  commit(): void {
    this.close();
    if (Atomics.load(this.state, FAILED) === 1) {
      rmSync(this.tmp, { force: true });
      const message = receiveMessageOnPort(this.errors)?.message as string | undefined;
      throw new InputError(`--out: cannot write ${this.path}: ${message ?? 'unknown error'}`);
    }
    renameSync(this.tmp, this.path);
  }

  /** Throws the partial file away (after the writer has closed it, so it cannot reappear). */
  abort(): void {
    this.close();
    rmSync(this.tmp, { force: true });
  }

  private close(): void {
    this.worker.postMessage('close');
    for (let waited = 0; Atomics.load(this.state, CLOSED) === 0; waited++) {
      if (waited >= WAIT_LIMIT_S) throw new Error(`the trace writer thread did not finish within ${WAIT_LIMIT_S}s`);
      Atomics.wait(this.state, CLOSED, 0, 1_000);
    }
    void this.worker.terminate();
    this.errors.close();
  }
}
