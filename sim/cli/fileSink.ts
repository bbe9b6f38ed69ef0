// A trace sink that writes to a temporary file beside the target with buffered writes, and renames
// it into place only when the run finished; an aborted run leaves no partial trace behind.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TraceSink } from '../tracer.ts';

const FLUSH_AT = 1 << 20;

export class FileSink implements TraceSink {
  private readonly fd: number;
  private readonly tmp: string;
  private buffer: string[] = [];
  private buffered = 0;
  bytes = 0;
  lines = 0;

  constructor(private readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.tmp = `${path}.tmp-${process.pid}`;
    this.fd = openSync(this.tmp, 'w');
  }

  write(line: string): void {
    this.buffer.push(line, '\n');
    this.buffered += line.length + 1;
    this.lines++;
    if (this.buffered >= FLUSH_AT) this.flush();
  }

  /** Makes the file whole: flushes, closes and renames the temporary file into place. */
  commit(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
  }

  /** Throws the partial file away. */
  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
    rmSync(this.tmp, { force: true });
  }

  private flush(): void {
    if (this.buffered === 0) return;
    const text = this.buffer.join('');
    this.bytes += Buffer.byteLength(text);
    writeSync(this.fd, text);
    this.buffer = [];
    this.buffered = 0;
  }
}
