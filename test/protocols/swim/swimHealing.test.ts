// SWIM converges after faults heal, in pinned whole-run scenarios: a split into two halves, a
// crash and restart (rejoining at a higher incarnation), a restart from a corrupted disk (a fresh
// node refuting its own tombstone), and a partition already in force when the cluster boots.
import { describe, expect, it } from 'vitest';
import type { TracedRun } from '../../helpers.ts';
import { lastStatusOf, outcome, swimRun } from './swimFixtures.ts';

/** "observer>member:status" for every ordered pair of distinct nodes. */
function pairs(nodes: number, statusOf: (observer: number, member: number) => string): string[] {
  const out: string[] = [];
  for (let member = 1; member <= nodes; member++) {
    for (let observer = 1; observer <= nodes; observer++) if (observer !== member) out.push(`n${observer}>n${member}:${statusOf(observer, member)}`);
  }
  return out;
}

/** Every node's last word on every other node (unknown: it never noted one). */
function finalViews(run: TracedRun, nodes: number): string[] {
  const last = Array.from({ length: nodes + 1 }, (_, member) => lastStatusOf(run, member));
  return pairs(nodes, (observer, member) => last[member]?.get(observer) ?? 'unknown');
}
const allAliveViews = (nodes: number) => pairs(nodes, () => 'Alive');

describe('SWIM heals into one cluster', () => {
  it('after a partition into two halves (1 s to 5 s), every member is Alive everywhere again', () => {
    const run = swimRun({ seed: 2 }, [{ at: '1s', for: '4s', type: 'partition', groups: [['n1', 'n2', 'n4'], ['n3', 'n5']] }]);
    expect(run.result.verdict).toEqual({ kind: 'pass' });
    expect(outcome(run.result, 'refutation')?.status).toBe('held');
    expect(finalViews(run, 5)).toEqual(allAliveViews(5));
  });

  it('a crashed member restarts at a higher incarnation and is Alive everywhere again', () => {
    const run = swimRun({ seed: 1 }, [{ at: '2s', for: '4s', type: 'crash', node: 'n5' }]);
    expect(run.result.verdict).toEqual({ kind: 'pass' });
    const boots = run.events.filter((e) => e.kind === 'boot' && e.node === 5);
    expect(boots.map((b) => (b as { state: { inc: number } }).state.inc)).toEqual([0, 1]);
    expect(finalViews(run, 5)).toEqual(allAliveViews(5));
  });

  it('a member restarted from a corrupted disk boots fresh at incarnation 0 and refutes its own tombstone', () => {
    const faults = [{ at: '1s', type: 'disk-corrupt', node: 'n5' }, { at: '2s', for: '5s', type: 'crash', node: 'n5' }];
    const run = swimRun({ seed: 1 }, faults);
    expect(run.result.verdict).toEqual({ kind: 'pass' });
    const reboot = run.events.filter((e) => e.kind === 'boot' && e.node === 5)[1];
    expect(reboot).toMatchObject({ disk: 'corrupt', state: { inc: 0 } });
    expect(run.events.some((e) => e.kind === 'note' && e.node === 5 && e.name === 'incarnation' && (e.data as { reason: string }).reason === 'refute death')).toBe(true);
    expect(finalViews(run, 5)).toEqual(allAliveViews(5));
  });

  // Fails on a protocol bug: a seed counts as joined as soon as any node contacts it, and nobody
  // ever contacts a member it has not heard of, so two groups that each formed around their own
  // seeds during a partition at boot never learn of each other: the cluster stays split for good.
  it('a partition already in force at boot that splits the seeds, [[n1, n2], [n3, n4]] from 0 s to 3 s, heals into one cluster', () => {
    const run = swimRun({ seed: 1, nodes: 4 }, [{ at: '0s', for: '3s', type: 'partition', groups: [['n1', 'n2'], ['n3', 'n4']] }]);
    expect(finalViews(run, 4)).toEqual(allAliveViews(4));
    expect(run.result.verdict).toEqual({ kind: 'pass' });
  });
});
