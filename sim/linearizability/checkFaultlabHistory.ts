// The entry point for a protocol's checker: a faultlab client history (RunResult.history, or what
// a HistoryCollector rebuilt from invoke/complete events) checked for linearizability against the
// kv model (or the register model). Throws InputError if an operation is not one of the model's.
// Leaves out: deciding when to check (the caller's checker does: at the end of a run, say).
import type { HistoryEntry } from '../clients.ts';
import { checkLinearizability, type CheckOptions, type LinearizabilityResult } from './checkLinearizability.ts';
import { kvOperations, registerOperations, type ModelName } from './faultlabOperations.ts';
import { kvModel } from './kvModel.ts';
import { registerModel } from './registerModel.ts';

export interface FaultlabCheckOptions extends CheckOptions {
  /** Default kv. */
  model?: ModelName;
}

export function checkFaultlabHistory(history: readonly HistoryEntry[], options: FaultlabCheckOptions = {}): LinearizabilityResult {
  const where = (i: number) => `history[${i}] (client ${history[i]?.client}, request ${history[i]?.req})`;
  return options.model === 'register'
    ? checkLinearizability(registerModel, registerOperations(history, 'history', where), options)
    : checkLinearizability(kvModel, kvOperations(history, 'history', where), options);
}
