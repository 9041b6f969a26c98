// A bounded load test: the real server in its own process (the offline demo, warmed), driven by
// autocannon from loopback with a mix of feeds, formats, encodings and conditional requests.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { DEMO_LOAD_CONFIG, rssMiB } from '../support/demo.js';
import { freePort, spawnServerProcess } from '../support/server.js';

export interface LoadResult {
  durationSeconds: number;
  connections: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Network errors, timeouts and any status other than 200/304. */
  errors: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
}

async function waitUntilReady(base: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const health = (await (await fetch(`${base}/healthz`)).json()) as {
        feeds: { id: string; articles: number }[];
      };
      if (health.feeds.find((feed) => feed.id === 'demo')?.articles === 37) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the server did not get ready within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function runLoad(options: {
  durationSeconds: number;
  connections: number;
}): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-load-'));
  const configFile = join(dir, 'tidings.yaml');
  writeFileSync(configFile, DEMO_LOAD_CONFIG);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawnServerProcess(
    { PORT: String(port), TIDINGS_CONFIG: configFile, TIDINGS_DATA_DIR: dir, LOG_LEVEL: 'warn' },
    'ignore',
  );
  try {
    await waitUntilReady(base);
    const etags: Record<string, string> = {};
    for (const format of ['rss', 'atom', 'json']) {
      etags[format] = (await fetch(`${base}/feeds/demo.${format}`)).headers.get('etag') ?? '';
    }
    // Warm: every route once, a few times.
    for (let i = 0; i < 20; i++) await fetch(`${base}/feeds/demo.json?limit=5`);
    const rssBeforeMiB = rssMiB(child.pid as number);
    const requests = ['rss', 'atom', 'json'].flatMap((format) => [
      { path: `/feeds/demo.${format}`, headers: { 'accept-encoding': 'gzip, br' } },
      { path: `/feeds/demo.${format}`, headers: { 'accept-encoding': 'identity' } },
      { path: `/feeds/demo.${format}`, headers: { 'if-none-match': etags[format] as string } },
    ]);
    requests.push({ path: '/feeds/demo.json?limit=5', headers: { 'accept-encoding': 'identity' } });
    const result = await autocannon({
      url: base,
      connections: options.connections,
      duration: options.durationSeconds,
      requests,
    });
    const rssAfterMiB = rssMiB(child.pid as number);
    return {
      durationSeconds: options.durationSeconds,
      connections: options.connections,
      requests: result.requests.total,
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors + result.timeouts + (result.requests.total - result['2xx'] - result['3xx']),
      rssBeforeMiB,
      rssAfterMiB,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * RSS may grow by this much under load: V8 expands its young generation and keeps pages for the
 * next burst, and each of 100 sockets holds its buffers. Rendered feeds are prepared before the
 * load and shared, so growth beyond this would mean a per-request leak.
 */
export const RSS_GROWTH_BOUND_MIB = 96;
