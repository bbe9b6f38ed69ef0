// Structural diff of two immutable JSON states as Immer-format patches, so a trace records each
// state change compactly and a viewer can rebuild any node with immer's applyPatches. Immer's
// structural sharing makes this cheap: identical references are skipped without descending.
// Leaves out: move detection inside arrays (a shifted array becomes replaces plus adds/removes).

export type PatchPath = (string | number)[];
export type Patch =
  | { op: 'replace'; path: PatchPath; value: unknown }
  | { op: 'add'; path: PatchPath; value: unknown }
  | { op: 'remove'; path: PatchPath };

export function diffStates(before: unknown, after: unknown): Patch[] {
  const patches: Patch[] = [];
  diffInto(before, after, [], patches);
  return patches;
}

function diffInto(a: unknown, b: unknown, path: PatchPath, out: Patch[]): void {
  if (a === b) return;
  if (Array.isArray(a) && Array.isArray(b)) return diffArrays(a, b, path, out);
  if (isPlainObject(a) && isPlainObject(b)) return diffObjects(a, b, path, out);
  out.push({ op: 'replace', path, value: b });
}

function diffArrays(a: readonly unknown[], b: readonly unknown[], path: PatchPath, out: Patch[]): void {
  const common = Math.min(a.length, b.length);
  // Equal elements are skipped before a path is built: a long array that grew by one (a Raft
  // log) would otherwise cost an allocation per element on every step.
  for (let i = 0; i < common; i++) if (a[i] !== b[i]) diffInto(a[i], b[i], [...path, i], out);
  for (let i = common; i < b.length; i++) out.push({ op: 'add', path: [...path, i], value: b[i] });
  if (b.length < a.length) out.push({ op: 'replace', path: [...path, 'length'], value: b.length });
}

function diffObjects(a: Record<string, unknown>, b: Record<string, unknown>, path: PatchPath, out: Patch[]): void {
  for (const key of Object.keys(b)) {
    if (!Object.prototype.hasOwnProperty.call(a, key)) out.push({ op: 'add', path: [...path, key], value: b[key] });
    else if (a[key] !== b[key]) diffInto(a[key], b[key], [...path, key], out);
  }
  for (const key of Object.keys(a)) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) out.push({ op: 'remove', path: [...path, key] });
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
