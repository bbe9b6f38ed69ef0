// The faultlab command line (commander). Commands: run, replay, compare, explore, check-history,
// export, import, protocols.
// Bad input of any kind prints one line "faultlab: <field>: <what was expected>" and exits with 2; a
// failed verdict, a diverged replay, a compare with a failed run or a history that is not
// linearizable exits with 1 (check-history exits with 3 when its step budget runs out). This
// folder is the only part of sim/ that may read real time (to report wall-clock speed) and touch
// the file system. It runs faultlab's own protocols without freezing (sim/freezing.ts).
import { Command, CommanderError, Option } from 'commander';
import { PROTOCOLS, protocolNames } from '../../protocols/registry.ts';
import { InputError } from '../schemaHelpers.ts';
import { setFreezing } from '../freezing.ts';
import { choiceFlag, collectSetting, durationFlag, integerFlag, integerListFlag, positiveNumberFlag, probabilityFlag, rangeFlag } from './flags.ts';
import { checkHistoryCommand, type CheckHistoryFlags } from './checkHistoryCommand.ts';
import { compareCommand, type CompareFlags } from './compareCommand.ts';
import { exploreCommand, type ExploreFlags } from './exploreCommand.ts';
import { parseShard } from '../explore/sweepRuns.ts';
import { STRATEGIES } from '../explore/strategies.ts';
import { exportCommand, type ExportFlags } from './exportCommand.ts';
import { importCommand, type ImportFlags } from './importCommand.ts';
import { EXPORT_FORMATS, FORMAT_DESCRIPTIONS } from '../export/formats.ts';
import { replayCommand } from './replayCommand.ts';
import { runCommand, type RunFlags } from './runCommand.ts';
import { viewCommand, type ViewFlags } from './viewCommand.ts';
import { MAX_CLIENT_OPS, MAX_NODES } from '../runOptions.ts';
import { parseConfig } from '../resolveRun.ts';
import { formatSetting } from '../settings.ts';

export function main(argv: string[]): number | Promise<number> {
  // faultlab's own protocols run unfrozen here; loading a user's protocol turns freezing back on.
  setFreezing(false);
  // A reader that stops early (faultlab ... | head) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  let exitCode: number | Promise<number> = 0;
  const program = new Command('faultlab')
    .description('Deterministic simulation of distributed protocols under network, node, clock and storage faults.')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`faultlab: ${text.replace(/^error: /, '').trim()}\n`) })
    .showHelpAfterError('(run faultlab --help for usage)');
  program.command('run').argument('<protocol>', `one of: ${protocolNames().join(', ')}`)
    .description('run one seeded simulation, print its summary and write its trace')
    .addOption(new Option('-n, --nodes <n>', `number of nodes, 1..${MAX_NODES} (default 5)`).argParser(integerFlag('--nodes', 1, MAX_NODES)))
    .addOption(new Option('-s, --seed <n>', 'seed that decides everything in the run (default 1)').argParser(integerFlag('--seed', 0)))
    .addOption(new Option('-d, --duration <d>', 'length of the fault phase, e.g. 30s (default 30s)').argParser(durationFlag('--duration')))
    .addOption(new Option('--heal <d>', 'length of the heal phase (default: long enough for every check bound)').argParser(durationFlag('--heal')))
    .addOption(new Option('--latency <min..max>', 'message latency range, e.g. 1ms..10ms (default 1ms..10ms)').argParser(rangeFlag('--latency')))
    .addOption(new Option('--latency-dist <dist>', 'uniform or pareto (long-tailed) (default uniform)').argParser(choiceFlag('--latency-dist', ['uniform', 'pareto'] as const)))
    .addOption(new Option('--pareto-alpha <a>', 'tail index of the pareto latency (default 1.5)').argParser(positiveNumberFlag('--pareto-alpha')))
    .addOption(new Option('--loss <p>', 'probability a message is lost (default 0)').argParser(probabilityFlag('--loss')))
    .addOption(new Option('--dup <p>', 'probability a message is duplicated (default 0)').argParser(probabilityFlag('--dup')))
    .addOption(new Option('--ordering <o>', 'fifo or unordered links (default unordered)').argParser(choiceFlag('--ordering', ['fifo', 'unordered'] as const)))
    .addOption(new Option('--storage-latency <d>', 'disk write latency (default 200us)').argParser(durationFlag('--storage-latency')))
    .option('--fault-plan <file>', 'JSON fault plan (see README)')
    .option('--swarm', 'draw network options and a fault plan from the seed, and print them')
    .addOption(new Option('--set <key=value>', 'protocol setting, repeatable (e.g. --set interval=100ms)').argParser(collectSetting))
    .option('--bug <name>', 'run a deliberately broken variant (see faultlab protocols)')
    .option('--variant <name>', 'the protocol\'s variant, same as --set variant=NAME (saga: orchestration or choreography)')
    .addOption(new Option('--clients <n>', 'simulated clients (protocols with a workload)').argParser(integerFlag('--clients', 0, 10_000)))
    .addOption(new Option('--client-timeout <d>', 'client request timeout (default 1s)').argParser(durationFlag('--client-timeout')))
    .addOption(new Option('--client-think <d>', 'think time between a client\'s operations (default 10ms)').argParser(durationFlag('--client-think')))
    .addOption(new Option('--client-ops <n>', 'most operations each client invokes, then it stops (default: no limit)').argParser(integerFlag('--client-ops', 1, MAX_CLIENT_OPS)))
    .option('-o, --out <file>', 'trace file (default runs/<protocol>-seed<seed>.jsonl)')
    .option('--no-trace', 'do not write a trace')
    .addOption(new Option('--max-events <n>', 'event budget (default 50,000,000)').argParser(integerFlag('--max-events', 1)))
    .addOption(new Option('--max-time <d>', 'virtual-time limit (default 60m)').argParser(durationFlag('--max-time')))
    .option('--json', 'print the result as one JSON object')
    .action((protocol: string, flags: RunFlags, command: Command) => {
      const spec = PROTOCOLS[protocol];
      if (!spec) throw new InputError(`run: unknown protocol ${JSON.stringify(protocol)}; expected one of ${protocolNames().join(', ')}`);
      exitCode = runCommand(spec, flags, command, argv);
    });
  program.command('replay').argument('<file>', 'a trace written by faultlab run, or a repro file written by faultlab explore')
    .description('re-run a trace (or a repro file) and check that it is identical: line for line (or same verdict and trace hash)')
    .option('--trace <file>', 'repro files: also write the run\'s trace, for the viewer')
    .option('--spec <module>', 'repro files of your own protocol: the module that exports its spec')
    .action((path: string, flags: { trace?: string; spec?: string }) => {
      exitCode = replayCommand(path, flags);
    });
  program.command('compare').argument('<protocols...>', `one or more of: ${protocolNames().join(', ')} (protocols with metrics)`)
    .description('run protocols on the same scenarios over many seeds and compare their metrics (median and p95)')
    .addOption(new Option('--nodes <list>', `cluster sizes, comma-separated, each 1..${MAX_NODES} (default 8,32,128)`).argParser(integerListFlag('--nodes', 1, MAX_NODES)))
    .addOption(new Option('--loss <p>', 'probability a message is lost (default 0)').argParser(probabilityFlag('--loss')))
    .addOption(new Option('--seeds <m>', 'seeds 1..m per protocol and cluster size (default 20)').argParser(integerFlag('--seeds', 1, 100_000)))
    .addOption(new Option('--crashes <c>', 'permanent crashes per run, fewer than the nodes (default 1)').argParser(integerFlag('--crashes', 0, MAX_NODES)))
    .addOption(new Option('-d, --duration <d>', 'length of the fault phase (default 10s)').argParser(durationFlag('--duration')))
    .addOption(new Option('--latency <min..max>', 'message latency range (default 1ms..10ms)').argParser(rangeFlag('--latency')))
    .addOption(new Option('--workers <k>', 'worker threads (default: the number of cores)').argParser(integerFlag('--workers', 1, 256)))
    .option('--json', 'print every run\'s figures and the table as one JSON object')
    .action((protocols: string[], flags: CompareFlags) => {
      exitCode = compareCommand(protocols, flags);
    });
  program.command('explore').argument('<protocol>', `one of: ${protocolNames().join(', ')}; or a module exporting your protocol's spec`)
    .description('search generated schedules for a failing run; shrink it, write a repro file and print the replay command')
    .option('--bug <name>', 'explore a deliberately broken variant; "list" lists them')
    .addOption(new Option('--runs <n>', 'runs in the sweep (default 1000)').argParser(integerFlag('--runs', 1)))
    .addOption(new Option('--time <d>', 'explore for this long instead, e.g. 60s').argParser(durationFlag('--time')))
    .addOption(new Option('--strategy <s>', `${STRATEGIES.join(', ')} (default swarm)`).argParser(choiceFlag('--strategy', STRATEGIES)))
    .addOption(new Option('--workers <k>', 'worker threads (default: the number of cores)').argParser(integerFlag('--workers', 1, 256)))
    .addOption(new Option('--shard <i/n>', 'explore only shard i of n of the sweep (split one sweep across machines)').argParser((text: string) => parseShard(text)))
    .addOption(new Option('-s, --seed <n>', 'sweep seed: decides every run of the sweep (default 1)').argParser(integerFlag('--seed', 0, 2 ** 31 - 1)))
    .addOption(new Option('-n, --nodes <n>', 'largest cluster; runs have 3 to n nodes, as the protocol allows (default 5)').argParser(integerFlag('--nodes', 1, 64)))
    .addOption(new Option('-d, --duration <d>', 'length of each run\'s fault phase (default 5s)').argParser(durationFlag('--duration')))
    .addOption(new Option('--max-faults <n>', 'most faults in one run (default 8)').argParser(integerFlag('--max-faults', 0, 100)))
    .addOption(new Option('--depth <d>', 'PCT bug depth d: d - 1 priority change points (default 3)').argParser(integerFlag('--depth', 1, 100)))
    .addOption(new Option('--max-shrinks <n>', 'most candidate runs when shrinking (default 300)').argParser(integerFlag('--max-shrinks', 0, 1_000_000)))
    .addOption(new Option('--set <key=value>', 'protocol setting, repeatable').argParser(collectSetting))
    .addOption(new Option('--clients <n>', 'simulated clients in every run (default: the protocol\'s)').argParser(integerFlag('--clients', 0, 10_000)))
    .addOption(new Option('--client-ops <n>', 'most operations each client invokes in a run (default: no limit)').argParser(integerFlag('--client-ops', 1, MAX_CLIENT_OPS)))
    .option('-o, --out <file>', 'repro file to write on failure (default repro.json)')
    .option('--json', 'print the outcome as one JSON object')
    .action((protocol: string, flags: ExploreFlags) => {
      exitCode = exploreCommand(protocol, flags);
    });
  program.command('check-history').argument('<file>', 'a Jepsen etcd log, a Porcupine kv EDN history, a faultlab trace or faultlab run JSON')
    .description('check a client history for linearizability (exit 0 linearizable, 1 not, 3 no verdict within --max-steps)')
    .addOption(new Option('--model <model>', 'register or kv (default: from the format; faultlab histories: from the operations)').argParser(choiceFlag('--model', ['register', 'kv'] as const)))
    .addOption(new Option('--max-steps <n>', 'give up (exit 3) after this many search steps (default: no limit)').argParser(integerFlag('--max-steps', 1)))
    .option('--no-partition', 'check the history whole, even where the model splits it per key')
    .option('--json', 'print the result as one JSON object')
    .action((file: string, flags: CheckHistoryFlags) => {
      exitCode = checkHistoryCommand(file, flags);
    });
  program.command('export').argument('<traces...>', 'trace files written by faultlab run (several only with --format shiviz)')
    .description('convert traces for other tools: ShiViz, Perfetto / chrome://tracing, Jepsen, Porcupine')
    .addOption(new Option('-f, --format <format>', EXPORT_FORMATS.map((f) => `${f}: ${FORMAT_DESCRIPTIONS[f]}`).join('; ')).argParser(choiceFlag('--format', EXPORT_FORMATS)).makeOptionMandatory())
    .option('-o, --out <file>', 'write to this file (default: stdout)')
    .addOption(new Option('--until <d>', 'leave out events after this virtual time, e.g. 2s').argParser(durationFlag('--until')))
    .action((traces: string[], flags: ExportFlags) => {
      exitCode = exportCommand(traces, flags);
    });
  program.command('import').argument('<history>', 'a Jepsen EDN history (history.edn)')
    .description('convert a Jepsen EDN history to faultlab history JSON and/or check it (--check: exit 0 linearizable, 1 not, 4 no verdict)')
    .option('-o, --out <file>', 'write the faultlab history JSON to this file (default: stdout, unless --check)')
    .option('--check', 'check the history for linearizability and print the verdict, as check-history does')
    .addOption(new Option('--model <model>', 'register or kv (default: from the operations)').argParser(choiceFlag('--model', ['register', 'kv'] as const)))
    .addOption(new Option('--max-steps <n>', 'with --check: give up (exit 4) after this many search steps').argParser(integerFlag('--max-steps', 1)))
    .option('--no-partition', 'with --check: check the history whole, even where the model splits it per key')
    .option('--json', 'with --check: print the result as one JSON object')
    .action((history: string, flags: ImportFlags) => {
      exitCode = importCommand(history, flags);
    });
  program.command('view').argument('[trace]', 'a trace written by faultlab run (default: open the viewer on a lesson)')
    .description('build and serve the browser viewer on localhost, showing the trace')
    .addOption(new Option('--port <n>', 'port to listen on, 0 for any free one (default 5174)').argParser(integerFlag('--port', 0, 65535)))
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--no-build', 'serve the last build without checking whether it is current')
    .option('--open', 'open the URL in the system browser')
    .action((trace: string | undefined, flags: ViewFlags) => {
      exitCode = viewCommand(trace, flags);
    });
  program.command('protocols').description('list the protocols, their settings and their deliberately broken variants')
    .action(() => listProtocols());
  return parseAndRun(program, argv, () => exitCode);
}

function parseAndRun(program: Command, argv: string[], exitCode: () => number | Promise<number>): number | Promise<number> {
  try {
    program.parse(argv, { from: 'user' });
    const code = exitCode();
    return typeof code === 'number' ? code : code.catch(failed);
  } catch (error) {
    return failed(error);
  }
}

/** The exit code for an error thrown while parsing or running a command (printed on stderr). */
function failed(error: unknown): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version') return 0;
    if (error.code === 'commander.invalidArgument' && error.cause instanceof InputError) return 2;
    return 2;
  }
  if (error instanceof InputError) {
    process.stderr.write(`faultlab: ${error.message}\n`);
    return 2;
  }
  process.stderr.write(`faultlab: internal error (a bug in faultlab, please report it): ${(error as Error).stack ?? String(error)}\n`);
  return 3;
}

function listProtocols(): void {
  for (const name of protocolNames()) {
    const spec = PROTOCOLS[name];
    if (!spec) continue;
    const defaults = parseConfig(spec, {});
    process.stdout.write(`${name}: ${spec.summary}\n  settings (--set key=value), with their defaults:\n`);
    const rows = Object.entries(spec.settings).map(([key, doc]) => [`${key}=${key in defaults ? formatSetting(spec.settings, key, defaults[key]) : '(unset)'}`, doc.doc] as const);
    const width = Math.max(0, ...rows.map(([left]) => left.length));
    for (const [left, doc] of rows) process.stdout.write(`    ${left.padEnd(width)}  ${doc}\n`);
    for (const [bug, what] of Object.entries(spec.bugs)) process.stdout.write(`  --bug ${bug}: ${what}\n`);
  }
}
