// `faultlab view [trace]`: builds the browser viewer (web/, with Vite) when its sources are newer
// than the last build, serves it on localhost with the given trace at /trace/<name>, prints the
// URL, and optionally opens a browser. Without a trace the page opens on the default lesson.
// Only the built viewer and that one trace file are served; the server listens on 127.0.0.1
// unless --host says otherwise. Bad input (a missing trace, a busy port) is an InputError.
// Leaves out: watching for rebuilds (npm run dev does that) and HTTPS.
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../schemaHelpers.ts';

export interface ViewFlags {
  port?: number;
  host?: string;
  build: boolean;
  open?: boolean;
}

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const DIST = join(ROOT, 'dist', 'web');
const SOURCES = ['web', 'sim', 'protocols', 'vite.config.ts'];
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.map': 'application/json' };

export function viewCommand(tracePath: string | undefined, flags: ViewFlags): number {
  const trace = tracePath === undefined ? undefined : checkTrace(tracePath);
  void start(trace, flags).catch((error: unknown) => {
    process.stderr.write(`faultlab: ${error instanceof InputError ? error.message : `view: ${(error as Error).stack ?? String(error)}`}\n`);
    process.exit(2);
  });
  return 0;
}

function checkTrace(path: string): string {
  const full = resolve(path);
  if (!existsSync(full)) throw new InputError(`view: cannot read ${path}: no such file`);
  if (!statSync(full).isFile()) throw new InputError(`view: ${path} is not a file; expected a trace written by faultlab run`);
  return full;
}

async function start(trace: string | undefined, flags: ViewFlags): Promise<void> {
  const { url } = await startViewerServer(trace, flags);
  process.stdout.write(`faultlab viewer: ${url}\n${trace ? `showing ${trace}` : 'opening the default lesson'}; press Ctrl+C to stop\n`);
  if (flags.open) openBrowser(url);
}

/** Builds the viewer if needed and serves it (and the trace); the benchmark uses this too. */
export async function startViewerServer(trace: string | undefined, flags: ViewFlags): Promise<{ url: string; close: () => Promise<void> }> {
  if (flags.build && !upToDate()) await build();
  if (!existsSync(join(DIST, 'index.html'))) throw new InputError(`view: the viewer is not built (${DIST} is missing) and --no-build was given; run without --no-build`);
  const host = flags.host ?? '127.0.0.1';
  const server = createServer((req, res) => serve(req, res, trace));
  await new Promise<void>((ok, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) => fail(error.code === 'EADDRINUSE' ? new InputError(`view: port ${flags.port} is in use; pick another with --port, or --port 0 for any free one`) : error));
    server.listen(flags.port ?? 5174, host, ok);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : flags.port;
  const query = trace ? `?trace=/trace/${encodeURIComponent(basename(trace))}` : '';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/${query}`;
  return { url, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

/** The build is current when dist/web/index.html is newer than every source file. */
function upToDate(): boolean {
  const built = join(DIST, 'index.html');
  if (!existsSync(built)) return false;
  const builtAt = statSync(built).mtimeMs;
  const newer = (path: string): boolean => {
    const s = statSync(path);
    if (s.isFile()) return s.mtimeMs > builtAt;
    return readdirSync(path).some((name) => name !== 'node_modules' && newer(join(path, name)));
  };
  return !SOURCES.some((p) => existsSync(join(ROOT, p)) && newer(join(ROOT, p)));
}

async function build(): Promise<void> {
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    throw new InputError('view: building the viewer needs Vite, a development dependency: run npm ci (or npm install) in the faultlab folder first');
  }
  process.stdout.write('building the viewer (vite build)...\n');
  await vite.build({ configFile: join(ROOT, 'vite.config.ts'), root: join(ROOT, 'web'), logLevel: 'warn' });
}

function serve(req: IncomingMessage, res: ServerResponse, trace: string | undefined): void {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'only GET');
  if (path.startsWith('/trace/')) {
    if (!trace || path !== `/trace/${basename(trace)}`) return send(res, 404, 'no such trace');
    return file(res, trace, 'application/x-ndjson; charset=utf-8');
  }
  const target = normalize(join(DIST, path === '/' ? 'index.html' : path));
  if (!target.startsWith(DIST + sep) || !existsSync(target) || !statSync(target).isFile()) return send(res, 404, 'not found');
  file(res, target, TYPES[extname(target)] ?? 'application/octet-stream');
}

function file(res: ServerResponse, path: string, type: string): void {
  res.writeHead(200, { 'content-type': type, 'content-length': statSync(path).size, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
  createReadStream(path).pipe(res);
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => process.stdout.write(`(could not start a browser with ${command}; open the URL above yourself)\n`));
    child.unref();
  } catch {
    process.stdout.write('(could not start a browser; open the URL above yourself)\n');
  }
}
