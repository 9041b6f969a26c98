// POST /api/preview of a 39 KB listing page (the jy.tj.gov.cn section's page 1 from
// test/fixtures, TRS markup no written profile reads at 127.0.0.1: the list is found by
// detection), its first article's page included, served on loopback from this process. The
// built server runs as its own process, as in production. Calls one after another; the first
// two warm it up and are not counted. Median and p90 of the wall time, and of what the server
// reports each step took.
//
// Alone: node --conditions=source --import tsx bench/preview.ts [calls]   (after pnpm build)
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBuiltServer } from '../test/support/built-server.js';
import { serveFixtureSite } from '../test/support/fixture-site.js';
import { FIXTURES } from '../test/support/fixtures.js';

const TOKEN = 'bench-admin-token-0123456789abcdef';
/** The admin API lets one client burst 30 calls: the bench stays under it. */
export const PREVIEW_CALLS = 25;
const WARMUP = 2;
const LISTING = '/JYXW/TJJY/index.html';

export interface PreviewRow {
  page: string;
  pageKiB: number;
  calls: number;
  items: number;
  medianMs: number;
  p90Ms: number;
  /** What the server says each step took (medians): fetch, parse (with every candidate), picker page, article. */
  fetchMs: number;
  parseMs: number;
  pageMs: number;
  articleMs: number;
}

interface PreviewTimings {
  fetchMs: number;
  parseMs: number;
  pageMs: number;
  articleMs: number;
}

const quantile = (values: readonly number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))] ?? Number.NaN;

export async function previewBench(
  progress: (line: string) => void,
  calls = PREVIEW_CALLS,
): Promise<PreviewRow[]> {
  const site = await serveFixtureSite('jy.tj.gov.cn');
  // One source the server refreshes nothing of (disabled): it is only there to have a config.
  const server = await startBuiltServer(
    `sources:\n  - id: idle\n    url: ${site.origin}/\n    enabled: false\nrateLimit: false\n`,
    { TIDINGS_ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'warn' },
  );
  try {
    await waitForServer(server.base);
    const times: number[] = [];
    const steps: PreviewTimings[] = [];
    let items = 0;
    for (let call = 1; call <= WARMUP + calls; call++) {
      if (call % 10 === 0) progress(`preview: call ${call}/${WARMUP + calls}`);
      const started = performance.now();
      const response = await fetch(`${server.base}/api/preview`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: `${site.origin}${LISTING}`, allowPrivateNetwork: true }),
      });
      const body = (await response.json()) as {
        articles?: unknown[];
        article?: unknown;
        timings?: PreviewTimings;
        message?: string;
      };
      const elapsed = performance.now() - started;
      if (response.status !== 200 || !body.article || !body.timings) {
        throw new Error(`preview answered ${response.status}: ${body.message ?? 'no article read'}`);
      }
      if (call <= WARMUP) continue;
      times.push(elapsed);
      steps.push(body.timings);
      items = body.articles?.length ?? 0;
    }
    const median = (pick: (timings: PreviewTimings) => number) => quantile(steps.map(pick), 0.5);
    return [
      {
        page: 'jy.tj.gov.cn listing (detection) + one article page',
        pageKiB: statSync(join(FIXTURES, 'jy.tj.gov.cn', LISTING)).size / 1024,
        calls,
        items,
        medianMs: quantile(times, 0.5),
        p90Ms: quantile(times, 0.9),
        fetchMs: median((timings) => timings.fetchMs),
        parseMs: median((timings) => timings.parseMs),
        pageMs: median((timings) => timings.pageMs),
        articleMs: median((timings) => timings.articleMs),
      },
    ];
  } finally {
    await server.stop();
    await site.close();
  }
}

export function previewTable(rows: readonly PreviewRow[]): string {
  return [
    '| page | KiB | calls | items | median ms | p90 ms | fetch ms | parse ms | picker page ms | article ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.page} | ${row.pageKiB.toFixed(0)} | ${row.calls} | ${row.items} | ${row.medianMs.toFixed(1)} | ${row.p90Ms.toFixed(1)} | ${row.fetchMs} | ${row.parseMs} | ${row.pageMs} | ${row.articleMs} |`,
    ),
  ].join('\n');
}

async function waitForServer(base: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the built server did not answer at ${base}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const calls = Number(process.argv[2] ?? PREVIEW_CALLS);
  const rows = await previewBench((line) => process.stderr.write(`${line}\n`), calls);
  process.stdout.write(`${previewTable(rows)}\n`);
}
