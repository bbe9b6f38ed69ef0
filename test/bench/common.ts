// Helpers shared by the benchmarks: peak-memory sampling, running one case in a fresh child
// process (so memory peaks never mix), medians and number formatting. Benchmarks print figures and
// assert nothing. Leaves out: statistics beyond best/median (runs are few and long).
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import v8 from 'node:v8';
import type { Rng } from '../../sim/rng.ts';
import fs from 'node:fs';
import { runSimulation } from '../../sim/engine.ts';
import { formatFaultPlan, type FaultPlan } from '../../sim/faultPlan.ts';
import type { AnySpec } from '../../sim/protocolSpec.ts';
import type { RunOptions } from '../../sim/runOptions.ts';
import { Tracer } from '../../sim/tracer.ts';
import { FileSink } from '../../sim/cli/fileSink.ts';


export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** True when `moduleUrl` is the script node was started with (not merely imported). */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && pathToFileURL(path.resolve(entry)).href === moduleUrl;
}

/** Full collection, when node runs with --expose-gc (npm run bench does); otherwise nothing. */
export function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

/** Tracks the largest V8 heap-used figure seen by sample(); cheap enough to call every few thousand events. */
export class PeakHeap {
  peak = 0;
  samples = 0;

  sample(): void {
    this.samples++;
    const used = v8.getHeapStatistics().used_heap_size;
    if (used > this.peak) this.peak = used;
  }
}

export interface MemoryFigures {
  /** Heap used after a full GC, just before the measured work. */
  heapBefore: number;
  /** Largest heap used sampled during the measured work. */
  heapPeak: number;
  /** RSS just before the measured work (node + tsx + loaded modules). */
  rssBefore: number;
  /** The process's peak resident set size (getrusage maxrss), for the whole child process. */
  rssPeak: number;
}

export function heapUsedNow(): number {
  return v8.getHeapStatistics().used_heap_size;
}

export function rssPeakNow(): number {
  return process.resourceUsage().maxRSS * 1024;
}

const RESULT_PREFIX = 'BENCH-RESULT ';

/** A child case reports its figures as one JSON line on stdout. */
export function report(result: unknown): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

/** Runs `script args...` under `node --expose-gc --import tsx` in a fresh process and returns its reported JSON. */
export function runChild<T>(script: string, args: string[]): T {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.error) throw child.error;
  const line = child.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (child.status !== 0 || line === undefined) {
    throw new Error(`bench child ${path.basename(script)} ${args.join(' ')} failed (status ${child.status}, signal ${child.signal}):\n${child.stdout}`);
  }
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as T;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** 12345678 -> "12.35 M"; 1234 -> "1,234". */
export function rate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M`;
  return Math.round(perSecond).toLocaleString('en-US');
}

export function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A plain text table with a header row; columns are right-aligned except the first. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * Passes every draw through unchanged; samples heap used every `every` draws (a power of two)
 * across all forks, so peak heap is seen without a timer (runs are synchronous).
 */
export class SamplingRng implements Rng {
  constructor(
    private readonly inner: Rng,
    private readonly counter: { draws: number; heap: PeakHeap; every: number },
  ) {}

  next(): number {
    if ((++this.counter.draws & (this.counter.every - 1)) === 0) this.counter.heap.sample();
    return this.inner.next();
  }

  fork(name: string): Rng {
    return new SamplingRng(this.inner.fork(name), this.counter);
  }
}

/** A trace header for a bench run (the same fields `faultlab run` writes). */
export function benchHeader(spec: AnySpec, options: RunOptions, plan: FaultPlan) {
  return { faultlab: 1, seed: options.seed, protocol: spec.name, options, faultPlan: formatFaultPlan(plan) };
}

/**
 * One timed run, traced through the CLI's FileSink into `file` when `tracing` (the file is deleted
 * afterwards), with the trace size checked against what the sink wrote.
 */
export function timedRun(spec: AnySpec, options: RunOptions, plan: FaultPlan, file: string, tracing: boolean, rng: Rng) {
  try {
    const t0 = performance.now();
    const sink = tracing ? new FileSink(file) : undefined;
    const tracer = sink ? new Tracer(sink, benchHeader(spec, options, plan)) : undefined;
    const result = runSimulation(spec, options, plan, tracer ? { tracer, rng } : { rng });
    sink?.commit();
    const wallSeconds = (performance.now() - t0) / 1000;
    let traceBytes = 0;
    let traceLines = 0;
    if (sink && tracer) {
      traceBytes = sink.bytes;
      traceLines = tracer.events + 2; // header and footer around the events
      if (fs.statSync(file).size !== traceBytes) throw new Error(`trace file size ${fs.statSync(file).size} != bytes written ${traceBytes}`);
    }
    return { result, wallSeconds, traceBytes, traceLines };
  } finally {
    fs.rmSync(file, { force: true });
  }
}
