// Reads a Jepsen etcd log (Porcupine's jepsen/etcd_NNN.log test vectors) as register operations.
// Lines look like `INFO  jepsen.util - 3	:invoke	:cas	[1 4]`: an :invoke starts an operation
// of that process, the next :ok / :fail / :info of the process ends it. :ok read carries the value
// (nil or a number); cas :ok swapped and cas :fail did not; :fail of a read or write means it did
// not happen (dropped), except `:fail :read :timed-out`, a read of unknown result; :info, or no
// end at all, is an unknown outcome. Time is the line number. Other lines are ignored.
// Leaves out: the rest of Jepsen's EDN operation syntax (maps, other functions).
import { InputError } from '../schemaHelpers.ts';
import { UNKNOWN, type Operation } from './operation.ts';
import type { RegisterInput, RegisterOutput, RegisterValue } from './registerModel.ts';

const LINE = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s+(.*?)\s*$/;

/** True when the text has at least one line of the etcd log form. */
export function looksLikeEtcdLog(text: string): boolean {
  return /^INFO\s+jepsen\.util\s+-\s+\d+\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\b/m.test(text);
}

interface Open {
  op: { id: number; client: number; input: RegisterInput; output: RegisterOutput | typeof UNKNOWN; callUs: number; returnUs: number };
  line: number;
  dropped: boolean;
}

type Arg = { kind: 'nil' } | { kind: 'number'; value: number } | { kind: 'pair'; from: number; to: number } | { kind: 'timed-out' };

export function parseEtcdLog(text: string, source = 'etcd log'): Operation<RegisterInput, RegisterOutput>[] {
  const fail = (line: number, what: string): never => {
    throw new InputError(`${source}: line ${line}: ${what}`);
  };
  const all: Open[] = [];
  const open = new Map<number, Open>();
  text.split('\n').forEach((raw, i) => {
    const m = LINE.exec(raw.replace(/\r$/, ''));
    if (!m) return;
    const [process, type, f, argText] = [Number(m[1]), m[2] as string, m[3] as 'read' | 'write' | 'cas', m[4] as string];
    const line = i + 1;
    const arg = parseArg(argText) ?? fail(line, `expected nil, a number, [from to] or :timed-out after :${f}; got ${JSON.stringify(argText)}`);
    const pending = open.get(process);
    if (type === 'invoke') {
      if (pending) fail(line, `process ${process} invokes a ${f} while its ${pending.op.input.f} from line ${pending.line} has not ended`);
      const entry: Open = { op: { id: all.length + 1, client: process, input: invokeInput(f, arg) ?? fail(line, `:invoke :${f} expects ${f === 'read' ? 'nil' : f === 'write' ? 'a number' : '[from to]'}`), output: UNKNOWN, callUs: line, returnUs: Infinity }, line, dropped: false };
      all.push(entry);
      open.set(process, entry);
      return;
    }
    if (!pending) return fail(line, `process ${process} ends a ${f} (:${type}) but has no operation in progress`);
    if (pending.op.input.f !== f) fail(line, `process ${process} ends a ${f} but its operation in progress is a ${pending.op.input.f} (line ${pending.line})`);
    open.delete(process);
    end(pending, type, arg, line, fail);
  });
  return all.filter((e) => !e.dropped).map((e) => Object.freeze(e.op));
}

function end(pending: Open, type: string, arg: Arg, line: number, fail: (line: number, what: string) => never): void {
  const { op } = pending;
  if (type === 'info') return; // unknown outcome: returnUs stays +Infinity
  op.returnUs = line;
  if (op.input.f === 'read') {
    if (type === 'fail') {
      if (arg.kind !== 'timed-out') pending.dropped = true;
      return; // a timed-out read: unknown result
    }
    if (arg.kind !== 'nil' && arg.kind !== 'number') return fail(line, ':ok :read expects nil or a number');
    op.output = { ok: true, value: arg.kind === 'nil' ? null : arg.value };
  } else if (op.input.f === 'write') {
    if (type === 'fail') pending.dropped = true;
    else op.output = { ok: true };
  } else {
    if (arg.kind !== 'pair' || arg.from !== op.input.from || arg.to !== op.input.to) return fail(line, `the cas ends with ${argText(arg)} but was invoked with [${op.input.from} ${op.input.to}] (line ${pending.line})`);
    op.output = { ok: type === 'ok' };
  }
}

function parseArg(text: string): Arg | undefined {
  if (text === 'nil') return { kind: 'nil' };
  if (text === ':timed-out') return { kind: 'timed-out' };
  if (/^-?\d+$/.test(text)) return { kind: 'number', value: Number(text) };
  const pair = /^\[\s*(-?\d+)\s+(-?\d+)\s*\]$/.exec(text);
  return pair ? { kind: 'pair', from: Number(pair[1]), to: Number(pair[2]) } : undefined;
}

function invokeInput(f: 'read' | 'write' | 'cas', arg: Arg): RegisterInput | undefined {
  if (f === 'read') return arg.kind === 'nil' ? { f } : undefined;
  if (f === 'write') return arg.kind === 'number' ? { f, value: arg.value as RegisterValue } : undefined;
  return arg.kind === 'pair' ? { f, from: arg.from, to: arg.to } : undefined;
}

function argText(arg: Arg): string {
  return arg.kind === 'pair' ? `[${arg.from} ${arg.to}]` : arg.kind === 'number' ? String(arg.value) : arg.kind === 'nil' ? 'nil' : ':timed-out';
}
