// Loads a user's protocol spec from a module file (for `faultlab explore ./my/spec.ts` and
// `faultlab replay repro.json --spec ./my/spec.ts`): the module's export named `spec`, or its
// default export, or its only export that looks like a protocol spec. TypeScript modules load
// through tsx, as faultlab's own sources do. Bad paths and modules without a spec are input errors.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFreezing } from '../freezing.ts';
import type { AnySpec } from '../protocolSpec.ts';
import { InputError } from '../schemaHelpers.ts';

/** Whether a protocol argument names a module file rather than a registered protocol. */
export function isModulePath(text: string): boolean {
  return /[\\/]/.test(text) || /\.(m?[jt]s|cjs|cts)$/.test(text);
}

function looksLikeSpec(value: unknown): value is AnySpec {
  const v = value as Partial<AnySpec> | null;
  return typeof v === 'object' && v !== null && typeof v.name === 'string' && typeof v.create === 'function' && typeof v.checkers === 'function' && typeof v.healUs === 'function';
}

/** Loads the spec, and turns freezing back on: a user's protocol runs checked (sim/freezing.ts). */
export async function loadSpecModule(path: string, flag = 'protocol'): Promise<AnySpec> {
  setFreezing(true);
  const full = resolve(path);
  if (!existsSync(full)) throw new InputError(`${flag}: cannot read ${path}: no such file`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(full).href)) as Record<string, unknown>;
  } catch (error) {
    throw new InputError(`${flag}: cannot load ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  const candidates = [mod.spec, mod.default, ...Object.values(mod)].filter(looksLikeSpec);
  const spec = candidates[0];
  if (!spec) throw new InputError(`${flag}: ${path} exports no protocol spec; expected an export named "spec" (a ProtocolSpec: name, create, checkers, healUs, ...)`);
  return spec;
}
