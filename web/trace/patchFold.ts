// Applies Immer-format patches (as the trace records them) to a node's state without changing it:
// every container on a patch's path is copied once per event (copy on write), so older states
// stay valid and share everything unchanged. That is what makes state checkpoints cheap: a
// checkpoint is just a reference. Semantics follow immer's applyPatches (add on an array inserts,
// remove on an array splices, replace of "length" truncates).
// Leaves out: Maps and Sets (trace states are plain JSON).

type Json = unknown;
type Container = Record<string, unknown> | unknown[];

export interface PatchLike {
  op: 'add' | 'replace' | 'remove';
  path: (string | number)[];
  value?: unknown;
}

export class PatchError extends Error {}

/** The state after the patches; `state` itself is left as it was. */
export function applyPatchesCow(state: Json, patches: readonly PatchLike[]): Json {
  const owned = new Set<Container>();
  let root = state;
  for (const patch of patches) root = applyOne(root, patch, owned);
  return root;
}

function applyOne(root: Json, patch: PatchLike, owned: Set<Container>): Json {
  const { path } = patch;
  if (path.length === 0) {
    if (patch.op === 'remove') throw new PatchError('cannot remove the whole state');
    return patch.value;
  }
  const top = own(root, owned, path, 0);
  let node: Container = top;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string | number;
    const child = own(read(node, key), owned, path, i + 1);
    write(node, key, child);
    node = child;
  }
  change(node, path[path.length - 1] as string | number, patch, path);
  return top;
}

function own(value: Json, owned: Set<Container>, path: readonly (string | number)[], depth: number): Container {
  if (typeof value !== 'object' || value === null) throw new PatchError(`patch path ${pathText(path)}: ${pathText(path.slice(0, depth)) || 'the state'} is not an object or array`);
  const c = value as Container;
  if (owned.has(c)) return c;
  const copy: Container = Array.isArray(c) ? c.slice() : { ...c };
  owned.add(copy);
  return copy;
}

function read(node: Container, key: string | number): Json {
  if (!Object.prototype.hasOwnProperty.call(node, key)) return undefined;
  return (node as Record<string, unknown>)[key as string];
}

function write(node: Container, key: string | number, value: Json): void {
  Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
}

function change(node: Container, key: string | number, patch: PatchLike, path: readonly (string | number)[]): void {
  if (Array.isArray(node)) return changeArray(node, key, patch, path);
  if (patch.op === 'remove') delete (node as Record<string, unknown>)[key as string];
  else write(node, key, patch.value);
}

function changeArray(node: unknown[], key: string | number, patch: PatchLike, path: readonly (string | number)[]): void {
  if (key === 'length') {
    const n = patch.value;
    if (patch.op !== 'replace' || typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > node.length) throw new PatchError(`patch path ${pathText(path)}: expected a replace of length with a whole number up to ${node.length}`);
    node.length = n;
    return;
  }
  const index = key === '-' ? node.length : typeof key === 'number' ? key : Number(key);
  if (!Number.isInteger(index) || index < 0 || index > node.length) throw new PatchError(`patch path ${pathText(path)}: array index ${JSON.stringify(key)} is out of range (length ${node.length})`);
  if (patch.op === 'add') node.splice(index, 0, patch.value);
  else if (patch.op === 'remove') node.splice(index, 1);
  else node[index] = patch.value;
}

function pathText(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
}
