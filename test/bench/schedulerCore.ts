// Scheduler core benchmark: 1,000 timers, each re-armed with a random delay every time it fires,
// for 10,000,000 events, driven two ways in one process:
//  (a) faultlab: sim/eventQueue.ts driven as the engine drives it: pop the earliest item, check its
//      token against a per-timer token table (the engine's lazy cancellation), give the timer a new
//      token and push the fired timer's QueueItem back (NodeEffects re-uses the fired timer's item
//      for the first timer its step sets);
//  (b) bare: a flatqueue heap popping a timer id and pushing it back; nothing else.
// Both draw delays from the same precomputed array (seedrandom, fixed seed), in the same order.
// Timer i starts at i us and every delay is a whole number of milliseconds, so no two timers ever
// share a time: both queues pop exactly the same sequence, and the checksums printed prove it.
// A third loop, faultlab-alloc, is a diagnostic: (a) allocating a new item per push, as the engine
// does for messages.
// Modes (argv): "timing" (all loops, warm-up then alternating runs, in this process) and
// "memory <impl>" (one run of one loop, for peak heap and RSS in a fresh process).
import FlatQueue from 'flatqueue';
import seedrandom from 'seedrandom';
import { EventQueue } from '../../sim/eventQueue.ts';
import { K } from '../../sim/engine.ts';
import type { QueueItem } from '../../sim/nodeRuntime.ts';
import { collect, heapUsedNow, isMain, median, PeakHeap, report, rssPeakNow, type MemoryFigures } from './common.ts';

export const TIMERS = 1_000;
export const EVENTS = 10_000_000;
export const RUNS = 5;
const WARMUP_EVENTS = 1_000_000;
const WARMUP_ROUNDS = 3;
const CHUNK = 1 << 16;
const DELAY_COUNT = 1 << 20;
const DELAY_MASK = DELAY_COUNT - 1;

/** Whole milliseconds from 1 ms to 200 ms, in microseconds (like heartbeat and election timers). */
const DELAYS: Int32Array = (() => {
  const rng = seedrandom.alea('faultlab-bench-scheduler');
  const out = new Int32Array(DELAY_COUNT);
  for (let i = 0; i < DELAY_COUNT; i++) out[i] = 1_000 * (1 + Math.floor(rng() * 200));
  return out;
})();

export type Impl = 'faultlab' | 'bare' | 'faultlab-alloc';

export interface LoopResult {
  /** Order-sensitive checksum of the fired timer ids; equal for both loops when the work is equal. */
  checksum: number;
  /** Virtual time of the last event. */
  lastTime: number;
}

const KEYS = Array.from({ length: TIMERS }, (_, i) => `t${i}`);

/** The queue both faultlab loops start from: timer i armed at i us with token i + 1. (The loops
 *  themselves stay separate, so neither pays for a branch the other needs.) */
function armedQueue(): { queue: EventQueue<QueueItem>; tokens: Int32Array } {
  const queue = new EventQueue<QueueItem>();
  const tokens = new Int32Array(TIMERS);
  for (let i = 0; i < TIMERS; i++) {
    tokens[i] = i + 1;
    queue.push(i, { k: K.TIMER, node: i, from: 0, id: 0, token: i + 1, data: KEYS[i] });
  }
  return { queue, tokens };
}

/**
 * (a) faultlab's EventQueue, driven the way Simulation.loop / NodeEffects.fireTimer drive it: the
 * fired timer's item is pushed back. With `allocate`, the diagnostic (a'): a new QueueItem per
 * push, as the engine does for messages, which shows the cost of allocation.
 */
export function faultlabLoop(events: number, onChunk?: () => void, allocate = false): LoopResult {
  const { queue, tokens } = armedQueue();
  let nextToken = TIMERS + 1;
  let checksum = 0;
  let lastTime = 0;
  let ev = 0;
  while (ev < events) {
    const end = Math.min(events, ev + CHUNK);
    for (; ev < end; ev++) {
      const t = queue.peekTime();
      const item = queue.pop() as QueueItem;
      const timer = item.node;
      if (item.token !== tokens[timer]) continue; // stale: cancelled or re-armed (never here: one live item per timer)
      const token = nextToken++;
      tokens[timer] = token;
      checksum = (Math.imul(checksum, 31) + timer) | 0;
      lastTime = t;
      const at = t + (DELAYS[ev & DELAY_MASK] as number);
      if (allocate) {
        queue.push(at, { k: K.TIMER, node: timer, from: 0, id: 0, token, data: KEYS[timer] });
        continue;
      }
      item.k = K.TIMER;
      item.data = KEYS[timer];
      item.token = token;
      queue.push(at, item);
    }
    onChunk?.();
  }
  return { checksum, lastTime };
}

/** (b) flatqueue: the same pops and pushes, timer ids as items, nothing else. */
export function bareLoop(events: number, onChunk?: () => void): LoopResult {
  const queue = new FlatQueue<number>();
  for (let i = 0; i < TIMERS; i++) queue.push(i, i);
  let checksum = 0;
  let lastTime = 0;
  let ev = 0;
  while (ev < events) {
    const end = Math.min(events, ev + CHUNK);
    for (; ev < end; ev++) {
      const t = queue.peekValue() as number;
      const timer = queue.pop() as number;
      checksum = (Math.imul(checksum, 31) + timer) | 0;
      lastTime = t;
      queue.push(timer, t + (DELAYS[ev & DELAY_MASK] as number));
    }
    onChunk?.();
  }
  return { checksum, lastTime };
}

const LOOPS: Record<Impl, (events: number, onChunk?: () => void) => LoopResult> = { faultlab: faultlabLoop, bare: bareLoop, 'faultlab-alloc': (events, onChunk) => faultlabLoop(events, onChunk, true) };

export interface ImplTiming {
  /** Events per second of each measured run, in run order. */
  runs: number[];
  median: number;
  best: number;
  /** Largest heap used sampled during any measured run (same process as the other loop). */
  heapPeak: number;
  checksum: number;
  lastTime: number;
}

export interface TimingResult {
  timers: number;
  events: number;
  warmup: string;
  faultlab: ImplTiming;
  bare: ImplTiming;
  'faultlab-alloc': ImplTiming;
}

/**
 * All loops in this process: warm-up rounds, then RUNS measured runs of each, the order of (a) and
 * (b) alternating from run to run so drift in machine speed hits both alike.
 */
export function timing(): TimingResult {
  const impls = Object.keys(LOOPS) as Impl[];
  for (let r = 0; r < WARMUP_ROUNDS; r++) for (const impl of impls) LOOPS[impl](WARMUP_EVENTS);
  const rates: Record<Impl, number[]> = { faultlab: [], bare: [], 'faultlab-alloc': [] };
  const peaks: Record<Impl, number> = { faultlab: 0, bare: 0, 'faultlab-alloc': 0 };
  const results: Partial<Record<Impl, LoopResult>> = {};
  for (let r = 0; r < RUNS; r++) {
    const order: Impl[] = r % 2 === 0 ? ['faultlab', 'bare', 'faultlab-alloc'] : ['bare', 'faultlab', 'faultlab-alloc'];
    for (const impl of order) {
      collect();
      const heap = new PeakHeap();
      const t0 = performance.now();
      const result = LOOPS[impl](EVENTS, () => heap.sample());
      const seconds = (performance.now() - t0) / 1000;
      rates[impl].push(EVENTS / seconds);
      peaks[impl] = Math.max(peaks[impl], heap.peak);
      results[impl] = result;
    }
  }
  const summarise = (impl: Impl): ImplTiming => ({
    runs: rates[impl],
    median: median(rates[impl]),
    best: Math.max(...rates[impl]),
    heapPeak: peaks[impl],
    checksum: (results[impl] as LoopResult).checksum,
    lastTime: (results[impl] as LoopResult).lastTime,
  });
  return {
    timers: TIMERS,
    events: EVENTS,
    warmup: `${WARMUP_ROUNDS} x ${WARMUP_EVENTS.toLocaleString('en-US')} events per loop`,
    faultlab: summarise('faultlab'),
    bare: summarise('bare'),
    'faultlab-alloc': summarise('faultlab-alloc'),
  };
}

export interface MemoryResult extends MemoryFigures {
  impl: Impl;
  eventsPerSecond: number;
}

/** One run of one loop in a fresh process, sampling heap used after every chunk of events. */
export function memory(impl: Impl): MemoryResult {
  collect();
  const heapBefore = heapUsedNow();
  const rssBefore = process.memoryUsage().rss;
  const heap = new PeakHeap();
  heap.sample();
  const t0 = performance.now();
  LOOPS[impl](EVENTS, () => heap.sample());
  const seconds = (performance.now() - t0) / 1000;
  return { impl, eventsPerSecond: EVENTS / seconds, heapBefore, heapPeak: heap.peak, rssBefore, rssPeak: rssPeakNow() };
}

if (isMain(import.meta.url)) {
  const [mode, impl] = process.argv.slice(2);
  if (mode === 'timing') report(timing());
  else if (mode === 'memory' && impl !== undefined && impl in LOOPS) report(memory(impl as Impl));
  else {
    console.error('usage: schedulerCore.ts timing | memory <faultlab|bare|faultlab-alloc>');
    process.exit(2);
  }
}
