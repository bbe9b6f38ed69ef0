// The diagram's hover tooltip: for a message, its type, ends and times at once, then its fields
// fetched from the worker; for a marker or a fault span, its label. Everything is set as text, so
// a message field holding markup shows as characters.
// Leaves out: deciding what is under the mouse (hitTest.ts).
import type { Session } from '../app/session.ts';
import type { WorkerClient } from '../app/workerClient.ts';
import { FLAG, KIND } from '../trace/columns.ts';
import { h } from '../util/dom.ts';
import { timeText } from '../util/format.ts';
import type { Hit } from './hitTest.ts';
import type { Layout } from './layout.ts';

export class Tooltip {
  private readonly el: HTMLDivElement;
  private shown = '';
  private ticket = 0;

  constructor(parent: HTMLElement, private readonly session: Session, private readonly workers: WorkerClient) {
    this.el = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });
    parent.append(this.el);
  }

  hide(): void {
    this.el.hidden = true;
    this.shown = '';
  }

  show(hit: Hit, x: number, y: number, L: Layout): void {
    if (!hit) return this.hide();
    const key = hit.kind === 'message' ? `m${hit.event}` : hit.kind === 'marker' ? `k${hit.marker.index}` : `s${hit.span.start}${hit.span.label}`;
    this.place(x, y, L);
    if (key === this.shown) return;
    this.shown = key;
    this.el.hidden = false;
    if (hit.kind === 'marker') this.el.replaceChildren(h('strong', { text: hit.marker.label }), h('div', { text: `n${hit.marker.node} at ${timeText(hit.marker.t)} (event #${hit.marker.index})` }));
    else if (hit.kind === 'span') this.el.replaceChildren(h('strong', { text: hit.span.label }), h('div', { text: `${timeText(hit.span.start)} to ${timeText(hit.span.end)}` }));
    else this.message(hit.event);
  }

  private place(x: number, y: number, L: Layout): void {
    const left = x + 240 > L.width ? Math.max(0, x - 250) : x + 14;
    this.el.style.left = `${left}px`;
    this.el.style.top = `${y + 14}px`;
  }

  private message(index: number): void {
    const tr = this.session.current;
    if (!tr) return;
    const c = tr.columns;
    const k = c.kind[index];
    const send = k === KIND.send ? index : (c.link[index] as number);
    const type = tr.strings[c.s[send] as number] ?? '?';
    const lines = [`sent ${timeText(c.t[send] as number)}`];
    if (k === KIND.deliver) lines.push(`delivered ${timeText(c.t[index] as number)} (after ${timeText((c.t[index] as number) - (c.t[send] as number))})${((c.f[index] as number) & FLAG.DUPLICATE) ? ', a duplicate copy' : ''}`);
    else if (k === KIND.drop) lines.push(`dropped ${timeText(c.t[index] as number)}: ${tr.strings[c.s[index] as number] ?? '?'}`);
    else lines.push('never delivered (still in flight when the run ended)');
    if (((c.f[send] as number) & FLAG.BYZANTINE) !== 0) lines.push('sent by a byzantine node');
    const fields = h('pre', { text: '...' });
    this.el.replaceChildren(h('strong', { text: `${type}  n${c.a[index]} -> n${c.b[index]}` }), ...lines.map((l) => h('div', { text: l })), fields, h('div', { class: 'hint', text: 'click: select (then "drop this message" forks the run)' }));
    const ticket = ++this.ticket;
    this.workers.event(tr.slot, send).then((view) => {
      if (ticket !== this.ticket) return;
      const msg = (view.event as { msg?: unknown }).msg;
      fields.textContent = JSON.stringify(msg, null, 1)?.slice(0, 1200) ?? '';
    }, (error: Error) => {
      if (ticket === this.ticket) fields.textContent = error.message;
    });
  }
}
