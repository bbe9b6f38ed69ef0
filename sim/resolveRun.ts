// Turns what a user asked for (a protocol, a seed, some options, protocol settings, a bug name)
// into complete RunOptions: protocol config parsed and defaulted by the protocol's schema, the
// heal phase defaulted to the protocol's longest check bound, every field validated with an error
// that names it. Leaves out: reading files and flags (the CLI does that).
import type { FaultPlan } from './faultPlan.ts';
import type { NetworkOptions } from './network.ts';
import type { AnySpec } from './protocolSpec.ts';
import { DEFAULT_LIMITS, DEFAULT_NETWORK, MAX_NODES, runOptionsSchema, type RunOptions } from './runOptions.ts';
import { InputError, zodErrorLine } from './schemaHelpers.ts';

export interface RunRequest {
  seed: number;
  nodes?: number;
  faultPhaseUs?: number;
  healUs?: number;
  network?: Partial<NetworkOptions>;
  storage?: { latencyUs: number };
  clients?: Partial<RunOptions['clients']>;
  /** Protocol settings as the user wrote them ("100ms" or microseconds). */
  config?: Record<string, unknown>;
  bug?: string | null;
  limits?: Partial<RunOptions['limits']>;
}

export const DEFAULT_NODES = 5;
export const DEFAULT_FAULT_PHASE_US = 30_000_000;

export function resolveRun(spec: AnySpec, request: RunRequest, plan: FaultPlan): RunOptions {
  const config = parseConfig(spec, request.config ?? {});
  const bug = request.bug ?? null;
  if (bug !== null && !(bug in spec.bugs)) {
    const known = Object.keys(spec.bugs);
    throw new InputError(`--bug: "${bug}" is not a bug of ${spec.name}; expected one of: ${known.join(', ') || '(none)'}`);
  }
  if ((request.clients?.count ?? 0) > 0 && !spec.workload) {
    throw new InputError(`--clients: ${spec.name} has no client workload, so it takes no clients`);
  }
  if (request.clients?.ops !== undefined && !spec.workload) {
    throw new InputError(`--client-ops: ${spec.name} has no client workload, so it takes no operation budget`);
  }
  const draft: RunOptions = {
    protocol: spec.name,
    seed: request.seed,
    nodes: request.nodes ?? DEFAULT_NODES,
    faultPhaseUs: request.faultPhaseUs ?? DEFAULT_FAULT_PHASE_US,
    healUs: 0,
    network: { ...DEFAULT_NETWORK, ...request.network },
    storage: request.storage ?? { latencyUs: 200 },
    clients: { count: 0, timeoutUs: 1_000_000, thinkUs: 10_000, ...spec.clientDefaults, ...request.clients },
    config,
    bug,
    limits: { ...DEFAULT_LIMITS, ...request.limits },
  };
  if (!Number.isInteger(draft.nodes) || draft.nodes < 1 || draft.nodes > MAX_NODES) {
    throw new InputError(`--nodes: expected a whole number from 1 to ${MAX_NODES}; got ${draft.nodes}`);
  }
  const invalid = spec.validate?.(config, draft.nodes);
  if (invalid !== undefined) throw new InputError(`--set (${spec.name} settings): ${invalid}`);
  draft.healUs = request.healUs ?? spec.healUs(config, draft, plan);
  return validateRunOptions(draft, 'options');
}

export function parseConfig(spec: AnySpec, values: Record<string, unknown>): Record<string, unknown> {
  const parsed = spec.configSchema.safeParse(values);
  if (!parsed.success) throw new InputError(zodErrorLine(`--set (${spec.name} settings)`, parsed.error));
  return parsed.data;
}

export function validateRunOptions(options: unknown, what: string): RunOptions {
  const parsed = runOptionsSchema.safeParse(options);
  if (!parsed.success) throw new InputError(zodErrorLine(what, parsed.error));
  const checked = parsed.data as RunOptions;
  checked.network.links.forEach((link, i) => {
    for (const end of ['from', 'to'] as const) {
      if (link[end] > checked.nodes) throw new InputError(`${what}: network.links[${i}].${end}: n${link[end]} does not exist (the cluster has n1..n${checked.nodes})`);
    }
  });
  return checked;
}
