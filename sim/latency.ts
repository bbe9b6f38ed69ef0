// Message latency distributions per link: uniform between two bounds, and a long-tailed bounded
// Pareto (most messages near the minimum, a few near the cap), as real networks show. A draw of 0
// gives the minimum (the quiet choice). Leaves out: bandwidth and queueing delay.
import type { Rng } from './rng.ts';
import { humanDuration } from './duration.ts';

export type LatencyDist =
  | { dist: 'uniform'; minUs: number; maxUs: number }
  | { dist: 'pareto'; minUs: number; maxUs: number; alpha: number };

export function sampleLatency(d: LatencyDist, rng: Rng): number {
  const u = rng.next();
  if (d.dist === 'uniform') return d.minUs + Math.floor(u * (d.maxUs - d.minUs + 1));
  const x = d.minUs / Math.pow(1 - u, 1 / d.alpha);
  return Math.min(d.maxUs, Math.floor(x));
}

export function describeLatency(d: LatencyDist): string {
  if (d.dist === 'uniform') return `uniform ${humanDuration(d.minUs)}..${humanDuration(d.maxUs)}`;
  return `pareto (alpha ${d.alpha}) ${humanDuration(d.minUs)}..${humanDuration(d.maxUs)}`;
}
