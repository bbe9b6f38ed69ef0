// Runs described in the page (runSpec.ts): a URL round-trips, bad values name the flag, and the
// trace hash of a run simulated the page's way equals the hash `faultlab run` prints for the same
// flags (the CLI itself is run). Forks (forkPlan.ts): each action yields a valid plan, dropping a
// message drops exactly that arrival, and the first divergence is the added fault's event.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { forkPlan, type ForkAction } from '../../web/app/forkPlan.ts';
import { resolveRunSpec, runSpecFromParams, runSpecToCli, runSpecToParams, type RunSpec } from '../../web/run/runSpec.ts';
import { PROTOCOLS } from '../../protocols/registry.ts';
import { firstDivergence } from '../../web/trace/divergence.ts';
import { KIND } from '../../web/trace/columns.ts';
import { simulateFork, simulateSpec } from '../../web/worker/simulate.ts';
import { Slot } from '../../web/worker/traceSlots.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultlab-web-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SPECS: RunSpec[] = [
  { protocol: 'raft', flags: { seed: '7', duration: '2s', clients: '2', loss: '0.05', ordering: 'fifo', 'client-timeout': '500ms' }, set: [['preVote', 'true'], ['electionMin', '120ms']], plan: { faults: [{ type: 'crash', at: '800ms', node: 'n2', for: '400ms' }, { type: 'clock-drift', at: '1s', node: 'n3', rate: 1.5, for: '500ms' }] } },
  { protocol: 'heartbeat', flags: { seed: '3', nodes: '4', duration: '3s', latency: '2ms..20ms', 'latency-dist': 'pareto', 'pareto-alpha': '2', dup: '0.1', heal: '2s' }, set: [['interval', '50ms']], plan: undefined },
  { protocol: '2pc', flags: { seed: '5', duration: '2s', clients: '3', 'client-ops': '2' }, set: [], plan: undefined },
];

function cliHash(spec: RunSpec): string {
  const planFile = join(dir, 'plan.json');
  if (spec.plan !== undefined) writeFileSync(planFile, JSON.stringify(spec.plan));
  const args = ['bin/faultlab', ...runSpecToCli(spec, planFile), '-o', join(dir, 'run.jsonl'), '--json'];
  const out = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (out.status !== 0 && out.status !== 1) throw new Error(`faultlab ${args.join(' ')} failed: ${out.stderr}`);
  return (JSON.parse(out.stdout) as { traceHash: string }).traceHash;
}

describe('run descriptions', () => {
  test('--client-ops is the clients\' operation budget; without it the options have none', () => {
    const options = (flags: RunSpec['flags']) => resolveRunSpec({ protocol: '2pc', flags, set: [], plan: undefined }, PROTOCOLS).options.clients;
    expect(options({ 'client-ops': '2' }).ops).toBe(2);
    expect('ops' in options({})).toBe(false);
  });

  test('a URL round-trips', () => {
    for (const spec of SPECS) expect(runSpecFromParams(new URLSearchParams(runSpecToParams(spec).toString()))).toEqual(spec);
  });

  for (const spec of SPECS) {
    test(`${spec.protocol}: the page's run has the CLI's trace hash`, () => {
      expect(simulateSpec(spec).hash).toBe(cliHash(spec));
    }, 60_000);
  }

  test('bad values name the flag and what was expected', () => {
    const bad = (flags: RunSpec['flags'], plan?: unknown) => () => resolveRunSpec({ protocol: 'raft', flags, set: [], plan }, PROTOCOLS);
    expect(bad({ loss: '2' })).toThrow(/--loss: expected a probability between 0 and 1/);
    expect(bad({ seed: 'x' })).toThrow(/--seed: expected a whole number/);
    expect(bad({ 'client-ops': '0' })).toThrow(/--client-ops: expected a whole number from 1/);
    expect(bad({}, { faults: [{ type: 'crash', at: '1s', node: 'n9' }] })).toThrow(/faults\[0\]\.node: n9 does not exist/);
    expect(() => resolveRunSpec({ protocol: 'paxos', flags: {}, set: [], plan: undefined }, PROTOCOLS)).toThrow(/unknown protocol "paxos"/);
    expect(() => runSpecFromParams(new URLSearchParams('protocol=raft&plan={oops'))).toThrow(/plan: expected a JSON fault plan/);
  });
});

describe('forks', () => {
  const base = Slot.index(simulateSpec({ protocol: 'heartbeat', flags: { seed: '2', duration: '3s' }, set: [], plan: { faults: [{ type: 'partition', at: '1s', groups: [['n1'], ['n2', 'n3', 'n4', 'n5']] }] } }).bytes, 'base', () => undefined);
  const header = base.trace.header;
  const fork = (plan: { faults: Record<string, unknown>[] }) => Slot.index(simulateFork(header, plan).bytes, 'fork', () => undefined);

  test('crash, restart, pause, partition, heal and skew each give a plan that runs, diverging at the new fault', () => {
    const actions: ForkAction[] = [
      { kind: 'crash', node: 2, forUs: 500_000 }, { kind: 'pause', node: 3, forUs: 200_000 }, { kind: 'partition', side: [4, 5] },
      { kind: 'heal' }, { kind: 'skew', node: 2, offsetUs: -300_000 }, { kind: 'restart', node: 1 },
    ];
    for (const action of actions) {
      const at = action.kind === 'heal' ? 1_500_000 : 2_000_000;
      const planned = forkPlan(header, at, action);
      const f = fork(planned.plan);
      const index = firstDivergence(base.trace, f.trace);
      expect(index, planned.label).toBeGreaterThanOrEqual(0);
      expect(f.trace.columns.t[index], planned.label).toBe(at);
      expect(f.trace.columns.kind[index], planned.label).toBe(KIND.fault);
    }
  }, 60_000);

  test('dropping one message drops exactly that arrival, with reason partition', () => {
    const c = base.trace.columns;
    let deliver = -1;
    for (let i = 0; i < c.count && deliver < 0; i++) if (c.kind[i] === KIND.deliver && (c.t[i] as number) > 500_000) deliver = i;
    const send = c.link[deliver] as number;
    const planned = forkPlan(header, 0, { kind: 'drop', from: c.a[send] as number, to: c.b[send] as number, arriveUs: c.t[deliver] as number, type: 'Heartbeat' });
    const f = fork(planned.plan);
    const fc = f.trace.columns;
    let drop = -1;
    for (let i = 0; i < fc.count && drop < 0; i++) if (fc.kind[i] === KIND.drop && fc.id[i] === c.id[send]) drop = i;
    expect(drop).toBeGreaterThan(0);
    expect(f.trace.strings.list[fc.s[drop] as number]).toBe('partition');
    expect(fc.t[drop]).toBe(c.t[deliver]);
  }, 60_000);

  test('a plan with event-triggered faults forks with its triggers kept; heal leaves triggered cuts alone', () => {
    const chase = { faults: [{ type: 'partition', at: '0us', groups: [['noted'], ['others']], after: { note: 'status', nth: 1, delay: '1ms' }, for: '200ms' }] };
    const run = Slot.index(simulateSpec({ protocol: 'heartbeat', flags: { seed: '2', duration: '3s' }, set: [], plan: chase }).bytes, 'chase', () => undefined);
    const planned = forkPlan(run.trace.header, 2_000_000, { kind: 'crash', node: 2 });
    expect(planned.plan.faults[0]).toEqual(chase.faults[0]);
    expect(() => forkPlan(run.trace.header, 100_000, { kind: 'heal' })).toThrow(/nothing to heal/);
  });

  test('faults after the fault phase and heal without a partition are refused with a reason', () => {
    expect(() => forkPlan(header, 3_500_000, { kind: 'crash', node: 1 })).toThrow(/only be injected in the fault phase \(0 to 3s\)/);
    expect(() => forkPlan(header, 500_000, { kind: 'heal' })).toThrow(/nothing to heal/);
    expect(() => forkPlan(header, 500_000, { kind: 'partition', side: [1, 2, 3, 4, 5] })).toThrow(/at least one node on each side/);
  });
});
