// Every public route under load: the real server (built, on CPU 0) loaded by wrk (CPU 1), one
// route after another, each as a ratio of the cached feed's requests/s in the same run, with the
// server's RSS before, at peak (sampled while loaded) and after 30 s idle. `q` gets a fresh
// random word per request, so no cache keyed on the URL can answer it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rssMiB, startServerTarget } from './targets.js';
import { wrk } from './wrk.js';

export interface RouteRow {
  route: string;
  requestsPerSecond: number;
  /** Over the cached feed's requests/s, same run. */
  ratio: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  /** The whole run's: idle after start, before any load, and idle after all of it. */
  rssStartMiB: number;
  rssIdleMiB: number;
}

export const ROUTES = [
  '/feeds/demo.rss',
  '/feeds/demo.json?limit=20',
  '/feeds/demo.rss?limit=10',
  '/feeds/demo.json?limit=15&q=<fresh random word>',
  '/widget/demo',
  '/widget/demo?limit=5&layout=cards&theme=dark',
  '/feeds/demo',
  '/',
  '/opml',
  '/healthz',
  '/feed.xsl',
  '/widget.js',
  '/metrics',
];

const RANDOM_Q = `
-- 天津, 教育, 学校, percent-encoded as a client sends them; then plain ones
local words = {"%E5%A4%A9%E6%B4%A5", "%E6%95%99%E8%82%B2", "%E5%AD%A6%E6%A0%A1", "2024", "nothing-here"}
request = function()
  local q = words[math.random(#words)] .. math.random(1, 100000000)
  return wrk.format("GET", wrk.path .. "&q=" .. q)
end
`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function routesBench(
  progress: (line: string) => void,
  options = { seconds: 5, connections: 20, idleSeconds: 30 },
): Promise<RouteRow[]> {
  const server = await startServerTarget(0);
  const script = join(mkdtempSync(join(tmpdir(), 'tidings-wrk-')), 'random-q.lua');
  writeFileSync(script, RANDOM_Q);
  const rows: RouteRow[] = [];
  try {
    // Idle as a started server settles: the demo refreshed, its garbage collected.
    await sleep(options.idleSeconds * 1000);
    const idleAtStartMiB = rssMiB(server.pid);
    progress(`routes: ${idleAtStartMiB.toFixed(0)} MiB idle after start`);
    let cached = Number.NaN;
    for (const route of ROUTES) {
      progress(`routes: ${route}`);
      const random = route.includes('<fresh random word>');
      const path = random ? route.replace('&q=<fresh random word>', '') : route;
      const rssBeforeMiB = rssMiB(server.pid);
      let rssPeakMiB = rssBeforeMiB;
      const sampler = setInterval(() => {
        rssPeakMiB = Math.max(rssPeakMiB, rssMiB(server.pid));
      }, 100);
      const run = await wrk(server.base + path, {
        seconds: options.seconds,
        connections: options.connections,
        cpu: 1,
        ...(random && { script }),
      });
      clearInterval(sampler);
      rssPeakMiB = Math.max(rssPeakMiB, rssMiB(server.pid));
      if (route === ROUTES[0]) cached = run.requestsPerSecond;
      rows.push({
        route,
        requestsPerSecond: run.requestsPerSecond,
        ratio: run.requestsPerSecond / cached,
        p50Ms: run.p50Ms,
        p99Ms: run.p99Ms,
        errors: run.errors,
        rssBeforeMiB,
        rssPeakMiB,
        rssStartMiB: Number.NaN,
        rssIdleMiB: Number.NaN,
      });
    }
    progress(`routes: ${options.idleSeconds} s idle`);
    await sleep(options.idleSeconds * 1000);
    const idle = rssMiB(server.pid);
    for (const row of rows) {
      row.rssIdleMiB = idle;
      row.rssStartMiB = idleAtStartMiB;
    }
  } finally {
    await server.stop();
  }
  return rows;
}

export function routesTable(rows: readonly RouteRow[]): string {
  return [
    '| route | requests/s | × cached feed | p50 ms | p99 ms | errors | RSS before MiB | RSS peak MiB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| \`${row.route}\` | ${Math.round(row.requestsPerSecond).toLocaleString('en')} | ${row.ratio.toFixed(2)} | ${row.p50Ms.toFixed(2)} | ${row.p99Ms.toFixed(2)} | ${row.errors} | ${row.rssBeforeMiB.toFixed(0)} | ${row.rssPeakMiB.toFixed(0)} |`,
    ),
  ].join('\n');
}
