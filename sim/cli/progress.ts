// A progress line on stderr for long CLI jobs: "compare: 37/120 runs". On a terminal it is one line
// rewritten in place (\r); elsewhere (a pipe, a log file) a line at every tenth of the work, so logs
// stay short. The last line adds the wall time. Leaves out: rates and time-left estimates.

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): boolean;
}

export interface ProgressReporter {
  update(done: number, total: number): void;
  finish(total: number): void;
}

export function progressReporter(what: string, unit: string, stream: ProgressStream): ProgressReporter {
  const started = performance.now();
  let lastTenth = 0;
  const line = (done: number, total: number): string => `${what}: ${done}/${total} ${unit}`;
  return {
    update(done, total) {
      if (stream.isTTY) {
        stream.write(`\r${line(done, total)}`);
        return;
      }
      const tenth = Math.floor((done * 10) / total);
      if (tenth > lastTenth && done < total) {
        lastTenth = tenth;
        stream.write(`${line(done, total)}\n`);
      }
    },
    finish(total) {
      const wall = `${((performance.now() - started) / 1000).toFixed(1)}s`;
      stream.write(`${stream.isTTY ? '\r' : ''}${line(total, total)} in ${wall} wall time\n`);
    },
  };
}
