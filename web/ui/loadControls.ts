// Opening a trace from disk: the file picker and drag and drop anywhere on the page. The file's
// bytes go to the worker (transferred, not copied) to be validated and indexed.
// Leaves out: ?trace=URL (main.ts passes it to the worker, which fetches it).
import { byId, on } from '../util/dom.ts';

const MAX_BYTES = 1.5 * 1024 ** 3;

export function wireLoadControls(open: (name: string, bytes: ArrayBuffer) => void, report: (message: string) => void): void {
  const input = byId<HTMLInputElement>('file');
  const read = async (file: File): Promise<void> => {
    if (file.size > MAX_BYTES) return report(`${file.name}: ${(file.size / 1024 ** 3).toFixed(1)} GB is more than this viewer can hold (1.5 GB); record a shorter run`);
    try {
      open(file.name, await file.arrayBuffer());
    } catch (error) {
      report(`${file.name}: could not be read (${(error as Error).message})`);
    }
  };
  on(input, 'change', () => {
    const file = input.files?.[0];
    if (file) void read(file);
    input.value = '';
  });
  const overlay = byId('drop-overlay');
  let depth = 0;
  on(document, 'dragenter', (e) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    depth++;
    overlay.hidden = false;
  });
  on(document, 'dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) overlay.hidden = true;
  });
  on(document, 'dragover', (e) => e.preventDefault());
  on(document, 'drop', (e) => {
    e.preventDefault();
    depth = 0;
    overlay.hidden = true;
    const file = e.dataTransfer?.files[0];
    if (file) void read(file);
    else report('drop a trace file (.jsonl) written by faultlab run');
  });
}
