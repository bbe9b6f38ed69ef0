// `npm run explore:long`: a long sweep of every registered protocol (correct variants) with every
// strategy, through the real command line (`faultlab explore <protocol> --time ...`), so worker
// threads, shrinking and repro files are exercised as a user meets them. Prints one line per
// sweep and a summary; exits 1 if any sweep found a failure (its repro file is under runs/).
// Environment: EXPLORE_LONG_TIME (default 60s per protocol and strategy), EXPLORE_LONG_SEED
// (sweep seed, default 1), EXPLORE_LONG_PROTOCOLS (comma-separated; default all).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROTOCOLS } from '../../protocols/registry.ts';
import { STRATEGIES } from '../../sim/explore/strategies.ts';
import { REPO_ROOT, table } from './common.ts';

const TIME = process.env.EXPLORE_LONG_TIME ?? '60s';
const SEED = process.env.EXPLORE_LONG_SEED ?? '1';
const NAMES = (process.env.EXPLORE_LONG_PROTOCOLS ?? Object.keys(PROTOCOLS).sort().join(',')).split(',');

const rows: string[][] = [];
let failed = 0;
for (const protocol of NAMES) {
  for (const strategy of STRATEGIES) {
    const out = path.join('runs', `explore-long-${protocol}-${strategy}.json`);
    const args = [path.join(REPO_ROOT, 'bin/faultlab'), 'explore', protocol, '--strategy', strategy, '--time', TIME, '--seed', SEED, '--out', out, '--json'];
    const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0 && r.status !== 1) throw new Error(`faultlab explore ${protocol} --strategy ${strategy} exited with ${r.status}:\n${r.stdout}`);
    const report = JSON.parse(r.stdout) as { runs: number; failure: { run: number; verdict: string } | null; counterexample: { replay: string } | null; reached: Record<string, number>; timing: { executed: number } };
    if (report.failure) failed++;
    const never = Object.entries(report.reached).filter(([, n]) => n === 0).map(([c]) => c);
    rows.push([protocol, strategy, report.timing.executed.toLocaleString('en-US'), report.failure ? `FAILED at run ${report.failure.run}: ${report.failure.verdict.slice(0, 80)} (${report.counterexample?.replay})` : 'no failure', never.length ? never.join(', ') : '-']);
    process.stdout.write(`${rows.at(-1)?.join('  ')}\n`);
  }
}
process.stdout.write(`\n${table(['protocol', 'strategy', 'runs', 'outcome', 'sometimes-checks never reached'], rows)}\n`);
process.exitCode = failed > 0 ? 1 : 0;
