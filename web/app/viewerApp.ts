// The viewer's controller: opens runs (a file, a URL, a live run, a lesson) through the worker,
// routes the page's URL (?trace=, ?lesson=, ?protocol=...), keeps the URL a link to what is shown,
// forks runs, and reports progress and errors. Panels subscribe to the session themselves.
// Leaves out: drawing and panel layout.
import type { Diagram } from '../diagram/diagram.ts';
import { lessonRunSpec, type Lesson } from '../lessons/lessonSchema.ts';
import { DEFAULT_LESSON, findLesson } from '../lessons/lessonList.ts';
import { runSpecFromParams, runSpecToParams, type RunSpec } from '../run/runSpec.ts';
import type { LessonPlayer } from '../ui/lessonPlayer.ts';
import type { RunForm } from '../ui/runForm.ts';
import type { StatusBar } from '../ui/statusBar.ts';
import type { LoadedTrace } from '../worker/messages.ts';
import type { Session } from './session.ts';
import type { WorkerClient } from './workerClient.ts';

export class ViewerApp {
  /** Set while something is loading; tests and the benchmark wait for it to clear. */
  busy = false;
  loads = 0;
  lastLoadMs = 0;
  private lessonId: string | undefined;

  constructor(
    readonly session: Session,
    readonly workers: WorkerClient,
    readonly diagram: Diagram,
    private readonly status: StatusBar,
    private readonly lesson: LessonPlayer,
    private readonly form: RunForm,
  ) {
    session.subscribe((change) => {
      if (change === 'trace' && session.current) this.shown(session.current);
    });
  }

  route(params: URLSearchParams): void {
    try {
      const trace = params.get('trace');
      const lesson = params.get('lesson');
      const run = runSpecFromParams(params);
      if (trace) void this.open(this.workers.fetch(trace, this.progress), { source: 'url' });
      else if (run) this.run(run);
      else void this.startLesson(lesson ?? DEFAULT_LESSON);
    } catch (error) {
      this.status.fail((error as Error).message);
    }
  }

  openFile(name: string, bytes: ArrayBuffer): void {
    void this.open(this.workers.load(name, bytes, this.progress), { source: 'file' });
  }

  run(spec: RunSpec): void {
    this.form.fill(spec);
    void this.open(this.workers.run(spec, this.progress), { source: 'run' });
  }

  async startLesson(id: string): Promise<void> {
    const entry = findLesson(id);
    if (!entry) return this.status.fail(`lesson "${id}" does not exist; pick one from the Lessons list`);
    if (!entry.lesson) return this.status.fail(entry.error ?? `lesson ${id} is broken`);
    const lesson: Lesson = entry.lesson;
    this.form.fill(lessonRunSpec(lesson));
    const trace = await this.open(this.workers.run(lessonRunSpec(lesson), this.progress), { source: 'lesson', lesson: id });
    if (!trace) return;
    try {
      const anchors = await this.workers.anchors(trace.slot, lesson.steps.map((s) => s.anchor ?? { kind: 'boot' }));
      const missing = lesson.steps.findIndex((s, i) => s.anchor && (anchors[i] ?? -1) < 0);
      if (missing >= 0) this.status.fail(`lesson ${id}: step ${missing + 1} ("${lesson.steps[missing]?.title}") is tied to an event that never happens in this run`);
      this.lesson.start(lesson, lesson.steps.map((s, i) => (s.anchor ? (anchors[i] ?? -1) : 0)));
    } catch (error) {
      this.status.fail((error as Error).message);
    }
  }

  async fork(plan: { faults: Record<string, unknown>[] }, label: string): Promise<void> {
    const base = this.session.current;
    if (!base) return;
    this.busy = true;
    this.status.clearError();
    this.session.setHorizon(undefined); // a fork shows its consequences: nothing stays hidden
    try {
      const trace = await this.workers.fork(base.slot, plan, label, this.progress);
      if (base.run) trace.run = { ...base.run, plan };
      this.session.addBranch(trace);
      if (trace.divergence && trace.divergence.index >= 0) this.session.setCursor(trace.divergence.index);
    } catch (error) {
      this.status.fail((error as Error).message);
    } finally {
      this.busy = false;
      this.status.idle();
    }
  }

  private readonly progress = (stage: string, done: number, total: number): void => this.status.busy(stage, done, total);

  private async open(request: Promise<LoadedTrace>, how: { source: string; lesson?: string }): Promise<LoadedTrace | undefined> {
    this.busy = true;
    this.status.clearError();
    if (how.source !== 'lesson') this.lesson.stop();
    this.lessonId = how.lesson;
    const started = performance.now();
    try {
      const trace = await request;
      this.lastLoadMs = performance.now() - started;
      this.session.open(trace);
      this.loads++;
      return trace;
    } catch (error) {
      this.status.fail((error as Error).message);
      return undefined;
    } finally {
      this.busy = false;
      this.status.idle();
    }
  }

  /** The URL always links to what is shown, when that can be linked (a file cannot). */
  private shown(trace: LoadedTrace): void {
    this.status.showTrace(trace);
    const params = this.lessonId && this.session.branches.length === 1 ? new URLSearchParams({ lesson: this.lessonId }) : trace.run ? runSpecToParams(trace.run) : undefined;
    const keep = new URLSearchParams(location.search);
    if (!params && keep.get('trace') && trace === this.session.branches[0]) return;
    const search = params ? `?${params.toString()}` : '';
    if (search !== location.search) history.replaceState(null, '', `${location.pathname}${search}`);
  }
}
