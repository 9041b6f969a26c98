// The processes the HTTP benchmarks load, each pinned to one core: the real server as production
// runs it (node apps/server/dist/main.js on the demo config, rate limit off since wrk is one
// client) and the bare node:http floor.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, SERVER_NODE_FLAGS } from '../../test/support/server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Target {
  base: string;
  pid: number;
  stop(): Promise<void>;
}

export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
}

function stopper(child: ChildProcess, cleanup = () => {}): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(cleanup());
      child.once('exit', () => resolve(cleanup()));
      child.kill('SIGTERM');
    });
}

/** The demo config as `pnpm start` serves it, its snapshot by absolute path, with the rate limit off. */
function demoConfig(dir: string, extra: string): string {
  const file = join(dir, 'tidings.yaml');
  const config = readFileSync(join(ROOT, 'apps/server/config/default.yaml'), 'utf8').replace(
    'snapshot: ../demo/',
    `snapshot: ${join(ROOT, 'apps/server/demo')}/`,
  );
  writeFileSync(file, `${config}\nrateLimit: false\n${extra}`);
  return file;
}

/** The built server on the demo, on `cpu`, once its 37 articles are served. */
export async function startServerTarget(
  cpu: number,
  extraConfig = '',
  env: Record<string, string> = {},
  nodeFlags: readonly string[] = SERVER_NODE_FLAGS,
): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-bench-'));
  const port = await freePort();
  const child = spawn(
    'taskset',
    ['-c', String(cpu), process.execPath, ...nodeFlags, 'apps/server/dist/main.js'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        TIDINGS_CONFIG: demoConfig(dir, extraConfig),
        TIDINGS_DATA_DIR: dir,
        LOG_LEVEL: 'warn',
        // The interface the bare server binds too: an IPv6 socket taking IPv4-mapped connections (the
        // default, all interfaces) costs the kernel about a fifth more per answer than 127.0.0.1.
        HOST: '127.0.0.1',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const body = await (await fetch(`${base}/feeds/demo.rss`)).text();
      if (body.match(/<item>/g)?.length === 37) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error('the server did not serve the demo within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    base,
    pid: child.pid as number,
    stop: stopper(child, () => rmSync(dir, { recursive: true, force: true })),
  };
}

/** The bare node:http floor replaying `feedUrl`'s answers, on `cpu`. */
export async function startBareTarget(cpu: number, feedUrl: string): Promise<Target> {
  const script = fileURLToPath(new URL('./bare-server.mjs', import.meta.url));
  const child = spawn('taskset', ['-c', String(cpu), process.execPath, script, feedUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      if (buffer.includes('\n')) resolve(buffer.slice(0, buffer.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`the bare server exited with ${code}`)));
  });
  const { port } = JSON.parse(line) as { port: number };
  return { base: `http://127.0.0.1:${port}`, pid: child.pid as number, stop: stopper(child) };
}
