// A schedule in a few readable lines, for the explore report and the property helper's failure
// message: seed, cluster, protocol settings, network, PCT settings, choice tape, faults.
// Leaves out: the run's outcome (the caller prints the verdict and figures).
import { humanDuration } from '../duration.ts';
import { describeFault } from '../faultPlan.ts';
import { describeLatency } from '../latency.ts';
import { tapeLength } from './choiceTape.ts';
import type { Schedule } from './schedule.ts';

export function describeSchedule(schedule: Schedule, indent = '  '): string[] {
  const { options, plan, tape, pct } = schedule;
  const net = options.network;
  const percent = (p: number): string => `${+(p * 100).toFixed(2)}%`;
  const choices = tapeLength(tape);
  const lines = [
    `seed ${options.seed}, ${options.nodes} nodes, fault phase ${humanDuration(options.faultPhaseUs)}, heal phase ${humanDuration(options.healUs)}${options.bug ? `, bug ${options.bug}` : ''}`,
    `network: latency ${describeLatency(net.latency)}, loss ${percent(net.loss)}, duplicates ${percent(net.duplicate)}, ${net.ordering} links`,
    `scheduling: ${pct ? `PCT, depth ${pct.depth} (${pct.depth - 1} change point${pct.depth === 2 ? '' : 's'} among the first ${pct.steps.toLocaleString('en-US')} messages)` : 'latency draws'}; choice tape: ${choices === 0 ? 'empty (every draw from the seed)' : `${choices} choice${choices === 1 ? '' : 's'} in ${Object.keys(tape).join(', ')}`}`,
    plan.faults.length === 0 ? 'faults: none' : `faults (${plan.faults.length}):`,
    ...plan.faults.map((f) => `${indent}${describeFault(f)}`),
  ];
  return lines.map((l) => `${indent}${l}`);
}
