// The linearizability check of Raft's client history: once, at the end of the run (a final
// check), with the generic checker in sim/linearizability/ and its key-value model, split per key.
// A search budget keeps a pathological history from hanging a run: running out of it leaves the
// check n/a with the reason, never a false verdict.
import type { FinalChecker } from '../../sim/checker.ts';
import { checkFaultlabHistory } from '../../sim/linearizability/checkFaultlabHistory.ts';
import { summarizeResult } from '../../sim/linearizability/renderResult.ts';
import { outsideFaultModel } from './faultModel.ts';

const MAX_STEPS = 20_000_000;

export function linearizability(): FinalChecker {
  let unknown: string | undefined;
  let standDown: string | undefined;
  return {
    name: 'linearizability',
    kind: 'final',
    description: 'the client history (get, put, append, cas) is linearizable against a key-value map',
    reads: ['fault'],
    observe: (e) => void (standDown ??= outsideFaultModel(e)),
    inapplicable: () => (standDown !== undefined ? `not owed after ${standDown}` : unknown),
    judge(_view, history) {
      if (standDown !== undefined) return undefined;
      const result = checkFaultlabHistory(history, { model: 'kv', maxSteps: MAX_STEPS });
      if (result.verdict === 'unknown') unknown = `no verdict within ${MAX_STEPS.toLocaleString('en-US')} search steps: ${result.reason ?? ''}`;
      return result.verdict === 'not-linearizable' ? summarizeResult(result) : undefined;
    },
  };
}
