// The progress line of `faultlab explore` on stderr: runs done (of the total, or of the time
// budget), runs per second, failures so far, and how many sometimes-checks have been reached. Like
// progress.ts (whose stream type it uses): one line rewritten in place on a terminal, otherwise a
// line at every tenth of the work, so logs stay short. Shrinking reports its candidate runs the
// same way. Leaves out: time-left estimates.
import type { ProgressStream } from './progress.ts';

export interface SweepProgress {
  done: number;
  failures: number;
  reached: number;
}

export interface ExploreProgress {
  sweep(p: SweepProgress): void;
  shrink(candidates: number, budget: number): void;
  /** Ends the line in place (a terminal) before other output. */
  close(): void;
}

export function exploreProgress(what: string, stream: ProgressStream, sometimes: number, bound: { runs: number } | { ms: number }): ExploreProgress {
  const started = performance.now();
  let lastTenth = 0;
  let open = false;
  const write = (line: string, fraction: number): void => {
    if (stream.isTTY) {
      stream.write(`\r${line}\x1b[K`);
      open = true;
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth > lastTenth && fraction < 1) {
      lastTenth = tenth;
      stream.write(`${line}\n`);
    }
  };
  return {
    sweep({ done, failures, reached }) {
      const seconds = (performance.now() - started) / 1000;
      const of = 'runs' in bound ? `${done}/${bound.runs} runs` : `${done} runs, ${seconds.toFixed(0)}s/${(bound.ms / 1000).toFixed(0)}s`;
      const rate = seconds > 0 ? (done / seconds).toFixed(1) : '0';
      const fraction = 'runs' in bound ? done / bound.runs : (seconds * 1000) / bound.ms;
      write(`${what}: ${of} (${rate} runs/s), ${failures} failure${failures === 1 ? '' : 's'}, sometimes-checks reached ${reached}/${sometimes}`, fraction);
    },
    shrink(candidates, budget) {
      if (stream.isTTY) write(`${what}: shrinking, ${candidates} candidate runs`, 0);
      else if (candidates > 0 && candidates % Math.max(1, Math.floor(budget / 10)) === 0) stream.write(`${what}: shrinking, ${candidates} candidate runs\n`);
    },
    close() {
      if (open) stream.write('\n');
      open = false;
    },
  };
}
