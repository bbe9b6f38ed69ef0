// The branches of a run: the original and each fork, as tabs. Switching keeps the cursor's time
// and the zoom, so the two runs can be compared at the same moment. A fork's tab says where it
// parts from the run it was forked from, with a button to jump there.
// Leaves out: merging or deleting branches (a new run starts over).
import type { Session } from '../app/session.ts';
import type { LoadedTrace } from '../worker/messages.ts';
import { byId, h } from '../util/dom.ts';
import { countText, timeText } from '../util/format.ts';

export class BranchBar {
  private readonly root = byId('branches');

  constructor(private readonly session: Session) {
    session.subscribe((change) => {
      if (change === 'branches' || change === 'trace') this.render();
    });
  }

  private render(): void {
    const { branches, current } = this.session;
    if (branches.length <= 1) {
      this.root.hidden = true;
      return;
    }
    this.root.hidden = false;
    const tabs = branches.map((b, i) => {
      const tab = h('button', { type: 'button', class: `branch${b === current ? ' current' : ''}`, 'aria-pressed': b === current, 'data-branch': i, text: i === 0 ? 'original run' : `fork ${i}: ${b.name}` });
      tab.addEventListener('click', () => this.switchTo(b));
      return tab;
    });
    this.root.replaceChildren(h('span', { class: 'label', text: 'Branches:' }), ...tabs, this.divergence(current));
  }

  private divergence(tr: LoadedTrace | undefined): HTMLElement {
    const d = tr?.divergence;
    if (!tr || !d) return h('span', { class: 'diverge', text: 'Pick a fork to compare it with the original.' });
    const from = this.session.branches.find((b) => b.slot === d.from);
    if (d.index < 0) return h('span', { class: 'diverge', text: `identical to ${from === this.session.branches[0] ? 'the original run' : 'its parent'}` });
    const at = tr.columns.t[Math.min(d.index, tr.columns.count - 1)] as number;
    const go = h('button', { type: 'button', id: 'goto-divergence', text: 'Go to the divergence' });
    go.addEventListener('click', () => {
      this.session.setCursor(d.index);
      const span = Math.min(this.session.t1 - this.session.t0, 400_000);
      this.session.setView(at - span * 0.3, at + span * 0.7);
    });
    return h('span', { class: 'diverge' }, h('strong', { text: `Differs from event ${countText(d.index + 1)} (${timeText(at)}): ` }), d.description, ' ', go);
  }

  private switchTo(b: LoadedTrace): void {
    const t = this.session.cursorTime;
    this.session.show(b, 0);
    this.session.setCursorTime(t);
  }
}
