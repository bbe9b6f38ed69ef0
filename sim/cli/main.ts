// The faultlab command line (commander). Commands: run, replay, compare, check-history, protocols.
// Bad input of any kind prints one line "faultlab: <field>: <what was expected>" and exits with 2; a
// failed verdict, a diverged replay, a compare with a failed run or a history that is not
// linearizable exits with 1 (check-history exits with 3 when its step budget runs out). This
// folder is the only part of sim/ that may read real time (to report wall-clock speed) and touch
// the file system.
import { Command, CommanderError, Option } from 'commander';
import { PROTOCOLS, protocolNames } from '../../protocols/registry.ts';
import { InputError } from '../schemaHelpers.ts';
import { choiceFlag, collectSetting, durationFlag, integerFlag, integerListFlag, positiveNumberFlag, probabilityFlag, rangeFlag } from './flags.ts';
import { checkHistoryCommand, type CheckHistoryFlags } from './checkHistoryCommand.ts';
import { compareCommand, type CompareFlags } from './compareCommand.ts';
import { replayCommand } from './replayCommand.ts';
import { runCommand, type RunFlags } from './runCommand.ts';
import { MAX_NODES } from '../runOptions.ts';
import { parseConfig } from '../resolveRun.ts';
import { formatSetting } from '../settings.ts';

export function main(argv: string[]): number {
  // A reader that stops early (faultlab ... | head) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  let exitCode = 0;
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
    .addOption(new Option('--clients <n>', 'simulated clients (protocols with a workload)').argParser(integerFlag('--clients', 0, 10_000)))
    .addOption(new Option('--client-timeout <d>', 'client request timeout (default 1s)').argParser(durationFlag('--client-timeout')))
    .addOption(new Option('--client-think <d>', 'think time between a client\'s operations (default 10ms)').argParser(durationFlag('--client-think')))
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
  program.command('replay').argument('<trace>', 'a trace written by faultlab run')
    .description('re-run a trace from its header and check that it is identical, line for line')
    .action((path: string) => {
      exitCode = replayCommand(path);
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
  program.command('check-history').argument('<file>', 'a Jepsen etcd log, a Porcupine kv EDN history, a faultlab trace or faultlab run JSON')
    .description('check a client history for linearizability (exit 0 linearizable, 1 not, 3 no verdict within --max-steps)')
    .addOption(new Option('--model <model>', 'register or kv (default: from the format; faultlab histories: from the operations)').argParser(choiceFlag('--model', ['register', 'kv'] as const)))
    .addOption(new Option('--max-steps <n>', 'give up (exit 3) after this many search steps (default: no limit)').argParser(integerFlag('--max-steps', 1)))
    .option('--no-partition', 'check the history whole, even where the model splits it per key')
    .option('--json', 'print the result as one JSON object')
    .action((file: string, flags: CheckHistoryFlags) => {
      exitCode = checkHistoryCommand(file, flags);
    });
  program.command('protocols').description('list the protocols, their settings and their deliberately broken variants')
    .action(() => listProtocols());
  return parseAndRun(program, argv, () => exitCode);
}

function parseAndRun(program: Command, argv: string[], exitCode: () => number): number {
  try {
    program.parse(argv, { from: 'user' });
    return exitCode();
  } catch (error) {
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
