// Counts of sends and drops per node in fixed time bins over the whole run, built once per trace
// (one pass over the columns), so the zoomed-out diagram adds up bins instead of visiting every
// event: drawing the whole of a million-event run costs about as much as drawing a second of it.
// Leaves out: other event kinds (only messages are drawn as densities).
import { KIND } from '../trace/columns.ts';
import type { LoadedTrace } from '../worker/messages.ts';

/** At most this many bins per node, and at most about 2M counters in all (large clusters get fewer bins). */
const MAX_BINS = 1 << 15;
const MAX_CELLS = 1 << 21;

export interface DensityIndex {
  bins: number;
  binUs: number;
  /** [node * bins + bin] */
  sends: Uint32Array;
  drops: Uint32Array;
}

const cache = new WeakMap<LoadedTrace, DensityIndex>();

export function densityIndex(tr: LoadedTrace): DensityIndex {
  let d = cache.get(tr);
  if (d) return d;
  const nodes = tr.header.options.nodes;
  const bins = Math.max(256, Math.min(MAX_BINS, Math.floor(MAX_CELLS / (nodes + 1))));
  const binUs = Math.max(1, (tr.endT + 1) / bins);
  d = { bins, binUs, sends: new Uint32Array((nodes + 1) * bins), drops: new Uint32Array((nodes + 1) * bins) };
  const { kind, t, a, count } = tr.columns;
  for (let i = 0; i < count; i++) {
    const k = kind[i];
    if (k !== KIND.send && k !== KIND.drop) continue;
    const cell = (a[i] as number) * bins + Math.min(bins - 1, ((t[i] as number) / binUs) | 0);
    const into = k === KIND.send ? d.sends : d.drops;
    into[cell] = (into[cell] as number) + 1;
  }
  cache.set(tr, d);
  return d;
}
