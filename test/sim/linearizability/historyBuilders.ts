// Small builders for hand-made histories in the linearizability tests: operations with a
// real-time window, an output or UNKNOWN (returnUs then +Infinity unless given).
import type { KvInput, KvOutput } from '../../../sim/linearizability/kvModel.ts';
import { UNKNOWN, type Operation } from '../../../sim/linearizability/operation.ts';
import type { RegisterInput, RegisterOutput, RegisterValue } from '../../../sim/linearizability/registerModel.ts';

export type RegOp = Operation<RegisterInput, RegisterOutput>;
export type KvOp = Operation<KvInput, KvOutput>;

export class History<I, O> {
  readonly ops: Operation<I, O>[] = [];

  add(client: number, input: I, output: O | typeof UNKNOWN, callUs: number, returnUs?: number): this {
    this.ops.push({ id: this.ops.length + 1, client, input, output, callUs, returnUs: returnUs ?? Number.POSITIVE_INFINITY });
    return this;
  }
}

/** Register operations: write, read (value or 'unknown'), cas (true ok, false failed, 'unknown'). */
export class RegisterHistory extends History<RegisterInput, RegisterOutput> {
  write(client: number, value: RegisterValue, call: number, ret?: number, unknown = false): this {
    return this.add(client, { f: 'write', value }, unknown ? UNKNOWN : { ok: true }, call, unknown ? undefined : ret);
  }

  read(client: number, value: RegisterValue | 'unknown', call: number, ret?: number): this {
    return this.add(client, { f: 'read' }, value === 'unknown' ? UNKNOWN : { ok: true, value }, call, ret);
  }

  cas(client: number, from: RegisterValue, to: RegisterValue, ok: boolean | 'unknown', call: number, ret?: number): this {
    return this.add(client, { f: 'cas', from, to }, ok === 'unknown' ? UNKNOWN : { ok }, call, ok === 'unknown' ? undefined : ret);
  }
}

export class KvHistory extends History<KvInput, KvOutput> {
  get(client: number, key: string, value: string | 'unknown', call: number, ret?: number): this {
    return this.add(client, { f: 'get', key }, value === 'unknown' ? UNKNOWN : { ok: true, value }, call, ret);
  }

  put(client: number, key: string, value: string, call: number, ret?: number): this {
    return this.add(client, { f: 'put', key, value }, ret === undefined ? UNKNOWN : { ok: true }, call, ret);
  }

  append(client: number, key: string, value: string, call: number, ret?: number): this {
    return this.add(client, { f: 'append', key, value }, ret === undefined ? UNKNOWN : { ok: true }, call, ret);
  }

  cas(client: number, key: string, from: string, to: string, ok: boolean, call: number, ret: number): this {
    return this.add(client, { f: 'cas', key, from, to }, { ok }, call, ret);
  }
}
