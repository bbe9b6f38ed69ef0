// A fault plan of permanent crashes drawn from a seed, for comparing protocols on the same
// scenario: `crashes` distinct nodes each crash once (no restart) at a whole millisecond drawn
// uniformly from 20% to 50% of the fault phase, after membership has formed and with time left to
// detect the crash. The draw depends only on (seed, nodes, crashes, fault phase), never on the
// protocol. Leaves out: restarts, partitions and every other fault type.
import type { FaultPlan } from './faultPlan.ts';
import { randInt, SeedRng, shuffled } from './rng.ts';

/** The window crash times are drawn from, in whole milliseconds, or undefined when it is empty. */
export function crashWindowMs(faultPhaseUs: number): [number, number] | undefined {
  const first = Math.ceil((faultPhaseUs * 0.2) / 1_000);
  const last = Math.floor((faultPhaseUs * 0.5) / 1_000);
  return first <= last ? [first, last] : undefined;
}

export function drawCrashPlan(seed: number, nodes: number, crashes: number, faultPhaseUs: number): FaultPlan {
  if (!Number.isInteger(crashes) || crashes < 0 || crashes >= nodes) throw new Error(`drawCrashPlan: ${crashes} crashes need 0..${nodes - 1}`);
  const window = crashWindowMs(faultPhaseUs);
  if (!window) throw new Error(`drawCrashPlan: the fault phase (${faultPhaseUs}us) is too short for a crash window`);
  const rng = SeedRng.fromSeed(seed).fork('compare');
  const ids = Array.from({ length: nodes }, (_, i) => i + 1);
  const victims = shuffled(rng.fork('victims'), ids).slice(0, crashes);
  const times = rng.fork('times');
  const faults = victims.map((node) => ({ type: 'crash' as const, at: randInt(times, window[0], window[1]) * 1_000, node }));
  faults.sort((a, b) => a.at - b.at || a.node - b.node);
  return { faults };
}
