// The viewer's entry point: builds the panels, wires them to one session and one trace worker,
// and opens what the URL asks for (?trace=URL, ?lesson=id, or a run: ?protocol=raft&seed=...),
// else the default lesson. window.faultlab exposes the session for tests and the benchmark.
// Leaves out: everything else (each panel is its own file under ui/, diagram/, charts/).
import { Session } from './app/session.ts';
import { ViewerApp } from './app/viewerApp.ts';
import { WorkerClient } from './app/workerClient.ts';
import { Diagram } from './diagram/diagram.ts';
import { lessons } from './lessons/lessonList.ts';
import { BranchBar } from './ui/branchBar.ts';
import { ChartsPanel } from './ui/chartsPanel.ts';
import { EventDetails } from './ui/eventDetails.ts';
import { ExportMenu } from './ui/exportMenu.ts';
import { FaultMenu } from './ui/faultMenu.ts';
import { LessonPlayer } from './ui/lessonPlayer.ts';
import { wireLoadControls } from './ui/loadControls.ts';
import { Player } from './ui/player.ts';
import { RunForm } from './ui/runForm.ts';
import { StatePanels } from './ui/statePanels.ts';
import { StatusBar } from './ui/statusBar.ts';
import { Timeline } from './ui/timeline.ts';
import { byId, h, on } from './util/dom.ts';

const session = new Session();
const workers = new WorkerClient();
const status = new StatusBar();
const report = (message: string): void => status.fail(message);
const diagram = new Diagram(byId<HTMLCanvasElement>('diagram'), session, workers);
const player = new Player(session);
new Timeline(session, player);
const states = new StatePanels(session, workers, diagram);
new ChartsPanel(session);
new EventDetails(session, workers);
new BranchBar(session);
const lesson = new LessonPlayer(session);
let app: ViewerApp | undefined;
const form = new RunForm((spec) => app?.run(spec), report);
app = new ViewerApp(session, workers, diagram, status, lesson, form);
const viewer = app;
new FaultMenu(session, (plan, label) => viewer.fork(plan, label), report);
wireLoadControls((name, bytes) => viewer.openFile(name, bytes), report);
const exporter = new ExportMenu(session, workers, status);

const select = byId<HTMLSelectElement>('lesson-select');
select.append(h('option', { value: '', text: 'Choose a lesson...' }), ...lessons().map((e) => h('option', { value: e.id, text: e.lesson ? `${e.lesson.protocol}: ${e.lesson.title}` : `${e.id} (broken)` })));
on(select, 'change', () => {
  if (select.value) void viewer.startLesson(select.value);
  select.value = '';
});
on(byId('toggle-run'), 'click', () => {
  const form = byId('run-form');
  form.hidden = !form.hidden;
});

window.addEventListener('error', (e) => report(`unexpected error in the viewer: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => report(`unexpected error in the viewer: ${String((e.reason as Error)?.message ?? e.reason)}`));

Object.assign(window, { faultlab: { session, app: viewer, diagram, states, player, exporter } });
viewer.route(new URLSearchParams(location.search));
