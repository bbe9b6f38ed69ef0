import { describe, expect, it } from 'vitest';
import { heartbeatSpec } from '../../protocols/heartbeat/spec.ts';
import type { Checker } from '../../sim/checker.ts';
import { resolveRun } from '../../sim/resolveRun.ts';
import { runSimulation } from '../../sim/engine.ts';
import { InputError } from '../../sim/schemaHelpers.ts';
import { readTrace } from '../../sim/traceReader.ts';
import { heartbeatRun, ofKind, simulate, testProtocol, testSpec, type TestEffect } from '../helpers.ts';

/** n1 misbehaves in the given way at 50 ms; everybody else idles. */
function misbehaving(effect: (id: number) => TestEffect[] | 'throw') {
  return testSpec(
    testProtocol<null>('misbehaving', {
      init: (ctx) => ({ state: null, effects: ctx.id === 1 ? [{ kind: 'setTimer', timer: 'act', afterUs: 50_000 }] : [] }),
      step: (state, input, ctx) => {
        const effects = effect(ctx.id);
        if (effects === 'throw') throw new Error('boom: index out of range');
        return { state, effects };
      },
    }),
  );
}

describe('guards', () => {
  it('a run that exceeds its event budget ends with guard/event-budget', () => {
    const run = heartbeatRun({ seed: 1, limits: { maxEvents: 200 } });
    expect(run.result.verdict).toMatchObject({ kind: 'guard', reason: 'event-budget' });
    expect((run.result.verdict as { message: string }).message).toMatch(/event budget of 200 events/);
    expect(run.result.metrics.events).toBe(200);
    expect(run.result.endUs).toBeLessThan(run.options.faultPhaseUs);
  });

  it('a zero-delay timer loop cannot hang the run: the event budget stops it', () => {
    const spin = testSpec(testProtocol<null>('spin', {
      init: () => ({ state: null, effects: [{ kind: 'setTimer', timer: 'again', afterUs: 0 }] }),
      step: (state) => ({ state, effects: [{ kind: 'setTimer', timer: 'again', afterUs: 0 }] }),
    }));
    const run = simulate(spin, { limits: { maxEvents: 5_000 } });
    expect(run.result.verdict).toMatchObject({ kind: 'guard', reason: 'event-budget', atUs: 0 });
  });

  it('a run whose end lies beyond the virtual-time limit ends with guard/time-limit at the limit', () => {
    const run = heartbeatRun({ seed: 1, limits: { maxVirtualUs: 400_000 } });
    expect(run.result.verdict).toMatchObject({ kind: 'guard', reason: 'time-limit', atUs: 400_000 });
    expect(run.result.endUs).toBe(400_000);
    expect(Math.max(...run.events.map((e) => e.t))).toBe(400_000);
  });

  it('a guarded run still writes a complete, readable trace ending in a violation', () => {
    const run = heartbeatRun({ seed: 1, limits: { maxVirtualUs: 400_000 } });
    const trace = readTrace(run.text);
    expect(trace.footer.verdict.kind).toBe('guard');
    expect(trace.events.at(-1)).toMatchObject({ kind: 'violation', checker: 'guard', verdict: 'guard' });
  });

  it('a step that throws ends the run with a crash verdict naming the node', () => {
    const run = simulate(misbehaving(() => 'throw'));
    expect(run.result.verdict).toEqual({ kind: 'crash', node: 1, message: 'boom: index out of range', atUs: 50_000, stack: expect.stringMatching(/^\s+at /) });
    // The stack names files on this machine, so the trace's end record leaves it out.
    expect(JSON.parse(run.lines.at(-1) as string).verdict).toEqual({ kind: 'crash', node: 1, message: 'boom: index out of range', atUs: 50_000 });
  });

  it('a reply to a request no client sent is a crash verdict, also when it waits behind a persist', () => {
    for (const effects of [
      [{ kind: 'reply', requestId: 999, result: 'x' }],
      [{ kind: 'persist', token: 1, data: {} }, { kind: 'reply', requestId: 999, result: 'x' }],
    ] as TestEffect[][]) {
      const run = simulate(misbehaving(() => effects));
      expect(run.result.verdict).toMatchObject({ kind: 'crash', node: 1, atUs: 50_000, message: 'n1 replied to request 999, which no client sent' });
    }
  });

  it('an init that throws is a crash verdict too', () => {
    const broken = testSpec(testProtocol<null>('broken', {
      init: (ctx) => {
        if (ctx.id === 2) throw new TypeError('cannot read properties of undefined');
        return { state: null, effects: [] };
      },
    }));
    expect(simulate(broken).result.verdict).toMatchObject({ kind: 'crash', node: 2, atUs: 0, message: /cannot read/ });
  });

  it('sending to itself breaks the protocol contract: crash verdict', () => {
    const run = simulate(misbehaving((id) => [{ kind: 'send', to: id, msg: { type: 'Echo' } }]));
    expect(run.result.verdict).toMatchObject({ kind: 'crash', node: 1, atUs: 50_000 });
    expect((run.result.verdict as { message: string }).message).toMatch(/n1 sent Echo to 1: expected a peer id between 1 and 2, not itself/);
  });

  it.each<[string, TestEffect[], RegExp]>([
    ['a send to a node that does not exist', [{ kind: 'send', to: 9, msg: { type: 'Hi' } }], /sent Hi to 9/],
    ['a message without a type', [{ kind: 'send', to: 2, msg: { kind: 'Hi' } as never }], /without a string "type"/],
    ['a negative timer', [{ kind: 'setTimer', timer: 't', afterUs: -5 }], /afterUs -5/],
    ['a reply to a request no client sent', [{ kind: 'reply', requestId: 4, result: 'ok' }], /replied to request 4/],
    ['an unknown effect kind', [{ kind: 'launch' } as never], /unknown effect kind "launch"/],
  ])('%s is a crash verdict', (_what, effects, message) => {
    const run = simulate(misbehaving(() => effects));
    expect(run.result.verdict).toMatchObject({ kind: 'crash', node: 1, message });
  });

  it('an always-check that breaks stops the run with a safety verdict at once', () => {
    let seen: number | undefined;
    const noNotes: Checker = {
      name: 'no-notes',
      kind: 'always',
      description: 'nobody notes anything',
      observe: (event) => {
        if (event.kind === 'note') seen ??= event.t;
      },
      broken: () => (seen === undefined ? undefined : `a note at ${seen}us`),
    };
    const noter = testProtocol<null>('noter', {
      init: () => ({ state: null, effects: [{ kind: 'setTimer', timer: 'n', afterUs: 70_000 }] }),
      step: (state) => ({ state, effects: [{ kind: 'note', name: 'hello' }] }),
    });
    const run = simulate(testSpec(noter, { checkers: () => [noNotes] }));
    expect(run.result.verdict).toEqual({ kind: 'safety', checker: 'no-notes', message: 'a note at 70000us', atUs: 70_000 });
    expect(run.result.endUs).toBe(70_000);
  });

  it('rejects a heal phase shorter than an eventually-check bound, naming the flag', () => {
    const options = resolveRun(heartbeatSpec, { seed: 1, healUs: 1_000 }, { faults: [] });
    expect(() => runSimulation(heartbeatSpec, options, { faults: [] })).toThrow(InputError);
    expect(() => runSimulation(heartbeatSpec, options, { faults: [] })).toThrow(/heal phase .* is shorter than the bound of the "completeness" check/);
  });

  it('an eventually-check whose deadline is exactly the end of the heal phase is still checked (regression)', () => {
    const never: Checker = { name: 'never', kind: 'eventually', description: 'never holds', deadlineUs: 100_000, observe: () => undefined, unmet: () => 'still waiting' };
    for (const healUs of [100_000, 150_000]) {
      const run = simulate(testSpec(testProtocol<null>('idle', { init: () => ({ state: null, effects: [] }) }), { checkers: () => [never] }), { healUs });
      expect(run.result.verdict).toMatchObject({ kind: 'liveness', checker: 'never', atUs: 1_100_000 });
    }
    // The heal phase the error message asks for (exactly the bound) catches the never-fail bug.
    const bound = 311_000;
    const run = heartbeatRun({ seed: 1, faultPhaseUs: 2_000_000, bug: 'never-fail', healUs: bound }, [{ at: '1s', type: 'crash', node: 'n2' }]);
    expect(run.result.verdict).toMatchObject({ kind: 'liveness', checker: 'completeness', atUs: 2_000_000 + bound });
  });

  it('a passing run ends exactly at the end of its heal phase', () => {
    const run = heartbeatRun({ seed: 2, faultPhaseUs: 1_000_000 });
    expect(run.result.verdict).toEqual({ kind: 'pass' });
    expect(run.result.endUs).toBe(1_000_000 + run.options.healUs);
    expect(ofKind(run.events, 'phase')).toEqual([{ t: 1_000_000, kind: 'phase', phase: 'heal' }]);
  });

  it('events are written in time order', () => {
    const run = heartbeatRun({ seed: 4, network: { loss: 0.1, duplicate: 0.2 } }, [{ at: '200ms', for: '300ms', type: 'pause', node: 'n2' }]);
    const times = run.events.map((e) => e.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
