// A fast-check arbitrary for the simulated network of one explored run: latency (uniform or a
// long-tailed Pareto, from 100 us up to 100 ms), loss, duplication and link ordering, each drawn
// per run (as swarm testing does for the network). Every choice shrinks toward the quiet network:
// a fixed 100 us latency, no loss, no duplicates. Leaves out: per-link overrides.
import fc from 'fast-check';
import type { LatencyDist } from '../latency.ts';
import type { NetworkOptions } from '../network.ts';

const latency: fc.Arbitrary<LatencyDist> = fc.record({
  minUs: fc.constantFrom(100, 500, 1_000, 2_000),
  ratio: fc.constantFrom(1, 5, 10, 50),
  pareto: fc.constantFrom(0, 0, 1.2, 1.5, 2.5),
}).map(({ minUs, ratio, pareto }) => (pareto === 0 ? { dist: 'uniform', minUs, maxUs: minUs * ratio } : { dist: 'pareto', minUs, maxUs: minUs * ratio, alpha: pareto }));

export const networkArbitrary: fc.Arbitrary<NetworkOptions> = fc.record({
  latency,
  loss: fc.constantFrom(0, 0, 0.01, 0.05, 0.2),
  duplicate: fc.constantFrom(0, 0, 0.01, 0.1),
  ordering: fc.constantFrom('unordered', 'unordered', 'fifo'),
}).map((n) => ({ ...n, links: [] }));
