// `npm run bench:explore`: for every buggy variant of every protocol (the registry and the
// examples/gcounter user protocol) and every strategy, 10 sweeps (sweep seeds 1..10) each run
// single-threaded until its first failure; prints the median number of runs and of seconds to the
// first failure, the estimate for 2 cores (runs are independent, so a 2-worker sweep takes half the
// single-thread time, worker start-up aside), and the size of the shrunk counterexample of the
// first sweep that failed (faults and events, before and after shrinking). A failing run counts
// only if the correct protocol passes the same schedule; otherwise it is a false alarm (shown as
// "+k false": the failure is not the bug's doing) and the sweep goes on. Sweeps that find nothing
// within the cap count as "not found" (their median is shown as "> cap").
// Then the ordering bugs (exploreBenchOrdering.ts: bugs that fail without faults, and almost never
// once no message can overtake another): PCT's runs to failure against random's, with the usual
// faults and again fault-free (only message order and timing vary), where an ordering strategy
// should show best; and, steadier, the share of failing runs of each strategy over many runs of the
// small scenarios (the target: PCT needs 10x fewer runs). Asserts nothing.
// Arguments: --protocols a,b  --sweeps 10  --cap-s 20  --cap-runs 5000  --max-shrinks 300  --workers 2
//            --ordering-only (just the ordering bugs' sweeps)  --strategies pct,random (default: all)
//            --share-seeds 50  --share-runs 2000 (the per-run shares: runs per sweep seed, seeds 1..N)
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { runPool } from '../../sim/cli/workerPool.ts';
import { STRATEGIES, type Strategy } from '../../sim/explore/strategies.ts';
import type { AnySpec } from '../../sim/protocolSpec.ts';
import { setFreezing } from '../../sim/freezing.ts';
import { median, table } from './common.ts';
import { BENCH_SPECS, type ShareTask, type ShrinkResult, type ShrinkTask, type SweepResult, type SweepTask } from './exploreBenchJob.ts';
import { ORDERING_BUGS, SMALL_SCENARIOS } from './exploreBenchOrdering.ts';


function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const SWEEPS = Number(arg('sweeps', '10'));
const CAP_MS = Number(arg('cap-s', '20')) * 1000;
const CAP_RUNS = Number(arg('cap-runs', '5000'));
const MAX_SHRINKS = Number(arg('max-shrinks', '300'));
const WORKERS = Number(arg('workers', String(Math.min(2, os.availableParallelism()))));
const PROTOCOL_NAMES = arg('protocols', Object.keys(BENCH_SPECS).join(',')).split(',');
const ORDERING_ONLY = process.argv.includes('--ordering-only');
const STRATEGY_NAMES = arg('strategies', STRATEGIES.join(',')).split(',');
for (const name of STRATEGY_NAMES) if (!(STRATEGIES as readonly string[]).includes(name)) throw new Error(`--strategies: "${name}" is not a strategy; expected some of ${STRATEGIES.join(', ')}`);
const JOB = new URL('./exploreBenchJob.ts', import.meta.url);

interface Cell {
  protocol: string;
  bug: string;
  strategy: Strategy;
  /** Sweeps with no faults (the ordering bugs' second measurement). */
  faultFree: boolean;
  /** Sweeps of the bug's small scenario (SMALL_SCENARIOS). */
  small: boolean;
  sweeps: SweepResult[];
  shrink?: ShrinkResult;
}

function say(text = ''): void {
  process.stdout.write(`${text}\n`);
}

function sweepTasks(): SweepTask[] {
  const tasks: SweepTask[] = [];
  for (const protocol of PROTOCOL_NAMES) {
    for (const bug of Object.keys(BENCH_SPECS[protocol]?.bugs ?? {})) {
      const ordering = ORDERING_BUGS.includes(`${protocol} ${bug}`);
      if (ORDERING_ONLY && !ordering) continue;
      const sweep = (strategy: Strategy, s: number): SweepTask => ({ kind: 'sweep', protocol, bug, strategy, sweepSeed: s, capMs: CAP_MS, capRuns: CAP_RUNS });
      const chosen = STRATEGIES.filter((strategy) => STRATEGY_NAMES.includes(strategy));
      for (const strategy of chosen) for (let s = 1; s <= SWEEPS; s++) tasks.push(sweep(strategy, s));
      const baselines = ordering ? chosen.filter((c) => c !== 'swarm') : [];
      const small = SMALL_SCENARIOS[`${protocol} ${bug}`] !== undefined;
      for (const strategy of baselines) {
        for (let s = 1; s <= SWEEPS; s++) {
          tasks.push({ ...sweep(strategy, s), maxFaults: 0 });
          if (small) tasks.push({ ...sweep(strategy, s), small: true }, { ...sweep(strategy, s), small: true, maxFaults: 0 });
        }
      }
    }
  }
  return tasks;
}

function progress(what: string): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    const tenth = Math.floor((done * 10) / total);
    if (tenth !== last) process.stderr.write(`${what}: ${done}/${total}\n`);
    last = tenth;
  };
}

function cells(tasks: SweepTask[], results: SweepResult[]): Cell[] {
  const byKey = new Map<string, Cell>();
  tasks.forEach((t, i) => {
    const faultFree = t.maxFaults === 0;
    const small = t.small === true;
    const key = `${t.protocol}|${t.bug}|${t.strategy}|${faultFree}|${small}`;
    const cell = byKey.get(key) ?? { protocol: t.protocol, bug: t.bug, strategy: t.strategy, faultFree, small, sweeps: [] };
    cell.sweeps.push(results[i] as SweepResult);
    byKey.set(key, cell);
  });
  return [...byKey.values()];
}

/** Median with not-found sweeps counted as worse than any found one; undefined when that median is not found. */
function censoredMedian(sweeps: SweepResult[], pick: (r: SweepResult) => number): number | undefined {
  const values = sweeps.map((r) => (r.found ? pick(r) : Infinity));
  const m = median(values);
  return Number.isFinite(m) ? m : undefined;
}

function row(c: Cell): string[] {
  const found = c.sweeps.filter((r) => r.found).length;
  const falseAlarms = c.sweeps.reduce((n, r) => n + r.falseAlarms, 0);
  const runs = censoredMedian(c.sweeps, (r) => r.runs);
  const ms = censoredMedian(c.sweeps, (r) => r.ms);
  const s = c.shrink;
  return [
    `${c.protocol} ${c.bug}`, c.strategy, `${found}/${c.sweeps.length}${falseAlarms > 0 ? ` (+${falseAlarms} false)` : ''}`,
    runs === undefined ? `> cap` : String(runs),
    ms === undefined ? `> ${CAP_MS / 1000}` : (ms / 1000).toFixed(2),
    ms === undefined ? `> ${CAP_MS / 2000}` : (ms / 2000).toFixed(2),
    s ? `${s.faultsBefore} -> ${s.faultsAfter}` : '-',
    s ? `${s.eventsBefore.toLocaleString('en-US')} -> ${s.eventsAfter.toLocaleString('en-US')}` : '-',
    s ? `${s.candidates} runs, ${(s.ms / 1000).toFixed(1)} s` : '-',
    s ? (s.needsReordering ? 'yes' : 'no') : '-',
    ms !== undefined && ms / 2000 <= 10 ? 'MET' : 'MISSED',
  ];
}

/** The median runs of a cell, as a figure. */
function runsOf(c: Cell | undefined): number | undefined {
  return c ? censoredMedian(c.sweeps, (r) => r.runs) : undefined;
}

/** Random's median runs over PCT's: how many times fewer runs PCT needs. */
function ratio(random: number | undefined, pct: number | undefined): string {
  if (random !== undefined && pct !== undefined) return `${(random / pct).toFixed(1)}x`;
  return pct !== undefined ? 'PCT only' : '-';
}

function orderingRows(all: Cell[], small: boolean): string[][] {
  return ORDERING_BUGS.filter((name) => !small || SMALL_SCENARIOS[name] !== undefined).flatMap((name) => {
    const cellOf = (strategy: Strategy, faultFree: boolean) => all.find((c) => `${c.protocol} ${c.bug}` === name && c.strategy === strategy && c.faultFree === faultFree && c.small === small);
    if (!cellOf('random', false) || !cellOf('pct', false)) return []; // both strategies must have run (see --strategies)
    const find = (strategy: Strategy, faultFree: boolean) => runsOf(cellOf(strategy, faultFree));
    const [r, p, r0, p0] = [find('random', false), find('pct', false), find('random', true), find('pct', true)];
    const met = [[r, p], [r0, p0]].some(([a, b]) => a !== undefined && b !== undefined && a / b >= 10);
    const show = (v: number | undefined) => (v === undefined ? '> cap' : String(v));
    return [[name, show(r), show(p), ratio(r, p), show(r0), show(p0), ratio(r0, p0), met ? 'MET' : 'MISSED']];
  });
}

/**
 * The per-run share of failing runs (small scenarios, fault-free): the first SHARE_RUNS runs of each
 * of sweep seeds 1..SHARE_SEEDS, per strategy (100,000 runs by default: random fails about 1,300 of
 * them, so its share is known to within about 5%, where 10 medians of runs to the first failure
 * swing by a factor of two).
 */
const SHARE_SEEDS = Number(arg('share-seeds', '50'));
const SHARE_RUNS = Number(arg('share-runs', '2000'));

function shareRows(): string[][] {
  const names = ORDERING_BUGS.filter((name) => SMALL_SCENARIOS[name] !== undefined && PROTOCOL_NAMES.includes(name.split(' ')[0] as string));
  const tasks: ShareTask[] = names.flatMap((name) => (['random', 'pct'] as const).flatMap((strategy) =>
    Array.from({ length: SHARE_SEEDS }, (_, i) => ({ kind: 'share' as const, protocol: name.split(' ')[0] as string, bug: name.split(' ')[1] as string, strategy, sweepSeed: i + 1, runs: SHARE_RUNS }))));
  const failing = runPool<ShareTask, number>(JOB, tasks, WORKERS, progress('share runs'));
  const total = (name: string, strategy: Strategy) => tasks.reduce((sum, t, i) => sum + (`${t.protocol} ${t.bug}` === name && t.strategy === strategy ? (failing[i] as number) : 0), 0);
  const runs = SHARE_SEEDS * SHARE_RUNS;
  return names.map((name) => {
    const [random, pct] = [total(name, 'random'), total(name, 'pct')];
    const pc = (x: number) => `${x.toLocaleString('en-US')} (${((100 * x) / runs).toFixed(2)}%)`;
    const ratio = random > 0 ? pct / random : Infinity;
    return [name, pc(random), pc(pct), random > 0 ? `${ratio.toFixed(1)}x` : 'PCT only', ratio >= 10 ? 'MET' : 'MISSED'];
  });
}

function main(): void {
  const started = performance.now();
  say(`faultlab explore benchmark: node ${process.version}, ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${os.cpus().length} logical CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  say(`${SWEEPS} sweeps (sweep seeds 1..${SWEEPS}) per bug and strategy, each single-threaded, capped at ${CAP_MS / 1000} s or ${CAP_RUNS} runs; ${WORKERS} sweeps at a time.`);
  const tasks = sweepTasks();
  const results = runPool<SweepTask, SweepResult>(JOB, tasks, WORKERS, progress('sweeps'));
  const all = cells(tasks, results);
  const shrinks: ShrinkTask[] = all.flatMap((c) => {
    const i = c.sweeps.findIndex((r) => r.found);
    return i < 0 || c.faultFree || c.small ? [] : [{ kind: 'shrink' as const, protocol: c.protocol, bug: c.bug, strategy: c.strategy, sweepSeed: i + 1, id: (c.sweeps[i] as SweepResult).id, maxShrinks: MAX_SHRINKS }];
  });
  const shrunk = runPool<ShrinkTask, ShrinkResult>(JOB, shrinks, WORKERS, progress('shrinks'));
  shrinks.forEach((t, i) => {
    const cell = all.find((c) => c.protocol === t.protocol && c.bug === t.bug && c.strategy === t.strategy && !c.faultFree && !c.small) as Cell;
    cell.shrink = shrunk[i];
  });
  say();
  say(table(['bug', 'strategy', 'found', 'runs (median)', '1 core s (median)', '2 cores s (est.)', 'faults (shrunk)', 'events (shrunk)', 'shrinking', 'reordering', '<= 10 s'], all.filter((c) => !c.faultFree && !c.small).map(row)));
  say();
  say('"reordering": the shrunk counterexample stops failing when no message is reordered (one fixed latency, the');
  say('minimum and again the maximum, FIFO links, no PCT; loss and duplicates as they were).');
  say('Ordering bugs (exploreBenchOrdering.ts): median runs to the first failure, random against PCT, with faults and');
  say('fault-free (target: PCT needs 10x fewer).');
  const heads = ['bug', 'random runs', 'pct runs', 'random / pct', 'fault-free: random runs', 'pct runs', 'random / pct', 'target'];
  say(table(heads, orderingRows(all, false)));
  say('The same in each bug\'s small scenario (exploreBenchOrdering.ts: 2pc, 3 clients with one transaction each, refuse=0.5):');
  say(table(heads, orderingRows(all, true)));
  say(`Per run, in the small scenario, fault-free: failing runs among the first ${SHARE_RUNS.toLocaleString('en-US')} runs of sweep seeds 1..${SHARE_SEEDS}`);
  say(`(${(SHARE_SEEDS * SHARE_RUNS).toLocaleString('en-US')} runs per strategy); PCT's share over random's is how many times fewer runs PCT needs on average:`);
  say(table(['bug', 'random: failing runs', 'pct: failing runs', 'pct / random', 'target 10x'], shareRows()));
  say();
  say(`load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; total ${((performance.now() - started) / 1000).toFixed(0)} s.`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  setFreezing(false); // as the CLI explores faultlab's own protocols; the workers follow (sim/freezing.ts)
  main();
}
