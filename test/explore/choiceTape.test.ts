// The choice tape: an empty tape is exactly the seed's run; tape entries replace single draws of
// the named stream (0 is the quiet choice); the schema rejects values outside [0, 1).
import { describe, expect, it } from 'vitest';
import { heartbeatSpec } from '../../protocols/heartbeat/spec.ts';
import { ChoiceTapeRng, choiceTapeSchema, compactTape, tapeLength } from '../../sim/explore/choiceTape.ts';
import { SeedRng, type Rng } from '../../sim/rng.ts';
import { ofKind, simulate } from '../helpers.ts';

const request = { seed: 9, nodes: 4, faultPhaseUs: 1_000_000, network: { loss: 0.3, latency: { dist: 'uniform' as const, minUs: 1_000, maxUs: 20_000 } } };

describe('ChoiceTapeRng', () => {
  it('with an empty tape draws exactly what the seeded Rng draws, on every fork path', () => {
    const plain = SeedRng.fromSeed(42);
    const taped = new ChoiceTapeRng({}, 42);
    for (const path of [[], ['network'], ['node:3', 'byzantine']]) {
      const a = path.reduce<Rng>((r, name) => r.fork(name), plain);
      const b = path.reduce<Rng>((r, name) => r.fork(name), taped);
      expect(Array.from({ length: 20 }, () => b.next())).toEqual(Array.from({ length: 20 }, () => a.next()));
    }
  });

  it('an empty tape gives the same run, byte for byte, as the plain seed', () => {
    const plain = simulate(heartbeatSpec, request);
    const taped = simulate(heartbeatSpec, request, [], new ChoiceTapeRng({}, 9));
    expect(taped.result.traceHash).toBe(plain.result.traceHash);
  });

  it('a tape entry replaces one draw and the stream then goes on with the seed (positions stay aligned)', () => {
    const seeded = new SeedRng('5/network');
    const expected = Array.from({ length: 6 }, () => seeded.next());
    const rng = new ChoiceTapeRng({ '/network': [0, 0.5] }, 5).fork('network');
    expect(Array.from({ length: 6 }, () => rng.next())).toEqual([0, 0.5, ...expected.slice(2)]);
  });

  it('zeros on the network stream are the quiet choice: the first messages are neither lost nor delayed beyond the minimum', () => {
    const run = simulate(heartbeatSpec, request, [], new ChoiceTapeRng({ '/network': Array(30).fill(0) }, 9));
    const sends = ofKind(run.events, 'send').slice(0, 10);
    const delivered = new Map(ofKind(run.events, 'deliver').map((d) => [d.id, d.t]));
    for (const s of sends) expect(delivered.get(s.id), `message ${s.id}`).toBe(s.t + 1_000);
    const plain = simulate(heartbeatSpec, request);
    expect(ofKind(plain.events, 'drop').some((d) => d.id <= 10)).toBe(true); // the seed alone loses some of them
  });

  it('the schema accepts tapes of choices in [0, 1) on fork paths and names what is wrong otherwise', () => {
    expect(choiceTapeSchema.safeParse({ '/network': [0, 0.999], '/node:2': [] }).success).toBe(true);
    expect(choiceTapeSchema.safeParse({ '/network': [1] }).success).toBe(false);
    expect(choiceTapeSchema.safeParse({ network: [0.5] }).success).toBe(false);
    expect(compactTape({ '/b': [0.5], '/a': [], '/c': [0] })).toEqual({ '/b': [0.5], '/c': [0] });
    expect(tapeLength({ '/b': [0.5, 0.25], '/c': [0] })).toBe(3);
  });
});
