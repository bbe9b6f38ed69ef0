// Benchmark of the linearizability checker on Porcupine's test vectors (../shared/oracles/porcupine),
// against Porcupine's own reference timings on the development machine. Cases:
//   etcd       all 102 etcd logs (and the empty etcd_095), each read, parsed and checked (register)
//   c50-split  kv/c50-ok.txt read, parsed and checked split per key
//   c10-whole  kv/c10-ok.txt read, parsed and checked as one history (no split)
// One case per process: node --expose-gc --import tsx test/bench/linearizability.ts <case> <runs>
// Each run is timed; the first run of the process (cold: code not yet optimised) is shown beside
// the median of all runs. Every verdict is compared with verdicts.json. Asserts nothing.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkLinearizability } from '../../sim/linearizability/checkLinearizability.ts';
import { kvModel } from '../../sim/linearizability/kvModel.ts';
import { parseEtcdLog } from '../../sim/linearizability/parseEtcdLog.ts';
import { parseKvEdn } from '../../sim/linearizability/parseKvEdn.ts';
import { registerModel } from '../../sim/linearizability/registerModel.ts';
import { collect, isMain, median, REPO_ROOT, report } from './common.ts';

export const ORACLE = path.resolve(REPO_ROOT, '../shared/oracles/porcupine');

export type LinearizabilityCase = 'etcd' | 'c50-split' | 'c10-whole';

export const LINEARIZABILITY_CASES: { name: LinearizabilityCase; label: string; porcupineMs: number }[] = [
  { name: 'etcd', label: 'all 102 etcd logs, register, incl. reading and parsing', porcupineMs: 650 },
  { name: 'c50-split', label: 'kv/c50-ok.txt split per key, incl. parsing', porcupineMs: 260 },
  { name: 'c10-whole', label: 'kv/c10-ok.txt unsplit, incl. parsing', porcupineMs: 2500 },
];

/** The target: within this factor of Porcupine's time. */
export const TARGET_FACTOR = 1.5;

export interface LinearizabilityResult {
  name: LinearizabilityCase;
  runsMs: number[];
  firstMs: number;
  medianMs: number;
  histories: number;
  operations: number;
  steps: number;
  /** Verdicts that disagree with verdicts.json (should be 0). */
  mismatches: number;
}

function verdicts(): Record<string, boolean> {
  return (JSON.parse(readFileSync(path.join(ORACLE, 'verdicts.json'), 'utf8')) as { verdicts: Record<string, boolean> }).verdicts;
}

/** One run of the case: files read, parsed and checked. */
function runOnce(name: LinearizabilityCase, expected: Record<string, boolean>): { histories: number; operations: number; steps: number; mismatches: number } {
  const out = { histories: 0, operations: 0, steps: 0, mismatches: 0 };
  const files = name === 'etcd' ? readdirSync(path.join(ORACLE, 'jepsen')).sort().map((f) => `jepsen/${f}`) : [name === 'c50-split' ? 'kv/c50-ok.txt' : 'kv/c10-ok.txt'];
  for (const file of files) {
    const text = readFileSync(path.join(ORACLE, file), 'utf8');
    const result = name === 'etcd' ? checkLinearizability(registerModel, parseEtcdLog(text, file)) : checkLinearizability(kvModel, parseKvEdn(text, file), { partition: name === 'c50-split' });
    out.histories++;
    out.operations += result.operations;
    out.steps += result.steps;
    if (file in expected && (result.verdict === 'linearizable') !== expected[file]) out.mismatches++;
  }
  return out;
}

export function runCase(name: LinearizabilityCase, runs: number): LinearizabilityResult {
  const expected = verdicts();
  const runsMs: number[] = [];
  let last = { histories: 0, operations: 0, steps: 0, mismatches: 0 };
  for (let r = 0; r < runs; r++) {
    collect();
    const started = performance.now();
    last = runOnce(name, expected);
    runsMs.push(performance.now() - started);
  }
  return { name, runsMs, firstMs: runsMs[0] ?? 0, medianMs: median(runsMs), ...last };
}

if (isMain(import.meta.url)) {
  const [name, runs] = process.argv.slice(2);
  if (!LINEARIZABILITY_CASES.some((c) => c.name === name)) throw new Error(`usage: linearizability.ts <${LINEARIZABILITY_CASES.map((c) => c.name).join('|')}> <runs>`);
  if (!existsSync(ORACLE)) throw new Error(`${ORACLE} does not exist`);
  report(runCase(name as LinearizabilityCase, Math.max(1, Number(runs ?? 5) || 5)));
}
