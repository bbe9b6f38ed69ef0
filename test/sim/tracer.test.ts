import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../sim/engine.ts';
import { RunningHash } from '../../sim/hash.ts';
import { replayTrace } from '../../sim/replay.ts';
import { readTrace } from '../../sim/traceReader.ts';
import { MemorySink, Tracer } from '../../sim/tracer.ts';
import { headerFor, heartbeatRun, simulate, testProtocol, testSpec, type TestEffect } from '../helpers.ts';
import { heartbeatSpec } from '../../protocols/heartbeat/spec.ts';

/** Object timers, nested and unicode payloads: the shapes a trace line must render exactly. */
const fancy = testProtocol<{ round: number }>('fancy', {
  init: (ctx) => ({ state: { round: 0 }, effects: [{ kind: 'setTimer', timer: { kind: 'round', node: ctx.id, tags: ['a', 'é'] } as never, afterUs: 10_000 }] }),
  step: (state, input, ctx) => {
    if (input.kind !== 'timer') return { state, effects: [] };
    const round = state.round + 1;
    const effects: TestEffect[] = [
      { kind: 'send', to: ctx.id === 1 ? 2 : 1, msg: { type: 'Gossip', round, text: 'line\nbreak "quoted" ✓', nested: { list: [1.5, -0, null, true], empty: {} } } },
      { kind: 'note', name: 'round', data: { round, ratio: 1 / 3 } },
    ];
    if (round < 5) effects.push({ kind: 'setTimer', timer: { kind: 'round', node: ctx.id, tags: ['a', 'é'] } as never, afterUs: 10_000 });
    return { state: { round }, effects };
  },
});

describe('Tracer', () => {
  it('writes every line exactly as JSON.stringify renders it', () => {
    const runs = [
      simulate(testSpec(fancy), { network: { loss: 0.3, duplicate: 0.3 } }, [{ at: '25ms', for: '10ms', type: 'byzantine', node: 'n1', behaviour: 'wrong' }]),
      heartbeatRun({ seed: 2, nodes: 3, network: { loss: 0.1 } }, [{ at: '300ms', for: '200ms', type: 'crash', node: 'n2' }]),
    ];
    for (const run of runs) {
      for (const line of run.lines) expect(JSON.stringify(JSON.parse(line))).toBe(line);
      const kinds = new Set(run.events.map((e) => e.kind));
      for (const kind of ['boot', 'send', 'deliver', 'drop', 'timer', 'note']) expect(kinds).toContain(kind);
    }
  });

  it('a trace with object timers and odd payloads reads back and replays to the same hash', () => {
    const spec = testSpec(fancy);
    const run = simulate(spec, { network: { loss: 0.3, duplicate: 0.3 } });
    const trace = readTrace(run.text);
    expect(trace.events).toEqual(run.events);
    expect(replayTrace(trace, { fancy: spec })).toMatchObject({ matches: true, replayedHash: run.result.traceHash });
  });

  it('a byte sink receives exactly the text a line sink receives (the fast byte paths render like JSON.stringify)', () => {
    const runs = [
      simulate(testSpec(fancy), { network: { loss: 0.3, duplicate: 0.3 } }, [{ at: '25ms', for: '10ms', type: 'byzantine', node: 'n1', behaviour: 'wrong' }]),
      heartbeatRun({ seed: 2, nodes: 3, network: { loss: 0.1, duplicate: 0.1 } }, [{ at: '300ms', for: '200ms', type: 'crash', node: 'n2' }, { at: '500ms', for: '100ms', type: 'partition', groups: [['n1'], ['n3']] }]),
    ];
    for (const run of runs) {
      const chunks: Buffer[] = [];
      const tracer = new Tracer({ writeBytes: (chunk) => chunks.push(Buffer.from(chunk)) }, headerFor(run.options, run.plan));
      const spec = run.options.protocol === 'fancy' ? testSpec(fancy) : heartbeatSpec;
      const result = runSimulation(spec, run.options, run.plan, { tracer });
      expect(Buffer.concat(chunks).toString('utf8')).toBe(run.text);
      expect(result.traceHash).toBe(run.result.traceHash);
    }
  });

  it('a hash-only tracer gives the same hash as one that keeps the lines', () => {
    const kept = heartbeatRun({ seed: 5, nodes: 3 });
    const hashOnly = new Tracer(undefined, headerFor(kept.options, kept.plan));
    const result = runSimulation(heartbeatSpec, kept.options, kept.plan, { tracer: hashOnly });
    expect(result.traceHash).toBe(kept.result.traceHash);
    expect(hashOnly.events).toBe(kept.events.length);
  });

  it('writes a header first and an end record with the event count, verdict and hash', () => {
    const sink = new MemorySink();
    const tracer = new Tracer(sink, { faultlab: 1, seed: 1, protocol: 'x', options: {} as never, faultPlan: { faults: [] } });
    tracer.emit({ t: 0, kind: 'phase', phase: 'heal' });
    const hash = tracer.finish({ kind: 'pass' });
    expect(sink.lines).toHaveLength(3);
    expect(JSON.parse(sink.lines[0] as string)).toMatchObject({ faultlab: 1, seed: 1, protocol: 'x' });
    expect(JSON.parse(sink.lines[2] as string)).toEqual({ end: true, events: 1, verdict: { kind: 'pass' }, traceHash: hash });
    expect(hash).toBe(new RunningHash().update(sink.lines[0] as string).update(sink.lines[1] as string).digest());
  });
});

describe('RunningHash', () => {
  it('gives the same digest however the byte stream is split (word-aligned fast path included)', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), fc.array(fc.nat(600), { maxLength: 6 }), (data, cuts) => {
      const whole = new RunningHash().updateBytes(data).digest();
      const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((x, y) => x - y);
      const pieces = new RunningHash();
      let from = 0;
      for (const at of [...points, data.length]) {
        pieces.updateBytes(data, from, at);
        from = at;
      }
      // An unaligned view of the same bytes takes the byte-by-byte path.
      const shifted = new Uint8Array(data.length + 1);
      shifted.set(data, 1);
      const unaligned = new RunningHash().updateBytes(shifted.subarray(1)).digest();
      return pieces.digest() === whole && unaligned === whole;
    }));
  });

  it('is a 16-digit hex digest that depends on every line and on where lines break', () => {
    const digest = new RunningHash().update('ab').update('c').digest();
    expect(digest).toMatch(/^[0-9a-f]{16}$/);
    expect(new RunningHash().update('a').update('bc').digest()).not.toBe(digest);
    expect(new RunningHash().update('ab').update('c').digest()).toBe(digest);
    expect(new RunningHash().update('ab').update('d').digest()).not.toBe(digest);
  });
});
