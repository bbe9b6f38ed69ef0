// `faultlab compare <protocols...>`: runs every protocol on the same scenarios (for each cluster
// size and seed: network loss and latency as given, a fault phase with permanent crashes drawn
// from the seed, each protocol's default settings and heal phase), untraced, on a pool of worker
// threads, and prints per cluster size a table of medians and p95s of the protocols' own metrics
// (or, with --json, every run's figures and the table). Exit code: 0 when every run passed its
// checks, 1 otherwise; bad input throws InputError (exit 2 in main.ts). Leaves out: protocol
// settings (--set) and bugs, which would not mean the same thing across protocols.
import { availableParallelism } from 'node:os';
import { PROTOCOLS, protocolNames } from '../../protocols/registry.ts';
import { crashWindowMs, drawCrashPlan } from '../crashPlan.ts';
import { humanDuration } from '../duration.ts';
import type { AnySpec } from '../protocolSpec.ts';
import { resolveRun } from '../resolveRun.ts';
import { InputError } from '../schemaHelpers.ts';
import { aggregate, type CompareGroup } from './compareAggregate.ts';
import type { CompareJob, CompareRun } from './compareJob.ts';
import { renderGroup } from './compareTable.ts';
import { progressReporter } from './progress.ts';
import { runPool } from './workerPool.ts';

export interface CompareFlags {
  nodes?: number[];
  loss?: number;
  seeds?: number;
  crashes?: number;
  duration?: number;
  latency?: [number, number];
  workers?: number;
  json?: boolean;
}

interface CompareSettings {
  protocols: string[];
  nodes: number[];
  loss: number;
  seeds: number;
  crashes: number;
  faultPhaseUs: number;
  latency: [number, number] | undefined;
}

export const DEFAULT_COMPARE_NODES = [8, 32, 128];
const MIN_FAULT_PHASE_US = 10_000;

export function compareCommand(names: string[], flags: CompareFlags): number {
  const specs = checkProtocols(names);
  const settings = settingsFrom(names, flags);
  const jobs = buildJobs(specs, settings);
  const workers = Math.min(flags.workers ?? availableParallelism(), jobs.length);
  // Largest clusters first, so the slowest runs do not end up alone at the tail.
  const order = jobs.map((_, i) => i).sort((a, b) => (jobs[b] as CompareJob).options.nodes - (jobs[a] as CompareJob).options.nodes || a - b);
  const report = progressReporter('compare', 'runs', process.stderr);
  const runs = runPool<CompareJob, CompareRun>(new URL('./compareJob.ts', import.meta.url), jobs, workers, report.update, order);
  report.finish(jobs.length);
  const groups = aggregate(runs, settings.protocols, settings.nodes);
  const failed = runs.filter((r) => r.verdict !== 'pass');
  if (flags.json) process.stdout.write(`${JSON.stringify(jsonReport(settings, jobs, runs, groups))}\n`);
  else printTables(settings, jobs, groups, failed);
  return failed.length === 0 ? 0 : 1;
}

function checkProtocols(names: string[]): AnySpec[] {
  const seen = new Set<string>();
  return names.map((name) => {
    const spec = PROTOCOLS[name];
    if (!spec) throw new InputError(`compare: unknown protocol ${JSON.stringify(name)}; expected one or more of ${protocolNames().join(', ')}`);
    if (seen.has(name)) throw new InputError(`compare: ${name} is listed twice; list each protocol once`);
    seen.add(name);
    if (!spec.metrics) {
      const comparable = protocolNames().filter((n) => PROTOCOLS[n]?.metrics);
      throw new InputError(`compare: ${name} reports no protocol metrics, so there is nothing to compare; protocols with metrics: ${comparable.join(', ') || '(none)'}`);
    }
    return spec;
  });
}

function settingsFrom(protocols: string[], flags: CompareFlags): CompareSettings {
  const settings: CompareSettings = {
    protocols,
    nodes: flags.nodes ?? DEFAULT_COMPARE_NODES,
    loss: flags.loss ?? 0,
    seeds: flags.seeds ?? 20,
    crashes: flags.crashes ?? 1,
    faultPhaseUs: flags.duration ?? 10_000_000,
    latency: flags.latency,
  };
  const smallest = Math.min(...settings.nodes);
  if (settings.crashes >= smallest) {
    throw new InputError(`--crashes: expected fewer crashes than nodes; ${settings.crashes} crash${settings.crashes === 1 ? '' : 'es'} per run need clusters of at least ${settings.crashes + 1} nodes, but --nodes includes ${smallest}`);
  }
  if (settings.faultPhaseUs < MIN_FAULT_PHASE_US || !crashWindowMs(settings.faultPhaseUs)) {
    throw new InputError(`--duration: expected a fault phase of at least ${humanDuration(MIN_FAULT_PHASE_US)}, so crashes can fall between 20% and 50% of it; got ${humanDuration(settings.faultPhaseUs)}`);
  }
  return settings;
}

/** Every (cluster size, protocol, seed) run, in that order: the order results are reported in. */
function buildJobs(specs: AnySpec[], s: CompareSettings): CompareJob[] {
  const jobs: CompareJob[] = [];
  for (const nodes of s.nodes) {
    for (const spec of specs) {
      for (let seed = 1; seed <= s.seeds; seed++) {
        const plan = drawCrashPlan(seed, nodes, s.crashes, s.faultPhaseUs);
        const network = { loss: s.loss, ...(s.latency ? { latency: { dist: 'uniform' as const, minUs: s.latency[0], maxUs: s.latency[1] } } : {}) };
        jobs.push({ options: resolveRun(spec, { seed, nodes, faultPhaseUs: s.faultPhaseUs, network }, plan), plan });
      }
    }
  }
  return jobs;
}

function heading(s: CompareSettings, jobs: CompareJob[], nodes: number): string {
  const latency = (jobs[0] as CompareJob).options.network.latency;
  const crashes = `${s.crashes} permanent crash${s.crashes === 1 ? '' : 'es'} per run`;
  return `N = ${nodes} nodes, loss ${+(s.loss * 100).toFixed(2)}%, latency ${humanDuration(latency.minUs)}..${humanDuration(latency.maxUs)}, fault phase ${humanDuration(s.faultPhaseUs)}, ${s.seeds} seed${s.seeds === 1 ? '' : 's'}, ${crashes}`;
}

function printTables(s: CompareSettings, jobs: CompareJob[], groups: CompareGroup[], failed: CompareRun[]): void {
  const blocks = groups.map((g) => renderGroup(g, heading(s, jobs, g.nodes)).join('\n'));
  const byProtocol = s.protocols.map((p) => [p, failed.filter((r) => r.protocol === p).length] as const).filter(([, n]) => n > 0);
  const verdict = failed.length === 0
    ? `all ${jobs.length} runs passed their checks`
    : `FAILED: ${failed.length} of ${jobs.length} runs failed their checks (${byProtocol.map(([p, n]) => `${p} ${n}`).join(', ')})`;
  process.stdout.write(`${blocks.join('\n\n')}\n\n${verdict}\n`);
}

function jsonReport(s: CompareSettings, jobs: CompareJob[], runs: CompareRun[], groups: CompareGroup[]): unknown {
  const latency = (jobs[0] as CompareJob).options.network.latency;
  return {
    compare: { protocols: s.protocols, nodes: s.nodes, seeds: s.seeds, crashes: s.crashes, loss: s.loss, latency, faultPhaseUs: s.faultPhaseUs },
    runs,
    table: groups.map((g) => ({
      nodes: g.nodes,
      rows: g.rows,
      protocols: Object.fromEntries(g.columns.map((c) => [c.protocol, { runs: c.runs, failed: c.failed.length, figures: c.figures }])),
    })),
    failed: runs.filter((r) => r.verdict !== 'pass').length,
  };
}
