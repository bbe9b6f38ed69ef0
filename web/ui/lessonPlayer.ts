// Plays a lesson, predict then reveal: each step asks the class what will happen next (with
// optional answers to pick), and Reveal moves the cursor, animated, to the event the step is tied
// to and zooms in around it, then shows the explanation. Before a step is revealed the cursor
// waits at the previous step's event, so nothing gives the answer away.
// Leaves out: scoring across lessons.
import { startIndex, type Session } from '../app/session.ts';
import type { Lesson } from '../lessons/lessonSchema.ts';
import { parseDuration } from '../../sim/duration.ts';
import { byId, h } from '../util/dom.ts';
import { timeText } from '../util/format.ts';

export class LessonPlayer {
  private readonly root = byId('lesson');
  private lesson: Lesson | undefined;
  private anchors: number[] = [];
  private step = 0;
  private revealed = false;
  private guess: number | undefined;
  private animation = 0;

  constructor(private readonly session: Session) {}

  start(lesson: Lesson, anchors: number[]): void {
    this.lesson = lesson;
    this.anchors = anchors;
    this.step = 0;
    this.root.hidden = false;
    this.enter(0);
  }

  stop(): void {
    this.lesson = undefined;
    this.session.setHorizon(undefined);
    this.root.hidden = true;
    this.root.replaceChildren();
  }

  get active(): boolean {
    return this.lesson !== undefined;
  }

  private enter(step: number): void {
    this.step = step;
    this.revealed = false;
    this.guess = undefined;
    const tr0 = this.session.current;
    const before = step === 0 ? (tr0 ? startIndex(tr0) : 0) : (this.anchors[step - 1] ?? 0);
    cancelAnimationFrame(this.animation);
    this.session.setCursor(before);
    const tr = this.session.current;
    const spec = this.lesson?.steps[step];
    if (tr) {
      const at = tr.columns.t[before] as number;
      const width = spec?.zoom ? parseDuration(spec.zoom, 'zoom') : Math.max(tr.endT / 10, 1000);
      this.session.setView(at - width * 0.5, at + width * 0.5);
      this.session.setHorizon(at);
    }
    this.render();
  }

  private reveal(guess?: number): void {
    this.guess = guess;
    this.revealed = true;
    this.session.setHorizon(undefined);
    this.render();
    const target = this.anchors[this.step];
    if (target === undefined || target < 0) return;
    const spec = this.lesson?.steps[this.step];
    const tr = this.session.current;
    if (!tr) return;
    const at = tr.columns.t[target] as number;
    const width = spec?.zoom ? parseDuration(spec.zoom, 'zoom') : Math.max(tr.endT / 10, 1000);
    this.session.setView(at - width * 0.6, at + width * 0.4);
    this.animateTo(target);
  }

  private animateTo(target: number): void {
    if (window.matchMedia('(prefers-reduced-motion: reduce)').matches) return this.session.setCursor(target);
    const from = this.session.cursor;
    const started = performance.now();
    const frame = (now: number): void => {
      const k = Math.min(1, (now - started) / 700);
      this.session.setCursor(Math.round(from + (target - from) * (1 - (1 - k) ** 3)));
      if (k < 1) this.animation = requestAnimationFrame(frame);
    };
    this.animation = requestAnimationFrame(frame);
  }

  private render(): void {
    const lesson = this.lesson;
    if (!lesson) return;
    const s = lesson.steps[this.step];
    if (!s) return;
    const last = this.step === lesson.steps.length - 1;
    const body = h('div', { class: 'lesson-step', 'data-step': this.step, 'data-revealed': String(this.revealed), 'data-anchor': this.anchors[this.step] ?? -1 });
    body.append(h('div', { class: 'lesson-progress', text: `${lesson.title} · step ${this.step + 1} of ${lesson.steps.length}` }), h('h3', { text: s.title }), h('p', { class: 'predict', text: s.predict }));
    if (!this.revealed) body.append(this.choices(s.choices));
    else body.append(...this.outcome(s.choices, s.answer), h('p', { class: 'reveal', text: s.reveal }));
    const nav = h('div', { class: 'lesson-nav' });
    const prev = h('button', { type: 'button', id: 'lesson-prev', text: 'Previous step', disabled: this.step === 0 });
    prev.addEventListener('click', () => this.enter(this.step - 1));
    nav.append(prev);
    if (this.revealed && !last) {
      const next = h('button', { type: 'button', id: 'lesson-next', class: 'primary', text: 'Next step' });
      next.addEventListener('click', () => this.enter(this.step + 1));
      nav.append(next);
    }
    if (this.revealed && last) nav.append(h('span', { id: 'lesson-done', class: 'done', text: 'Lesson complete. Now try your own fault: use "What if?" below.' }));
    body.append(nav);
    this.root.replaceChildren(h('div', { class: 'lesson-head' }, h('strong', { text: 'Lesson' }), h('span', { class: 'failures', text: lesson.failures.join(' · ') })), body);
  }

  private choices(choices: string[] | undefined): HTMLElement {
    const row = h('div', { class: 'choices' });
    choices?.forEach((text, i) => {
      const b = h('button', { type: 'button', class: 'choice', text });
      b.addEventListener('click', () => this.reveal(i));
      row.append(b);
    });
    const reveal = h('button', { type: 'button', id: 'lesson-reveal', class: 'primary', text: choices ? 'Just reveal' : 'Reveal' });
    reveal.addEventListener('click', () => this.reveal());
    row.append(reveal);
    return row;
  }

  private outcome(choices: string[] | undefined, answer: number | undefined): HTMLElement[] {
    const target = this.anchors[this.step];
    const tr = this.session.current;
    const where = target !== undefined && target >= 0 && tr ? h('p', { class: 'at', text: `at ${timeText(tr.columns.t[target] as number)} (event ${target + 1})` }) : h('p', { class: 'at' });
    if (!choices || answer === undefined) return [where];
    const right = this.guess === answer;
    const verdict = this.guess === undefined ? `Answer: ${choices[answer]}` : right ? `Right: ${choices[answer]}` : `Not quite: the answer is "${choices[answer]}"`;
    return [h('p', { class: this.guess === undefined ? 'answer neutral' : right ? 'answer right' : 'answer', text: verdict }), where];
  }
}
