// Every export of a run of every registered protocol (under a partition, a crash, a pause, loss
// and duplicates) passes its format's validator: the ShiViz log ShiViz's rules, the Perfetto JSON
// the Trace Event rules, the Jepsen history Jepsen's; Porcupine's formats take the key-value
// history and refuse the others, naming why. One file, so each protocol runs once.
import { describe, expect, it } from 'vitest';
import { exportJepsen } from '../../sim/export/jepsen.ts';
import { exportPerfetto } from '../../sim/export/perfetto.ts';
import { exportPorcupine } from '../../sim/export/porcupine.ts';
import { exportShiviz } from '../../sim/export/shiviz.ts';
import { checkLoadedHistory, loadHistory } from '../../sim/linearizability/loadHistory.ts';
import { ALL_PROTOCOLS, protocolRun } from './exportFixtures.ts';
import { validateJepsenHistory } from './jepsenValidator.ts';
import { validateChromeTrace } from './perfettoValidator.ts';
import { validateShiviz } from './shivizValidator.ts';

describe.each(ALL_PROTOCOLS)('%s', (protocol) => {
  const { input, run } = protocolRun(protocol);
  const delivered = new Set(input.events.flatMap((e) => (e.kind === 'deliver' ? [e.id] : [])));
  const invokes = input.events.filter((e) => e.kind === 'invoke').length;

  it('ShiViz: every rule holds; each delivery is a receive, each dropped message a send with no receive', () => {
    const [execution, ...more] = validateShiviz(exportShiviz([input]));
    expect(more).toHaveLength(0);
    expect(execution?.label).toBe(`${protocol} seed 1`);
    expect(execution?.receives).toBe(delivered.size);
    const dropped = input.events.flatMap((e) => (e.kind === 'drop' && !delivered.has(e.id) ? [e.id] : []));
    expect(dropped.length).toBeGreaterThan(0);
    for (const id of dropped) expect(execution?.unreceived).toContain(id);
    expect([...new Set(execution?.events.map((e) => e.host))].sort()).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
  });

  it('Perfetto: valid Trace Event JSON with an arrow per delivery, the nodes, the cluster, the counter and (with clients) the clients', () => {
    const summary = validateChromeTrace(JSON.parse(exportPerfetto(input)));
    expect(summary.flows).toBe(input.events.filter((e) => e.kind === 'deliver').length);
    expect([...summary.processes.values()]).toEqual(expect.arrayContaining(['n1', 'n2', 'n3', 'n4', 'n5', 'cluster']));
    expect(summary.counters).toBeGreaterThan(0);
    expect(summary.processes.get(7)).toBe(invokes > 0 ? 'clients' : undefined);
  });

  it('Jepsen: a valid history of every client operation with the faults as nemesis operations, or a refusal when there are no clients', () => {
    if (invokes === 0) {
      expect(() => exportJepsen(input)).toThrow(new RegExp(`--format jepsen: ${protocol}-seed1\\.jsonl: no client operations in this ${protocol} run`));
      return;
    }
    const summary = validateJepsenHistory(exportJepsen(input));
    expect(summary.invokes).toBe(invokes);
    expect(summary.nemesis).toBe(6);
    expect(summary.open).toBe(run.result.history.filter((e) => e.outcome === 'pending').length);
  });

  it('Porcupine: the key-value history keeps faultlab\'s verdict; other histories are refused, naming why', () => {
    const kv = run.result.history.length > 0 && run.result.history.every((e) => typeof (e.op as { key?: unknown }).key === 'string');
    if (!kv) {
      expect(() => exportPorcupine(input)).toThrow(invokes === 0 ? /no client operations/ : /export this one with --format jepsen/);
      return;
    }
    const exported = exportPorcupine(input);
    expect(exported.format).toBe('kv-edn');
    expect(checkLoadedHistory(loadHistory(exported.text, 'kv.txt')).verdict).toBe(checkLoadedHistory(loadHistory(run.text, 'run.jsonl')).verdict);
  });
});
