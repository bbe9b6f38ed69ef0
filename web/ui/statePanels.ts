// One card per node showing its state just after the cursor's event, rebuilt from the trace's
// state patches by the worker (which folds from the nearest checkpoint): a badge coloured by the
// protocol's tone (Raft role, detector status, 2PC uncertainty), a few key fields, the whole state
// as a foldable tree, and "down" when a crash covers the cursor. Requests are coalesced, so
// scrubbing fast asks only for the latest position.
// Leaves out: diffs between two cursors.
import type { Session } from '../app/session.ts';
import type { WorkerClient } from '../app/workerClient.ts';
import type { Diagram } from '../diagram/diagram.ts';
import type { NodeView } from '../worker/messages.ts';
import { byId, h } from '../util/dom.ts';
import { timeText } from '../util/format.ts';
import { jsonTree } from './jsonView.ts';
import { TONE } from './palette.ts';

export class StatePanels {
  private readonly root = byId('states');
  private inFlight = false;
  private wanted: { slot: number; index: number } | undefined;
  private readonly open = new Set<number>();
  /** Resolves once the cards show the cursor (tests wait on it). */
  shownIndex = -1;

  constructor(private readonly session: Session, private readonly workers: WorkerClient, private readonly diagram: Diagram) {
    session.subscribe((change) => {
      if (change === 'cursor' || change === 'trace') this.request();
    });
  }

  private request(): void {
    const tr = this.session.current;
    if (!tr) return;
    this.wanted = { slot: tr.slot, index: this.session.cursor };
    if (!this.inFlight) void this.fetch();
  }

  private async fetch(): Promise<void> {
    while (this.wanted) {
      const want = this.wanted;
      this.wanted = undefined;
      this.inFlight = true;
      try {
        const views = await this.workers.states(want.slot, want.index);
        if (this.session.current?.slot === want.slot && !this.wanted) this.render(views, want.index);
      } catch (error) {
        this.root.replaceChildren(h('p', { class: 'error', text: `Node states are not available: ${(error as Error).message}` }));
      } finally {
        this.inFlight = false;
      }
    }
  }

  private downAt(index: number): boolean[] {
    const tr = this.session.current;
    const down: boolean[] = [];
    if (!tr) return down;
    const t = tr.columns.t[index] as number;
    for (const s of tr.spans) if (s.type === 'crash' && s.start <= t && t < s.end) down[s.nodes[0] as number] = true;
    return down;
  }

  private render(views: NodeView[], index: number): void {
    const down = this.downAt(index);
    const tones: (string | undefined)[] = [];
    const compact = views.length > 12;
    const cards = views.map((v) => {
      const isDown = down[v.node] === true;
      const tone = isDown ? TONE.down : v.summary ? TONE[v.summary.tone] : TONE.neutral;
      tones[v.node] = tone;
      return this.card(v, isDown, tone, compact);
    });
    this.root.replaceChildren(...cards);
    this.root.classList.toggle('compact', compact);
    this.diagram.setNodeTones(tones, down);
    this.shownIndex = index;
    this.root.dataset.index = String(index);
  }

  private card(v: NodeView, isDown: boolean, tone: string, compact: boolean): HTMLElement {
    const badge = isDown ? 'down (crashed)' : (v.summary?.badge ?? (v.since < 0 ? 'not started' : 'up'));
    const head = h('div', { class: 'card-head' }, h('span', { class: 'node-name', text: `n${v.node}` }), h('span', { class: 'badge', text: badge }));
    (head.lastChild as HTMLElement).style.background = tone;
    const card = h('section', { class: `card${isDown ? ' down' : ''}`, 'aria-label': `node n${v.node}` }, head);
    if (compact) return card;
    const fields = h('dl', { class: 'fields' });
    for (const [k, val] of v.summary?.fields ?? []) fields.append(h('dt', { text: k }), h('dd', { text: val }));
    card.append(fields);
    const tr = this.session.current;
    if (v.since >= 0 && tr) card.append(h('div', { class: 'since', text: `changed at ${timeText(tr.columns.t[v.since] as number)} (event ${v.since + 1})` }));
    // The tree is built only when shown: scrubbing rebuilds the cards many times a second.
    const details = h('details', { class: 'state-json' }, h('summary', { text: isDown ? 'last state before the crash' : 'full state' }));
    const fill = (): void => {
      if (details.childElementCount === 1) details.append(jsonTree(v.preview, 0, 1));
    };
    details.open = this.open.has(v.node);
    if (details.open) fill();
    details.addEventListener('toggle', () => {
      if (details.open) {
        this.open.add(v.node);
        fill();
      } else this.open.delete(v.node);
    });
    card.append(details);
    return card;
  }
}
