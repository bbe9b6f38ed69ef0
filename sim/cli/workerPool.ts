// A small pool of worker_threads that runs independent jobs (one simulation each) in parallel and
// returns their results in job order, whatever the number of workers or the order they finish in.
// Each worker loads a TypeScript module through tsx and calls its `runJob(job)` export; it
// freezes states or not as the calling thread does (sim/freezing.ts). The pool
// is synchronous, like FileSink: the caller blocks on a shared counter with Atomics.wait and
// drains each worker's port with receiveMessageOnPort, so the CLI needs no event loop. A job that
// throws, or a module that fails to load, stops the pool with that error. Leaves out: retrying
// failed jobs, and noticing a worker that died silently (only a stall limit catches that).
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { isFreezing } from '../freezing.ts';

/** Minutes without a single finished job after which the pool gives up. */
const STALL_LIMIT_MIN = 15;

// The worker thread: plain CommonJS that registers tsx, loads the job module and answers jobs.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const { port, state, tsx, entry, freezingModule, freezing } = workerData;
const posted = new Int32Array(state);
function post(message) {
  port.postMessage(message);
  Atomics.add(posted, 0, 1);
  Atomics.notify(posted, 0);
}
import(tsx).then((api) => { api.register(); return import(freezingModule); })
  .then((f) => { f.setFreezing(freezing); return import(entry); }).then((mod) => {
  port.on('message', ({ id, job }) => {
    let reply;
    try { reply = { id, result: mod.runJob(job) }; } catch (e) { reply = { id, error: String((e && e.stack) || e) }; }
    post(reply);
  });
}, (e) => post({ id: -1, error: 'cannot load ' + entry + ': ' + String((e && e.stack) || e) }));
`;

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

interface PoolWorker {
  worker: Worker;
  port: MessagePort;
}

/** Runs every job on up to `workers` threads; `order` lists job indices in the order to start them. */
export function runPool<J, R>(entry: URL, jobs: readonly J[], workers: number, onDone: (done: number, total: number) => void, order?: readonly number[]): R[] {
  const queue = (order ?? jobs.map((_, i) => i)).slice();
  const results: R[] = new Array<R>(jobs.length);
  if (jobs.length === 0) return results;
  const posted = new Int32Array(new SharedArrayBuffer(4));
  const pool = Array.from({ length: Math.max(1, Math.min(workers, jobs.length)) }, () => startWorker(entry, posted));
  const send = (w: PoolWorker): void => {
    const id = queue.shift();
    if (id !== undefined) w.port.postMessage({ id, job: jobs[id] });
  };
  try {
    pool.forEach(send);
    let received = 0;
    let lastProgress = performance.now();
    while (received < jobs.length) {
      const seen = Atomics.load(posted, 0);
      if (seen <= received) {
        Atomics.wait(posted, 0, seen, 1_000);
        if (performance.now() - lastProgress > STALL_LIMIT_MIN * 60_000) throw new Error(`the worker pool finished no job for ${STALL_LIMIT_MIN} minutes`);
        continue;
      }
      for (const w of pool) {
        for (let m = receiveMessageOnPort(w.port); m !== undefined; m = receiveMessageOnPort(w.port)) {
          const reply = m.message as Reply;
          if (reply.error !== undefined) throw new Error(`a worker failed${reply.id >= 0 ? ` on job ${reply.id}` : ''}: ${reply.error}`);
          results[reply.id] = reply.result as R;
          received++;
          lastProgress = performance.now();
          onDone(received, jobs.length);
          send(w);
        }
      }
    }
    return results;
  } finally {
    for (const w of pool) {
      w.port.close();
      void w.worker.terminate();
    }
  }
}

function startWorker(entry: URL, posted: Int32Array): PoolWorker {
  const { port1, port2 } = new MessageChannel();
  // A worker freezes (sim/freezing.ts) as this thread does.
  const freezingModule = new URL('../freezing.ts', import.meta.url).href;
  const workerData = { port: port2, state: posted.buffer, tsx: import.meta.resolve('tsx/esm/api'), entry: entry.href, freezingModule, freezing: isFreezing() };
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData, transferList: [port2] });
  return { worker, port: port1 };
}
