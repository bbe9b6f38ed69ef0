// Byzantine senders, the design notes' four behaviours, each node with its own: "wrong" mutates
// one field of an outgoing message, "silent" sends nothing, "delay" sends late, "duplicate" sends
// twice. Applied to a fraction (probability) of the node's sends while the fault lasts.
// Leaves out: equivocation to different peers and forged sender ids (the network stamps `from`).
import { pick, randInt, type Rng } from './rng.ts';

export type ByzantineBehaviour = 'wrong' | 'silent' | 'delay' | 'duplicate';

export interface ByzantineMode {
  behaviour: ByzantineBehaviour;
  probability: number;
  delayUs: number;
}

/** A copy of msg with one scalar field (never `type`) changed; unchanged if it has none. */
export function mutateMessage<M extends { type: string }>(msg: M, rng: Rng): M {
  const fields = Object.keys(msg).filter((k) => k !== 'type' && isScalar((msg as Record<string, unknown>)[k]));
  if (fields.length === 0) return msg;
  const field = pick(rng, fields);
  const value = (msg as Record<string, unknown>)[field];
  return { ...msg, [field]: mutateScalar(value, rng) };
}

function isScalar(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string';
}

function mutateScalar(v: unknown, rng: Rng): unknown {
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v + (rng.next() < 0.5 ? -1 : 1) * randInt(rng, 1, 5);
  return `${String(v)}~`;
}
