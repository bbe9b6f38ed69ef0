// A schedule in a few readable lines, for the explore report and the property helper's failure
// message: seed, cluster, clients (when they have an operation budget), protocol settings that
// differ from the defaults (such as knobs swarm drew), network, PCT settings, choice tape, faults.
// Leaves out: the run's outcome (the caller prints the verdict and figures).
import { humanDuration } from '../duration.ts';
import { describeFault } from '../faultPlan.ts';
import { describeLatency } from '../latency.ts';
import { tapeLength } from './choiceTape.ts';
import type { AnySpec } from '../protocolSpec.ts';
import { parseConfig } from '../resolveRun.ts';
import type { Schedule } from './schedule.ts';

/** "maxBatch=2 (default 64)" for each setting that differs from the protocol's default. */
function changedSettings(config: Record<string, unknown>, spec: AnySpec): string[] {
  const defaults = parseConfig(spec, {});
  return Object.entries(config).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(defaults[k])).map(([k, v]) => `${k}=${JSON.stringify(v)} (default ${JSON.stringify(defaults[k])})`);
}

/** "3 clients, at most 1 operation each" (without a budget, just "3 clients"). */
export function describeClients(count: number, ops: number | undefined): string {
  const clients = `${count} client${count === 1 ? '' : 's'}`;
  return ops === undefined ? clients : `${clients}, at most ${ops} operation${ops === 1 ? '' : 's'} each`;
}

export function describeSchedule(schedule: Schedule, spec?: AnySpec, indent = '  '): string[] {
  const { options, plan, tape, pct } = schedule;
  const net = options.network;
  const percent = (p: number): string => `${+(p * 100).toFixed(2)}%`;
  const choices = tapeLength(tape);
  const settings = spec ? changedSettings(options.config, spec) : [];
  const { count, ops } = options.clients;
  const budget = ops === undefined ? '' : `${describeClients(count, ops)}, `;
  const lines = [
    `seed ${options.seed}, ${options.nodes} nodes, ${budget}fault phase ${humanDuration(options.faultPhaseUs)}, heal phase ${humanDuration(options.healUs)}${options.bug ? `, bug ${options.bug}` : ''}`,
    ...(settings.length > 0 ? [`settings: ${settings.join(', ')}`] : []),
    `network: latency ${describeLatency(net.latency)}, loss ${percent(net.loss)}, duplicates ${percent(net.duplicate)}, ${net.ordering} links`,
    `scheduling: ${pct ? `PCT, depth ${pct.depth} (${pct.depth - 1} change point${pct.depth === 2 ? '' : 's'} among the first ${pct.steps.toLocaleString('en-US')} messages)` : 'latency draws'}; choice tape: ${choices === 0 ? 'empty (every draw from the seed)' : `${choices} choice${choices === 1 ? '' : 's'} in ${Object.keys(tape).join(', ')}`}`,
    plan.faults.length === 0 ? 'faults: none' : `faults (${plan.faults.length}):`,
    ...plan.faults.map((f) => `${indent}${describeFault(f)}`),
  ];
  return lines.map((l) => `${indent}${l}`);
}
