// The user-protocol example (examples/gcounter): property tests in a few lines with the helper,
// plain and with @fast-check/vitest; a deliberately broken variant fails with the seed and the
// replay command in the message, and that command replays the counterexample exactly.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as fcTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spec } from '../../examples/gcounter/spec.ts';
import { checkProtocol, expectPasses, protocolSchedules, ProtocolPropertyFailure } from '../../sim/explore/propertyHelper.ts';

const ROOT = join(import.meta.dirname, '../..');
const SPEC_MODULE = 'examples/gcounter/spec.ts';
const dir = mkdtempSync(join(tmpdir(), 'faultlab-gcounter-'));

describe('the G-Counter example with the property helper', () => {
  it('the correct counter survives 40 generated schedules and some restarted node recovers its counts', () => {
    const { runs, reached } = checkProtocol(spec, { runs: 40, specModule: SPEC_MODULE });
    expect(runs).toBe(40);
    expect(reached.recovered ?? 0).toBeGreaterThan(0);
  });

  fcTest.prop([protocolSchedules(spec, { strategy: 'pct' })], { numRuns: 20, seed: 42 })('with @fast-check/vitest: every PCT schedule passes', (schedule) => {
    expectPasses(spec, schedule, { specModule: SPEC_MODULE });
  });

  it('a broken variant fails with the seed, the counterexample and a replay command that reproduces it', () => {
    const reproPath = join(dir, 'sum-merge.json');
    let failure: ProtocolPropertyFailure | undefined;
    try {
      checkProtocol(spec, { bug: 'sum-merge', runs: 20, specModule: SPEC_MODULE, reproPath });
    } catch (error) {
      failure = error as ProtocolPropertyFailure;
    }
    expect(failure).toBeInstanceOf(ProtocolPropertyFailure);
    const message = failure!.message;
    expect(message).toMatch(/^gcounter --bug sum-merge failed at run \d+ of sweep seed 1 \(strategy swarm\): safety violation: no-overcount/);
    expect(message).toMatch(/^seed: \d+ \(sweep seed 1, run \d+\)$/m);
    expect(message).toContain(`replay: faultlab replay ${reproPath} --spec ${SPEC_MODULE}`);
    expect(message).toMatch(/^search again: faultlab explore examples\/gcounter\/spec\.ts --bug sum-merge --strategy swarm --seed 1 --runs \d+$/m);

    const replay = spawnSync(process.execPath, [join(ROOT, 'bin/faultlab'), 'replay', reproPath, '--spec', SPEC_MODULE], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(replay.stderr).toBe('');
    expect(replay.status).toBe(0);
    expect(replay.stdout).toMatch(/^verdict: safety violation: no-overcount/m);
    expect(replay.stdout).toMatch(/^identical: same verdict, trace hash [0-9a-f]{16}/m);
  });

  it('with fast-check directly, the failing property reports fast-check\'s seed and our replay command', () => {
    const reproPath = join(dir, 'overwrite.json');
    const out = fc.check(fc.property(protocolSchedules(spec, { bug: 'overwrite-merge' }), (s) => expectPasses(spec, s, { specModule: SPEC_MODULE, reproPath })), { seed: 7, numRuns: 30 });
    expect(out.failed).toBe(true);
    expect(out.seed).toBe(7);
    expect(String(out.errorInstance)).toContain(`replay: faultlab replay ${reproPath} --spec ${SPEC_MODULE}`);
    expect(String(out.errorInstance)).toMatch(/safety violation: monotonic/);
  });
});
