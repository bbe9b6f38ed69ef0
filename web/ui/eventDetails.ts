// The event at the cursor, in full: its kind and time, and its fields as a foldable tree (for a
// delivery or a drop, also the message that was sent). Fetched from the worker, latest cursor wins.
// Leaves out: editing the event (a fork changes the run instead).
import type { Session } from '../app/session.ts';
import type { WorkerClient } from '../app/workerClient.ts';
import { KIND_NAMES } from '../trace/columns.ts';
import { byId, h } from '../util/dom.ts';
import { countText, timeText } from '../util/format.ts';
import { jsonTree } from './jsonView.ts';

export class EventDetails {
  private readonly root = byId('event-details');
  private ticket = 0;
  private timer = 0;

  constructor(private readonly session: Session, private readonly workers: WorkerClient) {
    session.subscribe((change) => {
      if (change === 'cursor' || change === 'trace') this.schedule();
    });
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.show(), 60);
  }

  private async show(): Promise<void> {
    const tr = this.session.current;
    if (!tr) return;
    const index = this.session.cursor;
    const ticket = ++this.ticket;
    try {
      const view = await this.workers.event(tr.slot, index);
      if (ticket !== this.ticket) return;
      const kind = KIND_NAMES[tr.columns.kind[index] as number] ?? 'event';
      const title = h('h3', { text: `Event ${countText(index + 1)} at ${timeText(tr.columns.t[index] as number)}: ${kind}` });
      const parts: HTMLElement[] = [title, jsonTree(view.event, 0, 2)];
      if (view.msg !== undefined) parts.push(h('h4', { text: 'the message' }), jsonTree(view.msg, 0, 2));
      this.root.replaceChildren(...parts);
    } catch (error) {
      if (ticket === this.ticket) this.root.replaceChildren(h('p', { class: 'error', text: (error as Error).message }));
    }
  }
}
