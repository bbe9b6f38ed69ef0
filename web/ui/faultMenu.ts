// "What if?": the panel that injects a fault at the cursor. Pick an action (crash or restart a
// node, pause it, partition some nodes from the rest, heal, drop the selected message, skew a
// clock), press Fork, and the worker re-runs the same seed with the added fault; the new run
// becomes a branch and the first event where it differs is highlighted (branchBar.ts).
// Leaves out: editing faults already in the plan (the run form does that).
import type { Session } from '../app/session.ts';
import { forkPlan, type ForkAction } from '../app/forkPlan.ts';
import { parseDuration } from '../../sim/duration.ts';
import { KIND } from '../trace/columns.ts';
import { byId, h, on } from '../util/dom.ts';
import { timeText } from '../util/format.ts';

export type ForkHandler = (plan: { faults: Record<string, unknown>[] }, label: string) => Promise<void>;

export class FaultMenu {
  private readonly action = byId<HTMLSelectElement>('fault-action');
  private readonly node = byId<HTMLSelectElement>('fault-node');
  private readonly extra = byId('fault-extra');
  private readonly info = byId('fault-info');
  private readonly button = byId<HTMLButtonElement>('fork');
  private sides: HTMLInputElement[] = [];
  private amount = h('input', { type: 'text', size: 7, 'aria-label': 'amount' });

  constructor(private readonly session: Session, private readonly onFork: ForkHandler, private readonly report: (message: string) => void) {
    session.subscribe((change) => {
      if (change === 'trace') this.nodes();
      if (change === 'cursor' || change === 'selection' || change === 'trace') this.describe();
    });
    on(this.action, 'change', () => this.fields());
    on(this.button, 'click', () => void this.fork());
    this.fields();
  }

  private nodes(): void {
    const n = this.session.current?.header.options.nodes ?? 0;
    const keep = this.node.value;
    this.node.replaceChildren(...Array.from({ length: n }, (_, i) => h('option', { value: i + 1, text: `n${i + 1}` })));
    if (keep && Number(keep) <= n) this.node.value = keep;
    this.fields();
  }

  private fields(): void {
    const a = this.action.value;
    this.node.hidden = !['crash', 'restart', 'pause', 'skew'].includes(a);
    this.extra.replaceChildren();
    if (a === 'crash' || a === 'partition') this.amountField('for (empty: until restarted or healed)', '');
    if (a === 'pause') this.amountField('for', '1s');
    if (a === 'skew') this.amountField('offset', '+500ms');
    if (a === 'partition') {
      const n = this.session.current?.header.options.nodes ?? 0;
      this.sides = Array.from({ length: n }, (_, i) => h('input', { type: 'checkbox', value: i + 1, 'aria-label': `n${i + 1} on side A` }));
      this.extra.append(h('span', { text: 'side A:' }), ...this.sides.map((box, i) => h('label', { class: 'tick' }, box, `n${i + 1}`)));
    }
    this.describe();
  }

  private amountField(label: string, value: string): void {
    this.amount = h('input', { type: 'text', size: 8, value, 'aria-label': label, placeholder: label.startsWith('for') ? 'e.g. 2s' : '' });
    this.extra.append(h('label', {}, `${label.split(' (')[0]} `, this.amount));
  }

  private describe(): void {
    const tr = this.session.current;
    if (!tr) return;
    const drop = this.action.value === 'drop';
    const sel = this.session.selected;
    this.info.textContent = drop
      ? sel >= 0 ? `drops the selected ${tr.strings[tr.columns.s[sel] as number] ?? ''} n${tr.columns.a[sel]} -> n${tr.columns.b[sel]}` : 'first click a message arrow in the diagram to select it'
      : `at the cursor, ${timeText(this.session.cursorTime)}`;
  }

  private forkAction(): ForkAction {
    const node = Number(this.node.value);
    const amount = this.amount.value.trim();
    const dur = (field: string): number | undefined => (amount === '' ? undefined : parseDuration(amount, field));
    switch (this.action.value) {
      case 'crash': return { kind: 'crash', node, forUs: dur('for') };
      case 'restart': return { kind: 'restart', node };
      case 'pause': return { kind: 'pause', node, forUs: dur('for') ?? 1_000_000 };
      case 'partition': return { kind: 'partition', side: this.sides.filter((b) => b.checked).map((b) => Number(b.value)), forUs: dur('for') };
      case 'heal': return { kind: 'heal' };
      case 'skew': {
        const sign = amount.startsWith('-') ? -1 : 1;
        return { kind: 'skew', node, offsetUs: sign * parseDuration(amount.replace(/^[+-]/, ''), 'offset') };
      }
      default: return this.dropAction();
    }
  }

  private dropAction(): ForkAction {
    const tr = this.session.current;
    const send = this.session.selected;
    if (!tr || send < 0) throw new Error('select a message first: click its arrow in the diagram');
    const c = tr.columns;
    const arrival = c.link[send] as number;
    if (arrival < 0 || c.kind[arrival] !== KIND.deliver) throw new Error('that message was not delivered, so there is nothing to drop');
    return { kind: 'drop', from: c.a[send] as number, to: c.b[send] as number, arriveUs: c.t[arrival] as number, type: tr.strings[c.s[send] as number] ?? 'message' };
  }

  private async fork(): Promise<void> {
    const tr = this.session.current;
    if (!tr) return;
    let planned;
    try {
      planned = forkPlan(tr.header, this.session.cursorTime, this.forkAction());
    } catch (error) {
      return this.report((error as Error).message);
    }
    this.button.disabled = true;
    try {
      await this.onFork(planned.plan, planned.label);
    } finally {
      this.button.disabled = false;
    }
  }
}
