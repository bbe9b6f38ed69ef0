// Where data lives: the store has eight keys, k0..k7, spread over the participants (every node but
// the coordinator, in id order): key k<i> lives on participant number i mod P. A transaction's
// participants are the owners of the keys it writes. Leaves out: re-sharding and replication.
import type { NodeId } from '../../sim/types.ts';
import type { Write } from './types.ts';

export const KEYS: readonly string[] = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'];

/** The participants of a cluster of `nodes` nodes with this coordinator, sorted. */
export function participantsOf(nodes: number, coordinator: NodeId): NodeId[] {
  const out: NodeId[] = [];
  for (let id = 1; id <= nodes; id++) if (id !== coordinator) out.push(id);
  return out;
}

/** The participant a key lives on, or undefined for a key outside the store. */
export function ownerOf(key: string, participants: readonly NodeId[]): NodeId | undefined {
  const index = KEYS.indexOf(key);
  if (index < 0 || participants.length === 0) return undefined;
  return participants[index % participants.length];
}

/**
 * A transaction's writes grouped by owner ("n<id>" -> writes, owners ascending), or undefined when
 * the operation is malformed (no writes, a key outside the store, a key written twice).
 */
export function shard(op: unknown, participants: readonly NodeId[]): Map<NodeId, Write[]> | undefined {
  const writes = (op as { writes?: unknown } | null)?.writes;
  if (!Array.isArray(writes) || writes.length === 0) return undefined;
  const byOwner = new Map<NodeId, Write[]>();
  const seen = new Set<string>();
  for (const w of writes as unknown[]) {
    const { key, value } = (w ?? {}) as { key?: unknown; value?: unknown };
    if (typeof key !== 'string' || typeof value !== 'string' || seen.has(key)) return undefined;
    seen.add(key);
    const owner = ownerOf(key, participants);
    if (owner === undefined) return undefined;
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), { key, value }]);
  }
  return new Map([...byOwner.entries()].sort((a, b) => a[0] - b[0]));
}
