// `faultlab run <protocol>`: builds the run from flags (or draws it with --swarm), runs it, writes
// the trace atomically, and prints a readable summary with the verdict and the replay command.
// Exit code: 0 pass, 1 any failed verdict; bad input throws InputError (exit 2 in main.ts).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { runSimulation, type RunResult } from '../engine.ts';
import { formatFaultPlan, parseFaultPlan, type FaultPlan } from '../faultPlan.ts';
import type { LatencyDist } from '../latency.ts';
import type { NetworkOptions } from '../network.ts';
import type { AnySpec } from '../protocolSpec.ts';
import { DEFAULT_FAULT_PHASE_US, DEFAULT_NODES, resolveRun, type RunRequest } from '../resolveRun.ts';
import type { RunOptions } from '../runOptions.ts';
import { InputError } from '../schemaHelpers.ts';
import { formatDuration } from '../duration.ts';
import { drawSwarm, type SwarmDraw } from '../swarm.ts';
import { Tracer } from '../tracer.ts';
import { FileSink } from './fileSink.ts';
import { settingValues } from './flags.ts';
import { printSummary, printSwarm } from './summary.ts';

export interface RunFlags {
  nodes?: number;
  seed?: number;
  duration?: number;
  heal?: number;
  latency?: [number, number];
  latencyDist?: 'uniform' | 'pareto';
  paretoAlpha?: number;
  loss?: number;
  dup?: number;
  ordering?: 'fifo' | 'unordered';
  storageLatency?: number;
  faultPlan?: string;
  swarm?: boolean;
  set?: Record<string, string>;
  bug?: string;
  variant?: string;
  clients?: number;
  clientTimeout?: number;
  clientThink?: number;
  clientOps?: number;
  out?: string;
  trace: boolean;
  maxEvents?: number;
  maxTime?: number;
  json?: boolean;
}

export function runCommand(spec: AnySpec, flags: RunFlags, command: Command, argv: readonly string[]): number {
  const seed = flags.seed ?? 1;
  const nodes = flags.nodes ?? DEFAULT_NODES;
  const faultPhaseUs = flags.duration ?? DEFAULT_FAULT_PHASE_US;
  if (flags.swarm && flags.faultPlan) throw new InputError('--fault-plan: cannot be combined with --swarm, which draws its own fault plan');
  const swarm = flags.swarm ? drawSwarm(seed, nodes, faultPhaseUs) : undefined;
  const plan = swarm?.plan ?? readPlan(flags.faultPlan, nodes, faultPhaseUs);
  const request: RunRequest = {
    seed,
    nodes,
    faultPhaseUs,
    healUs: flags.heal,
    network: networkFrom(flags, command, swarm),
    storage: flags.storageLatency !== undefined ? { latencyUs: flags.storageLatency } : undefined,
    clients: clientsFrom(flags),
    config: settingValues(withVariant(flags)),
    bug: flags.bug ?? null,
    limits: { ...(flags.maxEvents !== undefined ? { maxEvents: flags.maxEvents } : {}), ...(flags.maxTime !== undefined ? { maxVirtualUs: flags.maxTime } : {}) },
  };
  const options = resolveRun(spec, request, plan);
  if (swarm && !flags.json) printSwarm(swarm, options, otherFlags(flags));
  const out = flags.trace ? (flags.out ?? `runs/${spec.name}-seed${seed}.jsonl`) : undefined;
  const { result, wallMs, trace } = execute(spec, options, plan, out);
  const replay = out ? `faultlab replay ${shellQuote(out)}` : `faultlab ${argv.map(shellQuote).join(' ')}`;
  if (flags.json) process.stdout.write(`${JSON.stringify({ ...result, wallMs, trace, replay, options, faultPlan: formatFaultPlan(plan) })}\n`);
  else printSummary({ settings: spec.settings, options, plan, result, wallMs, trace, replay });
  return result.verdict.kind === 'pass' ? 0 : 1;
}

/** The client options the user gave (those left out come from the protocol's defaults). */
function clientsFrom(flags: RunFlags): RunRequest['clients'] {
  return {
    ...(flags.clients !== undefined ? { count: flags.clients } : {}),
    ...(flags.clientTimeout !== undefined ? { timeoutUs: flags.clientTimeout } : {}),
    ...(flags.clientThink !== undefined ? { thinkUs: flags.clientThink } : {}),
    ...(flags.clientOps !== undefined ? { ops: flags.clientOps } : {}),
  };
}

function execute(spec: AnySpec, options: RunOptions, plan: FaultPlan, out: string | undefined): { result: RunResult; wallMs: number; trace: { path: string; lines: number; bytes: number } | undefined } {
  const sink = out ? new FileSink(out) : undefined;
  try {
    const tracer = sink ? new Tracer(sink, { faultlab: 1, seed: options.seed, protocol: options.protocol, options, faultPlan: formatFaultPlan(plan) }) : undefined;
    const started = performance.now();
    const result = runSimulation(spec, options, plan, tracer ? { tracer } : {});
    const wallMs = performance.now() - started;
    sink?.commit();
    return { result, wallMs, trace: sink && out && tracer ? { path: out, lines: tracer.events + 2, bytes: sink.bytes } : undefined };
  } catch (error) {
    sink?.abort();
    throw error;
  }
}

function readPlan(path: string | undefined, nodes: number, faultPhaseUs: number): FaultPlan {
  if (!path) return { faults: [] };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`--fault-plan: cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`--fault-plan: ${path} is not valid JSON (${(error as Error).message})`);
  }
  return parseFaultPlan(json, nodes, faultPhaseUs, `fault plan ${path}`);
}

/** Swarm draws the network; flags given explicitly on the command line override the draw. */
function networkFrom(flags: RunFlags, command: Command, swarm: SwarmDraw | undefined): Partial<NetworkOptions> {
  const explicit = (name: string): boolean => command.getOptionValueSource(name) === 'cli';
  const net: Partial<NetworkOptions> = swarm ? { ...swarm.network } : {};
  if (flags.loss !== undefined && (!swarm || explicit('loss'))) net.loss = flags.loss;
  if (flags.dup !== undefined && (!swarm || explicit('dup'))) net.duplicate = flags.dup;
  if (flags.ordering !== undefined && (!swarm || explicit('ordering'))) net.ordering = flags.ordering;
  if (!swarm || explicit('latency') || explicit('latencyDist')) {
    const [minUs, maxUs] = flags.latency ?? [1_000, 10_000];
    const dist = flags.latencyDist ?? 'uniform';
    if (dist === 'pareto' && minUs < 1) throw new InputError('--latency: a pareto distribution needs a minimum above 0us');
    const latency: LatencyDist = dist === 'uniform' ? { dist, minUs, maxUs } : { dist, minUs, maxUs, alpha: flags.paretoAlpha ?? 1.5 };
    if (!swarm || flags.latency || flags.latencyDist) net.latency = latency;
  }
  return net;
}

export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** --variant NAME is --set variant=NAME; giving both with different values is an error. */
function withVariant(flags: RunFlags): Record<string, string> {
  const set = flags.set ?? {};
  if (flags.variant === undefined) return set;
  if (set.variant !== undefined && set.variant !== flags.variant) throw new InputError(`--variant: ${JSON.stringify(flags.variant)} disagrees with --set variant=${set.variant}; give one of them`);
  return { ...set, variant: flags.variant };
}

/** The flags a run by hand needs besides seed, nodes, duration and network, as the user gave them. */
function otherFlags(flags: RunFlags): string[] {
  const out: string[] = [];
  if (flags.heal !== undefined) out.push(`--heal ${formatDuration(flags.heal)}`);
  if (flags.storageLatency !== undefined) out.push(`--storage-latency ${formatDuration(flags.storageLatency)}`);
  for (const [key, value] of Object.entries(withVariant(flags))) out.push(`--set ${shellQuote(`${key}=${value}`)}`);
  if (flags.bug !== undefined) out.push(`--bug ${shellQuote(flags.bug)}`);
  if (flags.clients !== undefined) out.push(`--clients ${flags.clients}`);
  if (flags.clientTimeout !== undefined) out.push(`--client-timeout ${formatDuration(flags.clientTimeout)}`);
  if (flags.clientThink !== undefined) out.push(`--client-think ${formatDuration(flags.clientThink)}`);
  if (flags.clientOps !== undefined) out.push(`--client-ops ${flags.clientOps}`);
  return out;
}
