// Placeholder page for the viewer: runs one heartbeat simulation in the page with a hash-only
// tracer and shows the verdict and trace hash, which must equal the CLI's for the same seed.
// Leaves out: everything the viewer issue builds (Web Worker, replay, scrubbing, charts).
import { PROTOCOLS } from '../protocols/registry.ts';
import { runSimulation } from '../sim/engine.ts';
import { formatFaultPlan } from '../sim/faultPlan.ts';
import { resolveRun } from '../sim/resolveRun.ts';
import { Tracer } from '../sim/tracer.ts';
import { describeVerdict } from '../sim/verdict.ts';

const out = document.getElementById('out') as HTMLPreElement;
const seedInput = document.getElementById('seed') as HTMLInputElement;

function runOnce(): void {
  const seed = Number(seedInput.value);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    out.textContent = `seed: expected a whole number of 0 or more; got ${JSON.stringify(seedInput.value)}`;
    return;
  }
  const spec = PROTOCOLS.heartbeat;
  if (!spec) throw new Error('heartbeat protocol missing from the registry');
  const plan = { faults: [] };
  const options = resolveRun(spec, { seed }, plan);
  const tracer = new Tracer(undefined, { faultlab: 1, seed, protocol: spec.name, options, faultPlan: formatFaultPlan(plan) });
  const result = runSimulation(spec, options, plan, { tracer });
  out.textContent = [
    `verdict: ${describeVerdict(result.verdict)}`,
    `events: ${result.metrics.events}, steps: ${result.metrics.steps}`,
    `trace hash: ${result.traceHash}`,
  ].join('\n');
}

(document.getElementById('run') as HTMLButtonElement).addEventListener('click', runOnce);
