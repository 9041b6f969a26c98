import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  type ServerConfig,
  type SourceConfig,
  type StartOptions,
  startServer,
  type TidingsServer,
} from '@tidings/server';

/** The site the fixtures are a copy of. */
export const SITE_ORIGIN = 'https://jy.tj.gov.cn';
export const SECTION_URL = `${SITE_ORIGIN}/JYXW/TJJY/`;

/** The 天津教育 section as a source, refreshed by hand in tests (`server.refresh`). */
export function sectionSource(overrides: Partial<SourceConfig> = {}): SourceConfig {
  return {
    id: 'tjjy',
    url: SECTION_URL,
    enabled: true,
    pages: 1,
    refreshMs: 3_600_000,
    fullText: false,
    retention: {},
    allowPrivateNetwork: true,
    ...overrides,
  };
}

/** Fetches the site's own URLs from a local copy of it (a trusted mapping), everything else as is. */
export function siteFrom(origin: string): (url: URL) => URL {
  return (url) => (url.origin === SITE_ORIGIN ? new URL(url.pathname + url.search, origin) : url);
}

export interface TestServer extends TidingsServer {
  dataDir: string;
  /** Closes the server and removes its data. */
  dispose(): Promise<void>;
}

/** The real server, in-process, on a free loopback port with its own data directory, silent, unscheduled. */
export async function startTestServer(
  config: Partial<ServerConfig> & Pick<ServerConfig, 'sources'>,
  options: StartOptions = {},
): Promise<TestServer> {
  const dataDir = config.dataDir ?? mkdtempSync(join(tmpdir(), 'tidings-test-'));
  const server = await startServer(
    { port: 0, dataDir, ...config },
    { logger: createLogger('silent'), schedule: false, host: '127.0.0.1', ...options },
  );
  return Object.assign(server, {
    dataDir,
    dispose: async () => {
      await server.close();
      if (config.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const ROOT = new URL('../../', import.meta.url).pathname;

/** The flags production runs the server with (scripts/start.mjs says why). */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=2'];

/**
 * The built server (`apps/server/dist/main.js`, as `pnpm start` and production run it) as its own
 * process, with `env` on top of this process's environment (PORT, TIDINGS_CONFIG,
 * TIDINGS_DATA_DIR, LOG_LEVEL…). `pnpm test` builds before the tests run.
 */
export function spawnServerProcess(
  env: Record<string, string>,
  stdio: StdioOptions = ['ignore', 'pipe', 'pipe'],
): ChildProcess {
  return spawn(process.execPath, [...SERVER_NODE_FLAGS, 'apps/server/dist/main.js'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio,
  });
}
