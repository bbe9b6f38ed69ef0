import { describe, expect, it } from 'vitest';
import { heartbeatRun, ofKind } from '../helpers.ts';

describe('run metrics', () => {
  it('count exactly the sends, deliveries and drops the trace records', () => {
    const run = heartbeatRun({ seed: 6, network: { loss: 0.2, duplicate: 0.1 } }, [
      { at: '200ms', for: '300ms', type: 'partition', groups: [['n1', 'n2'], ['n3', 'n4', 'n5']] },
      { at: '600ms', type: 'crash', node: 'n4' },
    ]);
    const m = run.result.metrics;
    const drops = ofKind(run.events, 'drop');
    expect(m.messages.sent).toBe(ofKind(run.events, 'send').length);
    expect(m.messages.delivered).toBe(ofKind(run.events, 'deliver').length);
    expect(m.messages.dropped).toBe(drops.length);
    const byReason: Record<string, number> = {};
    for (const d of drops) byReason[d.reason] = (byReason[d.reason] ?? 0) + 1;
    expect(m.dropsByReason).toEqual(byReason);
    expect(Object.keys(byReason).sort()).toEqual(['crashed', 'loss', 'partition']);
    expect(m.byType.Heartbeat).toEqual({ sent: m.messages.sent, delivered: m.messages.delivered, dropped: m.messages.dropped });
    expect(m.messages.duplicated).toBeGreaterThan(0);
    expect(m.notes.status).toBe(ofKind(run.events, 'note').length);
    expect(m.virtualUs).toBe(run.result.endUs);
    expect(m.steps).toBeGreaterThan(0);
  });

  it('report each check as held, violated, unchecked, reached or unreached', () => {
    const pass = heartbeatRun({ seed: 1 }, [{ at: '500ms', type: 'crash', node: 'n2' }]);
    expect(pass.result.checks.map((c) => [c.name, c.status])).toEqual([['completeness', 'held'], ['accuracy', 'held'], ['false-suspicion', 'unreached']]);
    const broken = heartbeatRun({ seed: 1, bug: 'never-fail' }, [{ at: '500ms', type: 'crash', node: 'n2' }]);
    expect(broken.result.checks.find((c) => c.name === 'completeness')?.status).toBe('violated');
    const cut = heartbeatRun({ seed: 1, limits: { maxVirtualUs: 500_000 } });
    expect(cut.result.checks.find((c) => c.name === 'completeness')?.status).toBe('unchecked');
    const lossy = heartbeatRun({ seed: 1, network: { loss: 0.5 } });
    expect(lossy.result.checks.find((c) => c.name === 'false-suspicion')?.status).toBe('reached');
  });
});
