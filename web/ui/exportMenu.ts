// The toolbar's Export control: pick a format (ShiViz, Perfetto, Jepsen, Porcupine, described as in
// `faultlab export --help`), press Export, and the worker converts the shown run with the CLI's
// own exporters; the file is then downloaded under the name the exporter gives it and the status
// bar says what it holds. With forks loaded, ShiViz can also take every branch side by side.
// Formats that need a client history are disabled, with the reason, for runs without clients; any
// other refusal from an exporter appears in the error banner.
// Leaves out: a time window (--until); the whole run is exported.
import { EXPORT_FORMATS, FORMAT_DESCRIPTIONS, type ExportFormat } from '../../sim/export/formats.ts';
import type { Session } from '../app/session.ts';
import type { WorkerClient } from '../app/workerClient.ts';
import { KIND } from '../trace/columns.ts';
import type { ExportedDownload, LoadedTrace } from '../worker/messages.ts';
import { byId, h, on } from '../util/dom.ts';
import type { StatusBar } from './statusBar.ts';

const NAMES: Record<ExportFormat, string> = { shiviz: 'ShiViz', perfetto: 'Perfetto', jepsen: 'Jepsen', porcupine: 'Porcupine' };
/** Formats made of the clients' operations. */
const HISTORIES: readonly ExportFormat[] = ['jepsen', 'porcupine'];
/** The option that puts every branch in one ShiViz file. */
const ALL_BRANCHES = 'shiviz-branches';

export class ExportMenu {
  private readonly format = byId<HTMLSelectElement>('export-format');
  private readonly button = byId<HTMLButtonElement>('export');
  private running = false;
  /** Finished downloads; tests wait on it. */
  downloads = 0;

  constructor(private readonly session: Session, private readonly workers: WorkerClient, private readonly status: StatusBar) {
    session.subscribe((change) => {
      if (change === 'trace' || change === 'branches') this.options();
    });
    on(this.format, 'change', () => this.describe());
    on(this.button, 'click', () => void this.export());
    this.options();
  }

  private options(): void {
    const { current, branches } = this.session;
    const noClients = current !== undefined && !hasClients(current);
    const keep = this.format.value;
    const options = EXPORT_FORMATS.map((f) => {
      const off = noClients && HISTORIES.includes(f);
      const why = off ? ` (not for this run: ${noClientsReason(current as LoadedTrace)})` : '';
      return h('option', { value: f, disabled: off, title: `${FORMAT_DESCRIPTIONS[f]}${why}`, text: `${NAMES[f]}: ${FORMAT_DESCRIPTIONS[f]}${off ? ' - needs client operations' : ''}` });
    });
    if (branches.length > 1) {
      options.splice(1, 0, h('option', { value: ALL_BRANCHES, title: 'one ShiViz log with an execution per branch', text: `ShiViz: all ${branches.length} branches side by side` }));
    }
    this.format.replaceChildren(...options);
    const usable = options.find((o) => o.value === keep && !o.disabled);
    this.format.value = usable ? keep : 'shiviz';
    this.format.disabled = current === undefined;
    this.button.disabled = current === undefined || this.running;
    this.describe();
  }

  /** The select's tooltip: what the chosen format holds, and why some formats are off. */
  private describe(): void {
    const current = this.session.current;
    const chosen = this.format.selectedOptions[0]?.title ?? '';
    const off = current && !hasClients(current) ? `; Jepsen and Porcupine are off: ${noClientsReason(current)}` : '';
    this.format.title = `${chosen}${off}`;
  }

  private async export(): Promise<void> {
    const current = this.session.current;
    if (!current || this.running) return;
    const all = this.format.value === ALL_BRANCHES;
    const format = (all ? 'shiviz' : this.format.value) as ExportFormat;
    const slots = all ? this.session.branches.map((b) => b.slot) : [current.slot];
    this.running = true;
    this.button.disabled = true;
    this.status.clearError();
    try {
      const file = await this.workers.export(slots, format, (stage, done, total) => this.status.busy(stage, done, total));
      download(file);
      this.downloads++;
      this.status.note('Exported', `${file.fileName}: ${file.summary}`);
    } catch (error) {
      this.status.fail(`export as ${NAMES[format] ?? format} failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
      this.button.disabled = this.session.current === undefined;
      this.status.idle();
    }
  }
}

/** Saves the bytes as a file through a temporary object URL. */
function download(file: ExportedDownload): void {
  const url = URL.createObjectURL(new Blob([file.bytes], { type: file.mimeType }));
  const link = h('a', { href: url, download: file.fileName, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty to start it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function hasClients(trace: LoadedTrace): boolean {
  const { kind, count } = trace.columns;
  for (let i = 0; i < count; i++) if (kind[i] === KIND.invoke) return true;
  return false;
}

function noClientsReason(trace: LoadedTrace): string {
  return `this ${trace.header.protocol} run has no client operations, and these formats are the clients' history`;
}
