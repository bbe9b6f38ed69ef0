// End-to-end benchmark: the standard scenario raft-5 (issue 4, benchmark a). Raft with its
// default config on 5 nodes, 10 clients (each waits for its answer, then thinks THINK_US, which
// gives about 50 operations per second in all; the achieved rate is measured and reported),
// latency uniform 1-5 ms, 5% loss on every link, seed 1, a 60 s fault phase and Raft's default
// heal phase. Fault plan: two partitions ([[n1,n2],[n3,n4,n5]] at 10 s for 5 s and
// [[n1],[n2..n5]] at 40 s for 5 s) and one crash of the leader at 25 s for 3 s. The leader is not
// known in advance, so it is found deterministically: the scenario without the crash runs up to
// 25 s (the virtual-time guard stops it there) with a Tracer on a line sink that follows the
// "role" notes (Raft notes "leader" and "role" when a node becomes leader, "role" when it steps
// down); the node that is leader in the highest term at 25 s is crashed. Then the scenario with
// that crash runs up to 25 s again and must name the same leader (the guard's event is queued
// before the crash at that time, so this is an exact prefix of the real run: the crash hits the
// leader). The whole run ends with Raft's checkers' verdict, which must be pass.
// Run by runSimulation exactly as the CLI runs it, with tracing off or on; tracing on is a real
// Tracer writing every line to a file in os.tmpdir() through the CLI's FileSink (1 MiB chunks
// written by a worker thread, then renamed into place); the file is deleted after each run.
// Freezing (sim/freezing.ts) is off, as the CLI runs faultlab's own protocols; a fourth argument
// `frozen` runs with it on, as the library and the tests do. One mode per process:
//   node --expose-gc --import tsx test/bench/raftEndToEnd.ts <on|off> <warmups> <runs> [frozen]
// A run takes a fraction of a second, so a process does the leader search, a full GC (the "before"
// memory figures are taken then), `warmups` whole runs of the same scenario (traced into a
// discarding byte sink when the measured runs are traced, so the same code gets optimised), then
// `runs` measured runs back to back; it reports every measured run's wall time (the figures other
// than time are the same in every run: it is one seeded run). There is no full GC between the
// measured runs: a forced full GC (global.gc) makes V8 throw away much of its optimised code, so
// the run after it spends its time re-optimising (about 1.5x the wall time of a run here). Peak
// heap is sampled through the measured runs' root Rng (a pass-through wrapper: same draws, same
// run), peak RSS is the process's getrusage maxrss.
import os from 'node:os';
import path from 'node:path';
import { runSimulation, type RunResult } from '../../sim/engine.ts';
import { parseFaultPlan, type FaultPlan } from '../../sim/faultPlan.ts';
import { resolveRun, type RunRequest } from '../../sim/resolveRun.ts';
import { setFreezing } from '../../sim/freezing.ts';
import { SeedRng } from '../../sim/rng.ts';
import { Tracer } from '../../sim/tracer.ts';
import { raftSpec } from '../../protocols/raft/spec.ts';
import { collect, heapUsedNow, isMain, PeakHeap, report, rssPeakNow, SamplingRng, type MemoryFigures, benchHeader, timedRun } from './common.ts';

export const SEED = 1;
export const RAFT_NODES = 5;
export const CLIENTS = 10;
/** Think time after each answer: with answers taking ~20 ms, 10 clients offer about 50 operations/s. */
export const THINK_US = 175_000;
export const LATENCY_US: readonly [number, number] = [1_000, 5_000];
export const LOSS = 0.05;
export const FAULT_PHASE_US = 60_000_000;
export const PARTITIONS: readonly { at: number; for: number; groups: number[][] }[] = [
  { at: 10_000_000, for: 5_000_000, groups: [[1, 2], [3, 4, 5]] },
  { at: 40_000_000, for: 5_000_000, groups: [[1], [2, 3, 4, 5]] },
];
export const CRASH_AT_US = 25_000_000;
export const CRASH_FOR_US = 3_000_000;
/** Heap is sampled every this many random draws. */
const SAMPLE_EVERY = 1 << 10;

export interface RaftEndToEndResult extends MemoryFigures {
  tracing: boolean;
  /** The node found leading at CRASH_AT_US, and its term. */
  leader: number;
  leaderTerm: number;
  /** Wall seconds of each measured run (runSimulation plus, traced, the final flush and close). */
  wallSeconds: number[];
  steps: number;
  events: number;
  virtualUs: number;
  healUs: number;
  verdict: string;
  invoked: number;
  /** Client operations that got an answer (ok or fail; not timed out). */
  answered: number;
  ok: number;
  fail: number;
  info: number;
  sent: number;
  traceHash: string | undefined;
  traceBytes: number;
  traceLines: number;
  heapSamples: number;
}

function plan(crashed: number | undefined): FaultPlan {
  const faults: Record<string, unknown>[] = PARTITIONS.map((p) => ({ type: 'partition', at: p.at, for: p.for, groups: p.groups }));
  if (crashed !== undefined) faults.push({ type: 'crash', node: crashed, at: CRASH_AT_US, for: CRASH_FOR_US });
  return parseFaultPlan({ faults }, RAFT_NODES, FAULT_PHASE_US);
}

export function request(stopAtUs?: number): RunRequest {
  return {
    seed: SEED,
    nodes: RAFT_NODES,
    faultPhaseUs: FAULT_PHASE_US,
    network: { latency: { dist: 'uniform', minUs: LATENCY_US[0], maxUs: LATENCY_US[1] }, loss: LOSS },
    clients: { count: CLIENTS, thinkUs: THINK_US },
    ...(stopAtUs !== undefined ? { limits: { maxVirtualUs: stopAtUs } } : {}),
  };
}


/** Runs the scenario (with `crashed` crashed at CRASH_AT_US, if given) up to CRASH_AT_US and returns who leads then. */
function leaderAtCrash(crashed: number | undefined): { node: number; term: number } {
  const p = plan(crashed);
  const options = resolveRun(raftSpec, request(CRASH_AT_US), p);
  const roles = new Map<number, { role: string; term: number }>();
  const sink = {
    write(line: string) {
      if (!line.includes('"kind":"note"') || !line.includes('"name":"role"')) return;
      const e = JSON.parse(line) as { node: number; data: { role: string; term: number } };
      roles.set(e.node, e.data);
    },
  };
  const result = runSimulation(raftSpec, options, p, { tracer: new Tracer(sink, benchHeader(raftSpec, options, p)) });
  if (result.endUs !== CRASH_AT_US) throw new Error(`the run to the crash ended at ${result.endUs} us, not ${CRASH_AT_US} us`);
  let best: { node: number; term: number } | undefined;
  for (const [node, r] of roles) if (r.role === 'leader' && (best === undefined || r.term > best.term)) best = { node, term: r.term };
  if (best === undefined) throw new Error(`no leader at ${CRASH_AT_US} us`);
  return best;
}

/** Finds the leader at the crash time (see the header) and checks the real run leads up to it the same way. */
export function findLeader(): { node: number; term: number } {
  const found = leaderAtCrash(undefined);
  const check = leaderAtCrash(found.node);
  if (check.node !== found.node || check.term !== found.term) throw new Error(`with the crash planned, n${check.node} (term ${check.term}) leads at the crash, not n${found.node}`);
  return found;
}


export function runCase(tracing: boolean, warmups: number, runs: number): RaftEndToEndResult {
  const leader = findLeader();
  const p = plan(leader.node);
  const options = resolveRun(raftSpec, request(), p);
  collect();
  const heapBefore = heapUsedNow();
  const rssBefore = process.memoryUsage().rss;
  for (let i = 0; i < warmups; i++) {
    const tracer = tracing ? new Tracer({ writeBytes() {} }, benchHeader(raftSpec, options, p)) : undefined;
    runSimulation(raftSpec, options, p, tracer ? { tracer } : {});
  }
  const file = path.join(os.tmpdir(), `faultlab-bench-${process.pid}-raft5.jsonl`);
  const heap = new PeakHeap();
  const wallSeconds: number[] = [];
  let last: { result: RunResult; traceBytes: number; traceLines: number } | undefined;
  for (let i = 0; i < runs; i++) {
    heap.sample();
    const rng = new SamplingRng(SeedRng.fromSeed(options.seed), { draws: 0, heap, every: SAMPLE_EVERY });
    const run = timedRun(raftSpec, options, p, file, tracing, rng);
    heap.sample();
    if (last && run.result.traceHash !== last.result.traceHash) throw new Error('two runs of the same scenario gave different trace hashes');
    wallSeconds.push(run.wallSeconds);
    last = run;
  }
  if (!last) throw new Error('no measured run');
  const { result } = last;
  const m = result.metrics;
  const answered = result.history.filter((h) => h.completeUs !== null && (h.outcome === 'ok' || h.outcome === 'fail')).length;
  return {
    tracing,
    leader: leader.node,
    leaderTerm: leader.term,
    wallSeconds,
    steps: m.steps,
    events: m.events,
    virtualUs: result.endUs,
    healUs: options.healUs,
    verdict: result.verdict.kind === 'guard' ? `guard (${result.verdict.reason})` : result.verdict.kind,
    invoked: m.clients.invoked,
    answered,
    ok: m.clients.ok,
    fail: m.clients.fail,
    info: m.clients.info,
    sent: m.messages.sent,
    traceHash: result.traceHash,
    traceBytes: last.traceBytes,
    traceLines: last.traceLines,
    heapSamples: heap.samples,
    heapBefore,
    heapPeak: heap.peak,
    rssBefore,
    rssPeak: rssPeakNow(),
  };
}

if (isMain(import.meta.url)) {
  const [mode, warmups, runs, frozen] = process.argv.slice(2);
  const w = Number(warmups);
  const r = Number(runs);
  if (!((mode === 'on' || mode === 'off') && Number.isInteger(w) && w >= 0 && Number.isInteger(r) && r >= 1 && (frozen === undefined || frozen === 'frozen'))) {
    console.error('usage: raftEndToEnd.ts <on|off> <warmups> <runs> [frozen]');
    process.exit(2);
  }
  setFreezing(frozen === 'frozen');
  report(runCase(mode === 'on', w, r));
}
