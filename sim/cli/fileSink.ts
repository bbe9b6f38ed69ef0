// A trace sink that writes the Tracer's byte chunks to a temporary file beside the target, and
// renames it into place only when the run finished; an aborted run leaves no partial trace behind.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ByteSink } from '../tracer.ts';

export class FileSink implements ByteSink {
  private readonly fd: number;
  private readonly tmp: string;
  bytes = 0;

  constructor(private readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.tmp = `${path}.tmp-${process.pid}`;
    this.fd = openSync(this.tmp, 'w');
  }

  writeBytes(chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length) offset += writeSync(this.fd, chunk, offset, chunk.length - offset);
    this.bytes += chunk.length;
  }

  /** Makes the file whole: closes and renames the temporary file into place. */
  commit(): void {
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
}
