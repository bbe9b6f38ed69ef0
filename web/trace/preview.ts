// Shortens a JSON value for display: long arrays keep their first items and say how many more,
// long strings are cut, deep nesting stops. The state panels show previews, so a Raft node with a
// long log or a big key-value map stays readable and cheap to send to the page.
// Leaves out: any formatting (the page renders the preview as text).

export interface PreviewLimits {
  items: number;
  keys: number;
  depth: number;
  chars: number;
}

const DEFAULT: PreviewLimits = { items: 12, keys: 40, depth: 6, chars: 160 };

export function preview(value: unknown, limits: PreviewLimits = DEFAULT, depth = 0): unknown {
  if (typeof value === 'string') return value.length > limits.chars ? `${value.slice(0, limits.chars)}... (${value.length} chars)` : value;
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= limits.depth) return Array.isArray(value) ? `[${value.length} items]` : '{...}';
  if (Array.isArray(value)) {
    const out = value.slice(0, limits.items).map((v) => preview(v, limits, depth + 1));
    if (value.length > limits.items) out.push(`... ${value.length - limits.items} more`);
    return out;
  }
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value);
  for (const key of keys.slice(0, limits.keys)) Object.defineProperty(out, key, { value: preview((value as Record<string, unknown>)[key], limits, depth + 1), enumerable: true, writable: true, configurable: true });
  if (keys.length > limits.keys) out['...'] = `${keys.length - limits.keys} more keys`;
  return out;
}
