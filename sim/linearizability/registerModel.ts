// A single read/write/compare-and-set register that starts empty (nil), as in Jepsen's etcd
// tests. A read of unknown outcome constrains nothing; a cas that succeeded (ok) swapped, one
// that failed found a different value. Leaves out: several registers (use the kv model).
import type { Model } from './model.ts';
import { isUnknown, type Unknown } from './operation.ts';

export type RegisterValue = number | string | null;

export type RegisterInput =
  | { readonly f: 'read' }
  | { readonly f: 'write'; readonly value: RegisterValue }
  | { readonly f: 'cas'; readonly from: RegisterValue; readonly to: RegisterValue };

/** read: { ok: true, value }; write: { ok: true }; cas: { ok: true } swapped, { ok: false } the value differed. */
export interface RegisterOutput {
  readonly ok: boolean;
  readonly value?: RegisterValue;
}

export const registerModel: Model<RegisterValue, RegisterInput, RegisterOutput> = {
  name: 'register',
  init: () => null,
  step(state, input, output) {
    switch (input.f) {
      case 'read':
        return isUnknown(output) || output.value === state ? state : undefined;
      case 'write':
        return input.value;
      case 'cas':
        if (isUnknown(output)) return state === input.from ? input.to : state;
        if (output.ok) return state === input.from ? input.to : undefined;
        return state !== input.from ? state : undefined;
    }
  },
  key: (state) => (state === null ? 'nil' : typeof state === 'number' ? state : JSON.stringify(state)),
  readOnly: (input) => input.f === 'read',
  describe: describeRegisterOp,
  describeState: showValue,
  explain(state, input, output) {
    const now = showValue(state);
    if (isUnknown(output)) return `${describeRegisterOp(input, output)} is impossible when the value is ${now}`;
    if (input.f === 'read') return `read returned ${showValue(output.value ?? null)} but the value could only be ${now}`;
    if (input.f === 'cas' && output.ok) return `cas ${showValue(input.from)}->${showValue(input.to)} succeeded but the value was ${now}, not ${showValue(input.from)}`;
    if (input.f === 'cas') return `cas ${showValue(input.from)}->${showValue(input.to)} failed but the value was ${now}, so it would have swapped`;
    return `${describeRegisterOp(input, output)} is impossible when the value is ${now}`;
  },
};

export function describeRegisterOp(input: RegisterInput, output: RegisterOutput | Unknown): string {
  const unknown = isUnknown(output);
  switch (input.f) {
    case 'read':
      return unknown ? 'read (outcome unknown)' : `read -> ${showValue(output.value ?? null)}`;
    case 'write':
      return `write ${showValue(input.value)}${unknown ? ' (outcome unknown)' : ''}`;
    case 'cas':
      return `cas ${showValue(input.from)}->${showValue(input.to)} ${unknown ? '(outcome unknown)' : output.ok ? 'ok' : 'failed'}`;
  }
}

function showValue(value: RegisterValue): string {
  return value === null ? 'nil' : typeof value === 'number' ? String(value) : JSON.stringify(value);
}
