// The human-readable run summary the CLI prints: what ran, the verdict, each check's outcome,
// the metrics (the engine's counters, then the protocol's own figures), the trace and the command
// that replays the run.
import type { RunResult } from '../engine.ts';
import { describeFault, formatFaultPlan, type FaultPlan } from '../faultPlan.ts';
import { formatDuration, humanDuration } from '../duration.ts';
import { describeLatency } from '../latency.ts';
import type { ProtocolMetricValues } from '../protocolMetrics.ts';
import type { RunOptions } from '../runOptions.ts';
import { formatSetting, type SettingDocs } from '../settings.ts';
import { metricLabel } from './compareAggregate.ts';
import { percentile } from '../stats.ts';
import { spread } from '../stats.ts';
import type { SwarmDraw } from '../swarm.ts';
import { describeVerdict } from '../verdict.ts';

export interface SummaryInput {
  /** The protocol's setting docs, to print its settings readably. */
  settings: SettingDocs;
  options: RunOptions;
  plan: FaultPlan;
  result: RunResult;
  wallMs: number;
  trace: { path: string; lines: number; bytes: number } | undefined;
  replay: string;
}

const n = (x: number): string => x.toLocaleString('en-US');
const pct = (p: number): string => `${+(p * 100).toFixed(2)}%`;

/** `extra`: the user's flags beyond seed, nodes, duration and network (settings, bug, clients...). */
export function printSwarm(swarm: SwarmDraw, options: RunOptions, extra: readonly string[] = []): void {
  const lines = [
    `swarm draw for seed ${options.seed}:`,
    `  fault types enabled: ${swarm.enabled.join(', ') || '(none)'}`,
    `  network: ${describeNetwork(options)}`,
    `  fault plan: ${JSON.stringify(formatFaultPlan(swarm.plan))}`,
    `  the same run by hand: save the plan as plan.json, then`,
    `    faultlab run ${options.protocol} ${[...handFlags(options), ...extra].join(' ')} --fault-plan plan.json`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Flags that give a run these options without --swarm (with the plan passed separately). */
function handFlags(options: RunOptions): string[] {
  const net = options.network;
  const flags = [`--seed ${options.seed}`, `--nodes ${options.nodes}`, `--duration ${formatDuration(options.faultPhaseUs)}`];
  flags.push(`--latency ${formatDuration(net.latency.minUs)}..${formatDuration(net.latency.maxUs)}`);
  if (net.latency.dist === 'pareto') flags.push('--latency-dist pareto', `--pareto-alpha ${net.latency.alpha}`);
  flags.push(`--loss ${net.loss}`, `--dup ${net.duplicate}`, `--ordering ${net.ordering}`);
  return flags;
}

export function describeNetwork(options: RunOptions): string {
  const net = options.network;
  return `latency ${describeLatency(net.latency)}, loss ${pct(net.loss)}, duplicate ${pct(net.duplicate)}, ${net.ordering} links`;
}

export function printSummary(input: SummaryInput): void {
  const { options, plan, result, wallMs, trace, replay } = input;
  const m = result.metrics;
  const config = Object.entries(options.config).map(([k, v]) => `${k}=${formatSetting(input.settings, k, v, true)}`).join(' ');
  const out = [
    `faultlab run ${options.protocol}: seed ${options.seed}, ${options.nodes} nodes, fault phase ${humanDuration(options.faultPhaseUs)} + heal ${humanDuration(options.healUs)}${options.bug ? `, BUG ${options.bug}` : ''}`,
    `  settings: ${config || '(defaults)'}`,
    `  network: ${describeNetwork(options)}`,
    `  faults: ${plan.faults.length === 0 ? 'none' : plan.faults.length}`,
    ...plan.faults.map((f) => `    ${describeFault(f)}`),
    '',
    `verdict: ${result.verdict.kind === 'pass' ? 'PASS' : `FAIL (${describeVerdict(result.verdict)})`}`,
    ...(result.verdict.kind === 'crash' && result.verdict.stack ? [result.verdict.stack.replace(/^\s*/gm, '    ')] : []),
    ...result.checks.map((c) => `  ${c.status.padEnd(9)} ${c.name} (${c.kind}): ${c.description}${c.reason ? ` [not applicable: ${c.reason}]` : ''}`),
    '',
    `metrics: ${n(m.events)} events, ${n(m.steps)} protocol steps; virtual ${humanDuration(m.virtualUs)} in ${(wallMs / 1000).toFixed(3)}s wall (${speed(m.virtualUs / 1000 / Math.max(wallMs, 0.001))} real time)`,
    `  messages: ${n(m.messages.sent)} sent, ${n(m.messages.delivered)} delivered, ${n(m.messages.dropped)} dropped${dropReasons(m.dropsByReason)}, ${n(m.messages.duplicated)} duplicated`,
    ...Object.entries(m.byType).map(([type, c]) => `    ${type}: ${n(c.sent)} sent, ${n(c.delivered)} delivered, ${n(c.dropped)} dropped`),
    ...(m.clients.invoked > 0 ? [`  clients: ${n(m.clients.invoked)} invoked${options.clients.ops === undefined ? '' : ` (at most ${n(options.clients.ops)} per client)`}, ${n(m.clients.ok)} ok, ${n(m.clients.fail)} fail, ${n(m.clients.info)} info (timed out)`, ...latencyLines(result)] : []),
    ...(Object.keys(m.notes).length > 0 ? [`  notes: ${Object.entries(m.notes).map(([k, v]) => `${k} ${n(v)}`).join(', ')}`] : []),
    ...protocolMetricLines(result.protocolMetrics),
    '',
    trace ? `trace: ${trace.path} (${n(trace.lines)} lines, ${n(trace.bytes)} bytes), hash ${result.traceHash}` : 'trace: not written (--no-trace)',
    `replay: ${replay}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

/** The protocol's own figures, one per line: keys ending in Us as durations, lists summarised. */
function protocolMetricLines(values: ProtocolMetricValues): string[] {
  const entries = Object.entries(values);
  if (entries.length === 0) return [];
  const figure = (key: string, v: number): string => (key.endsWith('Us') ? humanDuration(Math.round(v)) : Number.isInteger(v) ? n(v) : String(+v.toPrecision(4)));
  return ['  protocol metrics:', ...entries.map(([key, v]) => {
    const label = metricLabel(key);
    if (v === null) return `    ${label}: -`;
    if (!Array.isArray(v)) return `    ${label}: ${figure(key, v)}`;
    const s = spread(v);
    return `    ${label}: ${n(s.count)} value${s.count === 1 ? '' : 's'}${s.count > 0 ? `, median ${figure(key, s.median as number)}, max ${figure(key, s.max as number)}` : ''}`;
  })];
}

/** Client latency (invoke to answer) of the operations that got one, and throughput. */
function latencyLines(result: RunResult): string[] {
  const answered = result.history.filter((h) => h.completeUs !== null && (h.outcome === 'ok' || h.outcome === 'fail'));
  if (answered.length === 0) return [];
  const latencies = answered.map((h) => (h.completeUs as number) - h.invokeUs);
  const at = (p: number): string => humanDuration(percentile(latencies, p) ?? 0);
  const perSecond = answered.length / Math.max(result.metrics.virtualUs / 1_000_000, 1e-9);
  return [`  client latency (answered operations): p50 ${at(50)}, p95 ${at(95)}, p99 ${at(99)}, max ${at(100)}; ${+perSecond.toPrecision(3)} answered per virtual second`];
}

/** 354x, 12x, 0.027x: whole numbers from 10 up, two significant digits below. */
function speed(ratio: number): string {
  return ratio >= 10 ? `${n(Math.round(ratio))}x` : `${+ratio.toPrecision(2)}x`;
}

function dropReasons(reasons: Record<string, number>): string {
  const parts = Object.entries(reasons).map(([r, c]) => `${r} ${n(c)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
