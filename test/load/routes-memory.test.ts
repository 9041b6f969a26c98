// The real server under many requests to every public route, with the query strings a client can
// invent (widget options, limits, a fresh search word each time): its memory stays bounded. Before
// views were rendered once, /widget/<id> alone grew RSS by about 17 KB per listed item per request
// (an Intl.DateTimeFormat each) and never gave it back: this test would have failed by gigabytes.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOAD_CONFIG, rssMiB } from '../support/demo.js';
import { freePort, spawnServerProcess, waitFor } from '../support/server.js';

/** RSS may grow this much: the bounded view caches (48 MiB at most, far less for the demo) and V8's young generation. */
const ROUTES_RSS_BOUND_MIB = 96;

function metric(text: string, name: string): number {
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
}

const THEMES = ['auto', 'light', 'dark'];
const WORDS = ['天津', '教育', '学校', '2024', 'nothing-here'];

/** A small seeded generator (mulberry32), so every run invents the same paths. */
function generator(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}
const random = generator(13);

/** A path as a client might invent it: most of them distinct. */
function inventedPath(): string {
  switch (random(6)) {
    case 0:
      return `/widget/demo?limit=${1 + random(100)}&theme=${THEMES[random(3)]}&layout=${random(2) ? 'cards' : 'list'}&summary=${random(2)}&image=${random(2)}`;
    case 1:
      return `/feeds/demo.json?limit=15&q=${encodeURIComponent(`${WORDS[random(WORDS.length)]}${random(1e9)}`)}`;
    case 2:
      return `/feeds/demo.${['rss', 'atom', 'json'][random(3)]}?limit=${1 + random(500)}`;
    case 3:
      return ['/', '/opml', '/healthz', '/feeds/demo'][random(4)] as string;
    case 4:
      return `/widget/demo?limit=${1 + random(37)}`;
    default:
      return '/feeds/demo.rss';
  }
}

describe('memory of every public route under invented query strings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-routes-'));
  let child: ChildProcess;
  let base: string;

  beforeAll(async () => {
    const config = join(dir, 'tidings.yaml');
    writeFileSync(config, DEMO_LOAD_CONFIG);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawnServerProcess(
      { PORT: String(port), TIDINGS_CONFIG: config, TIDINGS_DATA_DIR: dir, LOG_LEVEL: 'warn' },
      'ignore',
    );
    await waitFor(async () => {
      const body = await (await fetch(`${base}/feeds/demo.rss`).catch(() => undefined))?.text();
      return body?.match(/<item>/g)?.length === 37 ? true : undefined;
    }, 60_000);
  });

  afterAll(async () => {
    child?.kill('SIGTERM');
    if (child && child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('12,000 requests, most with a query string never seen before: RSS and held views stay bounded', async () => {
    // Warm every route once so that code and caches of the steady state are in place.
    for (let i = 0; i < 300; i++) await (await fetch(base + inventedPath())).arrayBuffer();
    const before = rssMiB(child.pid as number);
    const result = await autocannon({
      url: base,
      connections: 20,
      amount: 12_000,
      requests: [{ setupRequest: (request) => ({ ...request, path: inventedPath() }) }],
    });
    const after = rssMiB(child.pid as number);
    expect(result.errors + result.timeouts).toBe(0);
    expect(result['2xx']).toBe(12_000);
    expect(after - before).toBeLessThan(ROUTES_RSS_BOUND_MIB);

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metric(metrics, 'tidings_views_held')).toBeLessThanOrEqual(1500);
    expect(metric(metrics, 'tidings_view_bytes_held')).toBeLessThanOrEqual(48 * 1024 * 1024);
  }, 120_000);
});
