import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnServerProcess, waitFor } from './server.js';

export interface FeedHealth {
  id: string;
  articles: number;
  lastSuccessAt: string | null;
  lastError: string | null;
}

export interface BuiltServer {
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** Everything it wrote to stdout and stderr so far. */
  logs(): string;
  /** `/healthz`'s entry for one feed. */
  health(id: string): Promise<FeedHealth | undefined>;
  /** Waits until the feed's first refresh has ended, well or not. */
  refreshed(id: string, timeoutMs?: number): Promise<FeedHealth>;
  /** Its config file, to change while it runs. */
  file: string;
  /** Sends the process a signal (SIGHUP reloads the config). */
  signal(name: NodeJS.Signals): void;
  /** SIGTERM, then removes its data and config; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * The built server (`apps/server/dist/main.js`) as its own process, on `config` (YAML), with
 * `env` on top of this process's environment. Build first:
 * `pnpm --filter "@tidings/server..." run build`.
 */
export async function startBuiltServer(
  config: string,
  env: Record<string, string> = {},
): Promise<BuiltServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-built-'));
  const file = join(dir, 'tidings.yaml');
  writeFileSync(file, config);
  const port = await freePort();
  const child = spawnServerProcess({
    PORT: String(port),
    HOST: '127.0.0.1',
    TIDINGS_DATA_DIR: join(dir, 'data'),
    TIDINGS_CONFIG: file,
    LOG_LEVEL: 'debug',
    ...env,
  });
  let logs = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    logs += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    logs += chunk.toString();
  });
  const base = `http://127.0.0.1:${port}`;
  const health = async (id: string) => {
    const body = (await (await fetch(`${base}/healthz`)).json()) as { feeds: FeedHealth[] };
    return body.feeds.find((feed) => feed.id === id);
  };
  return {
    base,
    file,
    signal: (name) => child.kill(name),
    logs: () => logs,
    health,
    refreshed: (id, timeoutMs = 60_000) =>
      waitFor(async () => {
        const feed = await health(id);
        return feed && (feed.lastSuccessAt || feed.lastError) ? feed : undefined;
      }, timeoutMs),
    stop: async () => {
      const code = await new Promise<number | null>((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (exitCode) => resolve(exitCode));
        child.kill('SIGTERM');
      });
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
