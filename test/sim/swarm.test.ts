// Swarm runs (random network and fault mix per seed) checked against engine invariants that must
// hold whatever the faults: time order, message ids, and no activity on crashed or paused nodes.
import { describe, expect, it } from 'vitest';
import { formatFaultPlan } from '../../sim/faultPlan.ts';
import { drawSwarm } from '../../sim/swarm.ts';
import type { TraceEvent } from '../../sim/traceEvents.ts';
import { heartbeatSpec } from '../../protocols/heartbeat/spec.ts';
import { simulate, testProtocol, testSpec, type TestEffect } from '../helpers.ts';

const NODE_ACTIVITY = new Set(['deliver', 'timer', 'state', 'note', 'send']);

/** Every broken invariant in a trace, as readable strings. */
function invariantErrors(events: readonly TraceEvent[]): string[] {
  const errors: string[] = [];
  const up = new Map<number, boolean>();
  const paused = new Map<number, number>();
  const sends = new Map<number, { from: number; to: number; outcomes: number }>();
  // A crash records the sends its unfinished writes held, as dropped, at the moment of the crash.
  const lostInCrash = new Set(events.flatMap((e) => (e.kind === 'drop' && e.reason === 'crash-before-persist' ? [e.id] : [])));
  let last = 0;
  for (const e of events) {
    if (e.t < last) errors.push(`time goes back to ${e.t}us`);
    last = e.t;
    if (e.kind === 'boot') {
      if (up.get(e.node)) errors.push(`n${e.node} booted at ${e.t}us while up`);
      up.set(e.node, true);
      continue;
    }
    if (e.kind === 'fault' && e.fault.type === 'crash' && e.phase === 'start') up.set(e.fault.node, false);
    if (e.kind === 'fault' && e.fault.type === 'pause') paused.set(e.fault.node, (paused.get(e.fault.node) ?? 0) + (e.phase === 'start' ? 1 : -1));
    const node = e.kind === 'deliver' ? e.to : e.kind === 'send' ? e.from : e.kind === 'timer' || e.kind === 'state' || e.kind === 'note' ? e.node : undefined;
    if (node !== undefined && NODE_ACTIVITY.has(e.kind) && !(e.kind === 'send' && lostInCrash.has(e.id))) {
      if (up.get(node) === false) errors.push(`${e.kind} on crashed n${node} at ${e.t}us`);
      if ((paused.get(node) ?? 0) > 0) errors.push(`${e.kind} on paused n${node} at ${e.t}us`);
    }
    if (e.kind === 'send') sends.set(e.id, { from: e.from, to: e.to, outcomes: 0 });
    if (e.kind === 'deliver' || e.kind === 'drop') {
      const send = sends.get(e.id);
      if (!send || send.from !== e.from || send.to !== e.to) errors.push(`${e.kind} of unknown message ${e.id}`);
      else if (++send.outcomes > 2) errors.push(`message ${e.id} has more than two deliveries or drops`);
    }
  }
  return errors;
}

/** Every 20 ms each node writes v+1 and, in the same step, tells every peer about it. */
const writer = testProtocol<{ v: number }>('writer', {
  init: (ctx, durable) => ({ state: { v: (durable as { v: number } | undefined)?.v ?? 0 }, effects: [{ kind: 'setTimer', timer: 'w', afterUs: 20_000 + ctx.id * 1_000 }] }),
  step: (state, input, ctx) => {
    if (input.kind !== 'timer') return { state, effects: [] };
    const v = state.v + 1;
    const sends = ctx.peers.map((to): TestEffect => ({ kind: 'send', to, msg: { type: 'Wrote', v } }));
    return { state: { v }, effects: [{ kind: 'persist', token: v, data: { v } }, ...sends, { kind: 'setTimer', timer: 'w', afterUs: 20_000 }] };
  },
});

/** Sends that left before the write of the same step was durable (byzantine sends are exempt: they may alter v). */
function sentBeforeDurable(events: readonly TraceEvent[]): string[] {
  const heldBack = new Set(events.flatMap((e) => (e.kind === 'drop' && (e.reason === 'crash-before-persist' || e.reason === 'persist-failed') ? [e.id] : [])));
  const durable = new Map<string, number>();
  const errors: string[] = [];
  for (const e of events) {
    if (e.kind === 'persist' && e.ok) durable.set(`${e.node}:${e.token}`, e.t);
    if (e.kind === 'send' && !e.byzantine && !heldBack.has(e.id)) {
      const at = durable.get(`${e.from}:${(e.msg as { v: number }).v}`);
      if (at === undefined || at > e.t) errors.push(`n${e.from} sent message ${e.id} at ${e.t}us before its write was durable`);
    }
  }
  return errors;
}

describe('swarm runs', () => {
  it('respect the engine invariants on 150 seeds', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 150; seed++) {
      const faultPhaseUs = 2_000_000;
      const { network, plan } = drawSwarm(seed, 5, faultPhaseUs);
      const run = simulate(heartbeatSpec, { seed, nodes: 5, faultPhaseUs, network }, formatFaultPlan(plan).faults);
      const errors = invariantErrors(run.events);
      if (errors.length > 0) failures.push(`seed ${seed}: ${errors.slice(0, 3).join('; ')}`);
      if (run.result.verdict.kind !== 'pass') failures.push(`seed ${seed}: the correct detector failed: ${JSON.stringify(run.result.verdict)}`);
    }
    expect(failures).toEqual([]);
  });

  it('respect them with a protocol that persists before it sends, under disk faults (100 seeds)', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 100; seed++) {
      const { network, plan } = drawSwarm(seed, 4, 1_000_000);
      const run = simulate(testSpec(writer), { seed, nodes: 4, faultPhaseUs: 1_000_000, network, storage: { latencyUs: 3_000 } }, formatFaultPlan(plan).faults);
      const errors = [...invariantErrors(run.events), ...sentBeforeDurable(run.events)];
      if (errors.length > 0) failures.push(`seed ${seed}: ${errors.slice(0, 3).join('; ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('the invariant checker itself catches a broken trace', () => {
    const events: TraceEvent[] = [
      { t: 0, kind: 'boot', node: 1, disk: 'fresh', state: {} },
      { t: 5, kind: 'fault', phase: 'start', fault: { type: 'crash', at: 5, node: 1 } },
      { t: 6, kind: 'timer', node: 1, timer: 'beat' },
      { t: 7, kind: 'deliver', id: 9, from: 2, to: 3 },
      { t: 3, kind: 'note', node: 2, name: 'x' },
    ];
    expect(invariantErrors(events)).toEqual(['timer on crashed n1 at 6us', 'deliver of unknown message 9', 'time goes back to 3us']);
  });

  it('never draws link faults for a single node, and keeps faults inside the fault phase', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const single = drawSwarm(seed, 1, 1_000_000);
      expect(single.enabled.some((t) => t === 'partition' || t === 'partition-one-way' || t === 'clog')).toBe(false);
      for (const f of drawSwarm(seed, 4, 1_000_000).plan.faults) {
        expect(f.at).toBeGreaterThanOrEqual(0);
        expect(f.at).toBeLessThan(1_000_000);
      }
    }
  });
});
