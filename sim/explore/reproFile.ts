// Repro files on disk: writing one atomically (a temporary file renamed into place, so a reader
// never sees half of one), the faultlab version a repro is stamped with, and the replay command. The CLI and the
// property-test helper share this; it is the one file of sim/explore that touches the file system
// (runs themselves never do). Leaves out: reading (the replay command parses repro files).
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../schemaHelpers.ts';
import type { Repro } from './repro.ts';

export function faultlabVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function writeRepro(path: string, repro: Repro, flag = '--out'): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, `${JSON.stringify(repro, null, 2)}\n`);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`${flag}: cannot write ${path}: ${code === 'ENOENT' || code === 'ENOTDIR' ? 'no such directory' : (error as Error).message}`);
  }
}

/** `faultlab replay <path>`, with --spec for a protocol that is not in faultlab's registry. */
export function replayCommandFor(path: string, specModule: string | null): string {
  return `faultlab replay ${quote(path)}${specModule ? ` --spec ${quote(specModule)}` : ''}`;
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
