// Rendered refresh next to the plain path: time and peak memory (the process and its Chromium,
// their PSS summed, since summed RSS counts Chromium's shared pages once per process) of
// reading one listing page through `render: browser` (test/fixtures/script-built, its list built
// from a JSON call), and of the plain fetch-and-parse of a served page (the jy.tj.gov.cn section).
// Both sites on loopback; each path in fresh processes, taking turns round by round. Medians.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { serveFixtureSite } from '../test/support/fixture-site.js';
import type { BrowserRenderWorkerResult } from './browser-render-worker.js';

const WORKER = fileURLToPath(new URL('./browser-render-worker.ts', import.meta.url));
const ROUNDS = 3;
const RUNS: Record<Path, number> = { plain: 40, browser: 10 };

type Path = 'plain' | 'browser';

export interface BrowserRenderRow {
  path: Path;
  page: string;
  items: number;
  medianMs: number;
  /** Process and its Chromium, at their largest. */
  peakRssMiB: number;
  /** Over the process at rest before the first read. */
  rssGrowthMiB: number;
  /** Chromium's start, once per process. */
  launchMs?: number;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const run = promisify(execFile);

/** Asynchronously: the sites are served from this process. */
async function measure(path: Path, url: string): Promise<BrowserRenderWorkerResult> {
  const { stdout } = await run(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', WORKER, path, url, String(RUNS[path])],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as BrowserRenderWorkerResult;
}

export async function browserRenderBench(progress: (line: string) => void): Promise<BrowserRenderRow[]> {
  const section = await serveFixtureSite('jy.tj.gov.cn');
  const notices = await serveFixtureSite('script-built');
  const pages: Record<Path, { url: string; page: string }> = {
    plain: { url: `${section.origin}/JYXW/TJJY/index.html`, page: 'jy.tj.gov.cn listing, served HTML' },
    browser: { url: `${notices.origin}/`, page: 'script-built, list from a JSON call' },
  };
  const results: Record<Path, BrowserRenderWorkerResult[]> = { plain: [], browser: [] };
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const path of ['plain', 'browser'] as const) {
        progress(`browser render: ${path}, round ${round}/${ROUNDS}`);
        results[path].push(await measure(path, pages[path].url));
      }
    }
  } finally {
    await Promise.all([section.close(), notices.close()]);
  }
  return (['plain', 'browser'] as const).map((path) => {
    const runs = results[path];
    const launches = runs.flatMap((run) => (run.launchMs === undefined ? [] : [run.launchMs]));
    return {
      path,
      page: pages[path].page,
      items: runs[0]?.items ?? 0,
      medianMs: median(runs.flatMap((run) => run.timesMs)),
      peakRssMiB: median(runs.map((run) => run.peakTreeKiB)) / 1024,
      rssGrowthMiB: median(runs.map((run) => run.peakTreeKiB - run.baselineKiB)) / 1024,
      ...(launches.length > 0 && { launchMs: median(launches) }),
    };
  });
}

export function browserRenderTable(rows: readonly BrowserRenderRow[]): string {
  return [
    '| path | page | items | median ms per page | peak RSS MiB (PSS, with Chromium) | growth MiB | Chromium start ms |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.path} | ${row.page} | ${row.items} | ${row.medianMs.toFixed(1)} | ${row.peakRssMiB.toFixed(0)} | ${row.rssGrowthMiB.toFixed(0)} | ${row.launchMs === undefined ? '' : row.launchMs.toFixed(0)} |`,
    ),
  ].join('\n');
}
