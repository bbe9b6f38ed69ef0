// Exports loaded traces in the worker: reads each slot's bytes exactly as `faultlab export` reads a
// trace file (sim/traceReader.ts, so the events and their key order are the CLI's), converts them
// with the same exportTraces, and returns the file as UTF-8 bytes to transfer to the page. The
// trace is named by its slot's name (the file name, the URL, or the run's label), as the CLI
// names it by its path. A page never blocks on this, however large the trace.
// Leaves out: the download itself (the page) and a time window (the whole run is exported).
import type { ExportInput } from '../../sim/export/exportInput.ts';
import { exportTraces, type ExportFormat } from '../../sim/export/formats.ts';
import { readTrace } from '../../sim/traceReader.ts';
import type { ExportedDownload } from './messages.ts';
import type { Slot } from './traceSlots.ts';

type Progress = (stage: string) => (done: number, total: number) => void;

export function exportSlots(format: ExportFormat, slots: readonly Slot[], progress: Progress): ExportedDownload {
  const started = performance.now();
  const decoder = new TextDecoder();
  const inputs: ExportInput[] = slots.map((slot, i) => {
    progress('preparing the export')(i, slots.length);
    // The hash was checked when the slot was loaded; the CLI checks it too, with the same result.
    const trace = readTrace(decoder.decode(slot.trace.bytes), slot.source, { verifyHash: false });
    return { header: trace.header, events: trace.events, source: slot.source };
  });
  progress(`writing the ${format} file`)(0, 1);
  const file = exportTraces(format, inputs);
  const bytes = new TextEncoder().encode(file.text);
  const buffer = bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
  return { bytes: buffer as ArrayBuffer, fileName: file.fileName, mimeType: file.mimeType, summary: file.summary, workerMs: performance.now() - started };
}
