// Freezing (sim/freezing.ts) is a check and nothing else: every protocol, over swarm seeds with
// faults, gives the same trace hash and verdict frozen and unfrozen. Frozen, a write to a state a
// step returned, to a log entry it sent or to what a disk stores throws; unfrozen (as the CLI runs
// faultlab's own protocols), nothing is frozen, the disk's stored data included.
import { afterEach, describe, expect, it } from 'vitest';
import { Disk } from '../../sim/disk.ts';
import { runSimulation } from '../../sim/engine.ts';
import { isFreezing, setFreezing } from '../../sim/freezing.ts';
import { resolveRun } from '../../sim/resolveRun.ts';
import { drawSwarm } from '../../sim/swarm.ts';
import { Tracer } from '../../sim/tracer.ts';
import { PROTOCOLS, protocolNames } from '../../protocols/registry.ts';
import { headerFor } from '../helpers.ts';
import { ctxOf, leaderState, logOf, raft, request } from '../protocols/raft/raftFixtures.ts';

const SEEDS = 4;
const NODES = 5;

afterEach(() => setFreezing(true));

function swarmRun(protocol: string, seed: number): { hash: string; verdict: string; events: number } {
  const spec = PROTOCOLS[protocol]!;
  const faultPhaseUs = 2_000_000;
  const { network, plan } = drawSwarm(seed, NODES, faultPhaseUs);
  const options = resolveRun(spec, { seed, nodes: NODES, faultPhaseUs, network }, plan);
  const result = runSimulation(spec, options, plan, { tracer: new Tracer(undefined, headerFor(options, plan)) });
  return { hash: result.traceHash as string, verdict: result.verdict.kind, events: result.metrics.events };
}

describe('freezing changes no run', () => {
  it.each(protocolNames())(`%s: swarm seeds 1..${SEEDS} give the same trace frozen and unfrozen`, (protocol) => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      setFreezing(true);
      const frozen = swarmRun(protocol, seed);
      setFreezing(false);
      const unfrozen = swarmRun(protocol, seed);
      expect(unfrozen, `seed ${seed}`).toEqual(frozen);
      expect(frozen.events).toBeGreaterThan(100);
    }
  });
});

describe('the switch', () => {
  const leader = () => leaderState(3, 2, logOf([2]), { commit: 1, applied: 1, next: { n2: 2, n3: 2 }, match: { n2: 1, n3: 1 } });
  const write = () => raft.step(leader(), request(7, 4, { f: 'put', key: 'k', value: 'v' }), ctxOf(1, 3));

  it('is on by default (the library, the tests)', () => {
    expect(isFreezing()).toBe(true);
  });

  it('on: a write to a returned state, to a log entry it sent or to a stored value throws', () => {
    const step = write();
    expect(() => { (step.state as { term: number }).term = 9; }).toThrow(TypeError);
    const sent = step.effects.find((e) => e.kind === 'send') as unknown as { msg: { entries: { term: number }[] } };
    expect(() => { sent.msg.entries[0]!.term = 9; }).toThrow(TypeError);
    const disk = new Disk(0);
    const data = { log: [{ term: 1 }] };
    disk.commit(data);
    expect(() => { data.log.push({ term: 2 }); }).toThrow(TypeError);
  });

  it('off: nothing is frozen, and the step is the same', () => {
    const frozenStep = write();
    setFreezing(false);
    const step = write();
    expect(Object.isFrozen(step.state)).toBe(false);
    expect(Object.isFrozen(step.state.log)).toBe(false);
    expect(JSON.stringify(step)).toBe(JSON.stringify(frozenStep));
    const disk = new Disk(0);
    const data = { log: [{ term: 1 }] };
    disk.commit(data);
    expect(Object.isFrozen(data)).toBe(false);
  });
});
