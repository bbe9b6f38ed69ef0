// Parsers for command-line values: each either returns the value or throws an InputError that
// names the flag and says what was expected (the CLI prints it as one line and exits with 2).
import { parseDuration, parseDurationRange } from '../duration.ts';
import { InputError } from '../schemaHelpers.ts';

export function durationFlag(flag: string) {
  return (text: string): number => wrap(flag, () => parseDuration(text, flag));
}

export function rangeFlag(flag: string) {
  return (text: string): [number, number] => wrap(flag, () => parseDurationRange(text, flag));
}

export function probabilityFlag(flag: string) {
  return (text: string): number => {
    const p = Number(text);
    if (text.trim() === '' || !Number.isFinite(p) || p < 0 || p > 1) throw new InputError(`${flag}: expected a probability between 0 and 1, like 0.05; got ${JSON.stringify(text)}`);
    return p;
  };
}

export function integerFlag(flag: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InputError(`${flag}: expected a whole number from ${min} to ${max}; got ${JSON.stringify(text)}`);
    }
    return n;
  };
}

export function positiveNumberFlag(flag: string) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) throw new InputError(`${flag}: expected a positive number; got ${JSON.stringify(text)}`);
    return n;
  };
}

export function choiceFlag<T extends string>(flag: string, choices: readonly T[]) {
  return (text: string): T => {
    if (!(choices as readonly string[]).includes(text)) throw new InputError(`${flag}: expected one of ${choices.join(', ')}; got ${JSON.stringify(text)}`);
    return text as T;
  };
}

/** --set key=value, repeatable: collects into a record of raw string values. */
export function collectSetting(text: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InputError(`--set: expected key=value, like interval=100ms; got ${JSON.stringify(text)}`);
  return { ...previous, [text.slice(0, eq).trim()]: text.slice(eq + 1).trim() };
}

/** Setting values as typed: numbers stay numbers, everything else stays text ("100ms"). */
export function settingValues(raw: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === 'true' || value === 'false') out[key] = value === 'true';
    else if (/^-?\d+(\.\d+)?$/.test(value)) out[key] = Number(value);
    else out[key] = value;
  }
  return out;
}

function wrap<T>(flag: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new InputError((error as Error).message.startsWith(flag) ? (error as Error).message : `${flag}: ${(error as Error).message}`);
  }
}

/** "8,32,128": distinct whole numbers from min to max. */
export function integerListFlag(flag: string, min: number, max: number) {
  return (text: string): number[] => {
    const parts = text.split(',').map((p) => p.trim());
    const values = parts.map(Number);
    if (parts.some((p) => !/^\d+$/.test(p)) || values.some((n) => !Number.isSafeInteger(n) || n < min || n > max)) {
      throw new InputError(`${flag}: expected comma-separated whole numbers from ${min} to ${max}, like 8,32,128; got ${JSON.stringify(text)}`);
    }
    const twice = values.find((n, i) => values.indexOf(n) !== i);
    if (twice !== undefined) throw new InputError(`${flag}: ${twice} is listed twice; list each value once`);
    return values;
  };
}
