// The outside oracle: Porcupine's test vectors (Jepsen etcd logs for a register, key-value EDN
// histories) with the verdicts Porcupine's own suite asserts. A small copy in
// test/fixtures/linearizability/ always runs; the full set (102 etcd logs and 6 kv files, the kv
// 10-client files also unsplit) runs when ../shared/oracles/porcupine/ sits beside the checkout,
// and is skipped, with the reason printed, only when that folder does not exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { checkLinearizability, type LinearizabilityResult } from '../../../sim/linearizability/checkLinearizability.ts';
import { kvModel } from '../../../sim/linearizability/kvModel.ts';
import { parseEtcdLog } from '../../../sim/linearizability/parseEtcdLog.ts';
import { parseKvEdn } from '../../../sim/linearizability/parseKvEdn.ts';
import { registerModel } from '../../../sim/linearizability/registerModel.ts';
import { expectValidCounterexample } from './counterexampleCheck.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/linearizability/', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../../shared/oracles/porcupine/', import.meta.url));

function verdicts(dir: string): [string, boolean][] {
  const json = JSON.parse(readFileSync(`${dir}verdicts.json`, 'utf8')) as { verdicts: Record<string, boolean> };
  return Object.entries(json.verdicts);
}

/** Checks one file as Porcupine's suite does and validates any counterexample. */
function check(dir: string, file: string, partition = true): LinearizabilityResult {
  const text = readFileSync(dir + file, 'utf8');
  if (file.startsWith('jepsen/')) {
    const ops = parseEtcdLog(text, file);
    const result = checkLinearizability(registerModel, ops);
    if (result.verdict === 'not-linearizable') expectValidCounterexample(registerModel, ops, result);
    return result;
  }
  const ops = parseKvEdn(text, file);
  const result = checkLinearizability(kvModel, ops, { partition });
  if (result.verdict === 'not-linearizable') expectValidCounterexample(kvModel, ops, result);
  return result;
}

const expected = (linearizable: boolean) => (linearizable ? 'linearizable' : 'not-linearizable');

describe('Porcupine fixtures (a small copy, always run)', () => {
  const cases = verdicts(FIXTURES);

  test('hold both verdicts of both formats, with the licence', () => {
    expect(cases.filter(([f]) => f.startsWith('jepsen/')).map(([, v]) => v).sort()).toEqual([false, true, true]);
    expect(cases.filter(([f]) => f.startsWith('kv/')).map(([, v]) => v).sort()).toEqual([false, true]);
    expect(readFileSync(`${FIXTURES}LICENSE-porcupine.md`, 'utf8')).toMatch(/MIT License[\s\S]*Anish Athalye/);
  });

  test.each(cases)('%s is linearizable: %s', (file, linearizable) => {
    expect(check(FIXTURES, file).verdict).toBe(expected(linearizable));
  });

  test('kv c01 unsplit agrees', () => {
    expect(check(FIXTURES, 'kv/c01-ok.txt', false).verdict).toBe('linearizable');
    expect(check(FIXTURES, 'kv/c01-bad.txt', false).verdict).toBe('not-linearizable');
  });
});

const haveShared = existsSync(SHARED);
if (!haveShared) process.stdout.write(`porcupineOracle: the full Porcupine oracle is skipped because ${SHARED} does not exist (the fixture subset still ran)\n`);

describe.skipIf(!haveShared)(`the full Porcupine oracle in ${SHARED}`, () => {
  const cases = haveShared ? verdicts(SHARED) : [];

  test('has 108 verdicts: every etcd log but the empty etcd_095, and 6 kv files', () => {
    expect(cases).toHaveLength(108);
    const logs = readdirSync(`${SHARED}jepsen`).map((f) => `jepsen/${f}`);
    expect(logs.filter((f) => !cases.some(([c]) => c === f))).toEqual(['jepsen/etcd_095.log']);
    expect(parseEtcdLog(readFileSync(`${SHARED}jepsen/etcd_095.log`, 'utf8'))).toEqual([]);
    expect(cases.filter(([f]) => f.startsWith('kv/'))).toHaveLength(6);
  });

  test.each(cases)('%s is linearizable: %s', (file, linearizable) => {
    expect(check(SHARED, file).verdict).toBe(expected(linearizable));
  });

  test.each([
    ['kv/c10-ok.txt', true],
    ['kv/c10-bad.txt', false],
  ] as const)('%s unsplit is linearizable: %s', (file, linearizable) => {
    const result = check(SHARED, file, false);
    expect(result.partitions).toBe(1);
    expect(result.verdict).toBe(expected(linearizable));
  });
});
