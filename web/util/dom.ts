// Building DOM elements safely: text always goes in as text (textContent), never as HTML, so a
// string from a trace can contain anything. One small helper instead of a framework.
// Leaves out: templating and diffing (panels rebuild their few elements when they change).

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    if (key.startsWith('aria-') || key.startsWith('data-')) {
      el.setAttribute(key, String(value));
      continue;
    }
    if (value === false) continue;
    if (key === 'class') el.className = String(value);
    else if (key === 'text') el.textContent = String(value);
    else if (key.startsWith('on')) throw new Error('h(): use addEventListener for handlers');
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return el;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

export function clear(el: Element): void {
  el.replaceChildren();
}

export function on<K extends keyof HTMLElementEventMap>(el: EventTarget, type: K, handler: (e: HTMLElementEventMap[K]) => void): void {
  el.addEventListener(type, handler as EventListener);
}
