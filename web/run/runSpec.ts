// A run as the page describes it: the CLI's `faultlab run` flags as text, protocol settings and a
// fault plan (written form). The same text travels in the URL (?protocol=raft&seed=7&loss=0.05
// &set=preVote%3Dtrue&plan=...), is parsed with the CLI's own flag parsers and resolved exactly
// as runCommand does, so a link reproduces the run and its trace hash equals the CLI's.
// Leaves out: --swarm (the page shows its plan explicitly instead) and --json/--out.
import type { AnySpec } from '../../sim/protocolSpec.ts';
import { choiceFlag, durationFlag, integerFlag, positiveNumberFlag, probabilityFlag, rangeFlag, settingValues } from '../../sim/cli/flags.ts';
import { parseFaultPlan, type FaultPlan } from '../../sim/faultPlan.ts';
import type { LatencyDist } from '../../sim/latency.ts';
import type { NetworkOptions } from '../../sim/network.ts';
import { DEFAULT_FAULT_PHASE_US, DEFAULT_NODES, resolveRun } from '../../sim/resolveRun.ts';
import { MAX_CLIENT_OPS, MAX_NODES, type RunOptions } from '../../sim/runOptions.ts';
import { InputError } from '../../sim/schemaHelpers.ts';

export const RUN_FLAGS = ['seed', 'nodes', 'duration', 'heal', 'latency', 'latency-dist', 'pareto-alpha', 'loss', 'dup', 'ordering', 'storage-latency', 'bug', 'clients', 'client-timeout', 'client-think', 'client-ops', 'max-events', 'max-time'] as const;
export type RunFlag = (typeof RUN_FLAGS)[number];

export interface RunSpec {
  protocol: string;
  flags: Partial<Record<RunFlag, string>>;
  /** --set key=value pairs, in order. */
  set: [string, string][];
  /** The fault plan as written ({ faults: [...] }), or undefined for none. */
  plan: unknown;
}

/** The run a URL describes, or undefined when it names no protocol. Bad JSON in plan is an InputError. */
export function runSpecFromParams(params: URLSearchParams): RunSpec | undefined {
  const protocol = params.get('protocol');
  if (!protocol) return undefined;
  const flags: RunSpec['flags'] = {};
  for (const flag of RUN_FLAGS) {
    const value = params.get(flag);
    if (value !== null && value !== '') flags[flag] = value;
  }
  const set = params.getAll('set').map((kv): [string, string] => {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new InputError(`set: expected key=value, like interval=100ms; got ${JSON.stringify(kv)}`);
    return [kv.slice(0, eq).trim(), kv.slice(eq + 1).trim()];
  });
  const planText = params.get('plan');
  let plan: unknown;
  if (planText) {
    try {
      plan = JSON.parse(planText);
    } catch {
      throw new InputError('plan: expected a JSON fault plan like {"faults":[{"type":"crash","at":"2s","node":"n1"}]}');
    }
  }
  return { protocol, flags, set, plan };
}

export function runSpecToParams(spec: RunSpec): URLSearchParams {
  const params = new URLSearchParams({ protocol: spec.protocol });
  for (const flag of RUN_FLAGS) if (spec.flags[flag] !== undefined) params.set(flag, spec.flags[flag] as string);
  for (const [k, v] of spec.set) params.append('set', `${k}=${v}`);
  if (spec.plan !== undefined && hasFaults(spec.plan)) params.set('plan', JSON.stringify(spec.plan));
  return params;
}

/** The equivalent command line (the plan goes in a file of the given name). */
export function runSpecToCli(spec: RunSpec, planFile = 'plan.json'): string[] {
  const args = ['run', spec.protocol];
  for (const flag of RUN_FLAGS) if (spec.flags[flag] !== undefined) args.push(`--${flag}`, spec.flags[flag] as string);
  for (const [k, v] of spec.set) args.push('--set', `${k}=${v}`);
  if (spec.plan !== undefined && hasFaults(spec.plan)) args.push('--fault-plan', planFile);
  return args;
}

function hasFaults(plan: unknown): boolean {
  const faults = (plan as { faults?: unknown } | null)?.faults;
  return !Array.isArray(faults) || faults.length > 0;
}

/** Options and plan exactly as `faultlab run` builds them from the same flags. */
export function resolveRunSpec(run: RunSpec, registry: Readonly<Record<string, AnySpec>>): { spec: AnySpec; options: RunOptions; plan: FaultPlan } {
  const spec = Object.prototype.hasOwnProperty.call(registry, run.protocol) ? registry[run.protocol] : undefined;
  if (!spec) throw new InputError(`protocol: unknown protocol ${JSON.stringify(run.protocol)}; expected one of ${Object.keys(registry).sort().join(', ')}`);
  const f = run.flags;
  const read = <T>(flag: RunFlag, parse: (text: string) => T): T | undefined => (f[flag] === undefined ? undefined : parse(f[flag] as string));
  const seed = read('seed', integerFlag('--seed', 0)) ?? 1;
  const nodes = read('nodes', integerFlag('--nodes', 1, MAX_NODES)) ?? DEFAULT_NODES;
  const faultPhaseUs = read('duration', durationFlag('--duration')) ?? DEFAULT_FAULT_PHASE_US;
  const plan = run.plan === undefined ? { faults: [] } : parseFaultPlan(run.plan, nodes, faultPhaseUs, 'fault plan');
  const clients = {
    count: read('clients', integerFlag('--clients', 0, 10_000)),
    timeoutUs: read('client-timeout', durationFlag('--client-timeout')),
    thinkUs: read('client-think', durationFlag('--client-think')),
    ops: read('client-ops', integerFlag('--client-ops', 1, MAX_CLIENT_OPS)),
  };
  const limits = { maxEvents: read('max-events', integerFlag('--max-events', 1)), maxVirtualUs: read('max-time', durationFlag('--max-time')) };
  const storage = read('storage-latency', durationFlag('--storage-latency'));
  const options = resolveRun(spec, {
    seed,
    nodes,
    faultPhaseUs,
    healUs: read('heal', durationFlag('--heal')),
    network: network(read),
    storage: storage !== undefined ? { latencyUs: storage } : undefined,
    clients: Object.fromEntries(Object.entries(clients).filter(([, v]) => v !== undefined)),
    config: settingValues(Object.fromEntries(run.set)),
    bug: f.bug ?? null,
    limits: Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)),
  }, plan);
  return { spec, options, plan };
}

function network(read: <T>(flag: RunFlag, parse: (text: string) => T) => T | undefined): Partial<NetworkOptions> {
  const net: Partial<NetworkOptions> = {};
  const loss = read('loss', probabilityFlag('--loss'));
  const dup = read('dup', probabilityFlag('--dup'));
  const ordering = read('ordering', choiceFlag('--ordering', ['fifo', 'unordered'] as const));
  if (loss !== undefined) net.loss = loss;
  if (dup !== undefined) net.duplicate = dup;
  if (ordering !== undefined) net.ordering = ordering;
  const [minUs, maxUs] = read('latency', rangeFlag('--latency')) ?? [1_000, 10_000];
  const dist = read('latency-dist', choiceFlag('--latency-dist', ['uniform', 'pareto'] as const)) ?? 'uniform';
  if (dist === 'pareto' && minUs < 1) throw new InputError('--latency: a pareto distribution needs a minimum above 0us');
  const latency: LatencyDist = dist === 'uniform' ? { dist, minUs, maxUs } : { dist, minUs, maxUs, alpha: read('pareto-alpha', positiveNumberFlag('--pareto-alpha')) ?? 1.5 };
  net.latency = latency;
  return net;
}
