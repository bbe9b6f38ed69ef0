// fast-check arbitraries for the simulated network of one explored run: latency (uniform or a
// long-tailed Pareto, from 100 us up to 100 ms), loss, duplication and link ordering, each drawn
// per run (as swarm testing does for the network). Every choice shrinks toward the quiet network:
// a fixed 100 us latency, no loss, no duplicates. The slow network (10 to 100 ms, a wide-area
// link) is the one swarm's nemesis runs use: every race between two messages, or between a
// message and a restart, gets a window tens of milliseconds wide; it shrinks toward a fixed 10 ms.
// The PCT network is the random one without fixed latencies: PCT orders deliveries by choosing
// each message's latency inside [minUs, maxUs], so a window of zero width (max = min) leaves it
// nothing to choose and the run would be a random one; its max is 5, 10 or 50 times its min, and
// it shrinks toward 100 us to 500 us.
// Leaves out: per-link overrides.
import fc from 'fast-check';
import type { LatencyDist } from '../latency.ts';
import type { NetworkOptions } from '../network.ts';

/** No message takes longer than this. */
export const MAX_LATENCY_US = 100_000;

function latencyOf(minUs: number, ratio: number, pareto: number): LatencyDist {
  const maxUs = Math.min(MAX_LATENCY_US, minUs * ratio);
  return pareto === 0 ? { dist: 'uniform', minUs, maxUs } : { dist: 'pareto', minUs, maxUs, alpha: pareto };
}

/** Latency with max/min drawn from `ratios` (the first is where it shrinks to). */
function latencyArbitrary(ratios: number[]): fc.Arbitrary<LatencyDist> {
  return fc.record({
    minUs: fc.constantFrom(100, 500, 1_000, 2_000),
    ratio: fc.constantFrom(...ratios),
    pareto: fc.constantFrom(0, 0, 1.2, 1.5, 2.5),
  }).map(({ minUs, ratio, pareto }) => latencyOf(minUs, ratio, pareto));
}

function commonNetwork(latency: fc.Arbitrary<LatencyDist>): fc.Arbitrary<NetworkOptions> {
  return fc.record({
    latency,
    loss: fc.constantFrom(0, 0, 0.01, 0.05, 0.2),
    duplicate: fc.constantFrom(0, 0, 0.01, 0.1),
    ordering: fc.constantFrom('unordered', 'unordered', 'fifo'),
  }).map((n) => ({ ...n, links: [] }));
}

export const networkArbitrary: fc.Arbitrary<NetworkOptions> = commonNetwork(latencyArbitrary([1, 5, 10, 50]));

/** The random network without fixed latencies: PCT needs a window to order deliveries in. */
export const pctNetworkArbitrary: fc.Arbitrary<NetworkOptions> = commonNetwork(latencyArbitrary([5, 10, 50]));

export const slowNetworkArbitrary: fc.Arbitrary<NetworkOptions> = fc.record({
  latency: fc.record({ minUs: fc.constantFrom(10_000, 20_000), ratio: fc.constantFrom(1, 5, 10) }).map(({ minUs, ratio }) => latencyOf(minUs, ratio, 0)),
  loss: fc.constantFrom(0, 0, 0.01),
  duplicate: fc.constantFrom(0, 0, 0.01),
  ordering: fc.constantFrom('unordered', 'unordered', 'fifo'),
}).map((n) => ({ ...n, links: [] }));
