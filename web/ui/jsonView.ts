// Renders a JSON value (a node's state preview, an event's fields) as a collapsible tree of text
// nodes: objects and arrays fold, scalars are coloured by type. Never uses innerHTML, so keys and
// strings from a trace are shown exactly as written.
// Leaves out: editing and search.
import { h } from '../util/dom.ts';

export function jsonTree(value: unknown, depth = 0, openDepth = 1): HTMLElement {
  if (typeof value !== 'object' || value === null) return scalar(value);
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  if (entries.length === 0) return h('span', { class: 'j-punct', text: Array.isArray(value) ? '[]' : '{}' });
  const summary = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  const details = h('details', { class: 'j-node' }, h('summary', { class: 'j-punct', text: summary }));
  if (depth < openDepth) details.open = true;
  const list = h('div', { class: 'j-list' });
  for (const [key, v] of entries) list.append(h('div', { class: 'j-row' }, h('span', { class: 'j-key', text: `${key}: ` }), jsonTree(v, depth + 1, openDepth)));
  details.append(list);
  return details;
}

function scalar(value: unknown): HTMLElement {
  if (typeof value === 'string') return h('span', { class: 'j-str', text: JSON.stringify(value) });
  if (typeof value === 'number') return h('span', { class: 'j-num', text: String(value) });
  if (typeof value === 'boolean') return h('span', { class: 'j-bool', text: String(value) });
  return h('span', { class: 'j-null', text: 'null' });
}
