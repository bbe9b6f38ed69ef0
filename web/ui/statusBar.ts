// The strip above the diagram: what is shown (protocol, seed, nodes, events, verdict coloured, the
// trace hash, where it came from), progress while a trace loads or a run simulates, errors in
// a banner that says what was expected, and a notice after a download. All text, never markup.
// Leaves out: the lesson narration (lessonPlayer.ts).
import { describeVerdict, type Verdict } from '../../sim/verdict.ts';
import type { LoadedTrace } from '../worker/messages.ts';
import { byId, h } from '../util/dom.ts';
import { countText, timeText } from '../util/format.ts';

export class StatusBar {
  private readonly summary = byId('summary');
  private readonly progress = byId('progress');
  private readonly error = byId('error');
  private readonly notice = byId('notice');

  showTrace(tr: LoadedTrace): void {
    const o = tr.header.options;
    const verdict = tr.footer.verdict as Verdict;
    const pass = verdict.kind === 'pass';
    this.summary.replaceChildren(
      h('span', { class: 'what', text: `${tr.header.protocol}${o.bug ? ` (bug: ${o.bug})` : ''}` }),
      h('span', { text: `seed ${tr.header.seed}` }),
      h('span', { text: `${o.nodes} nodes` }),
      h('span', { text: `${countText(tr.columns.count)} events over ${timeText(tr.endT)}` }),
      h('span', { class: `verdict ${pass ? 'pass' : 'fail'}`, id: 'verdict', text: describeVerdict(verdict) }),
      h('span', { class: 'hash', id: 'trace-hash', title: 'trace hash: equal hashes mean identical runs', text: `hash ${tr.footer.traceHash}` }),
    );
  }

  busy(stage: string, done: number, total: number): void {
    this.progress.hidden = false;
    const pct = total > 1 ? ` ${Math.round((100 * done) / total)}%` : '';
    this.progress.textContent = `${stage}...${pct}`;
  }

  idle(): void {
    this.progress.hidden = true;
  }

  fail(message: string): void {
    this.idle();
    const close = h('button', { type: 'button', class: 'close', 'aria-label': 'dismiss', text: 'x' });
    close.addEventListener('click', () => this.clearError());
    this.error.replaceChildren(h('strong', { text: 'Error: ' }), h('span', { id: 'error-text', text: message }), close);
    this.error.hidden = false;
  }

  clearError(): void {
    this.error.hidden = true;
    this.error.replaceChildren();
    this.clearNotice();
  }

  /** A line that something worked (an export was downloaded), until dismissed or the next action. */
  note(title: string, message: string): void {
    const close = h('button', { type: 'button', class: 'close', 'aria-label': 'dismiss', text: 'x' });
    close.addEventListener('click', () => this.clearNotice());
    this.notice.replaceChildren(h('strong', { text: `${title} ` }), h('span', { id: 'notice-text', text: message }), close);
    this.notice.hidden = false;
  }

  clearNotice(): void {
    this.notice.hidden = true;
    this.notice.replaceChildren();
  }
}
