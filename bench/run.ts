/**
 * `pnpm bench`: parse throughput and peak memory of parseListing against bare htmlparser2
 * passes over the same bytes, measured in the same run. Each contender runs in fresh processes,
 * contenders taking turns round by round so machine noise lands on all alike. Medians.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { RSS_GROWTH_BOUND_MIB, runLoad } from '../test/load/load.js';
import { browserRenderBench, browserRenderTable } from './browser-render.js';
import { cases, contenders, FLOOR } from './contenders.js';
import { cachedFeedsBench, cachedFeedsTable } from './http/cached-feeds.js';
import { routesBench, routesTable } from './http/routes.js';
import { hasWrk } from './http/wrk.js';
import { previewBench, previewTable } from './preview.js';
import { redisMemory } from './redis-memory.js';
import { refreshWriteBench, refreshWriteTable } from './refresh-write.js';
import { renderBench, renderTable } from './render.js';
import type { WorkerResult } from './worker.js';

const DOM = 'htmlparser2 DOM';
const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

interface Row {
  case: string;
  contender: string;
  medianMs: number;
  mibPerS: number;
  itemsPerS: number;
  ratioToTokenizer: number;
  ratioToDom: number;
  peakRssMiB: number;
  rssGrowthMiB: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

function runWorker(caseIndex: number, contender: string, inputFile: string): WorkerResult {
  const output = execFileSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', WORKER, String(caseIndex), contender, inputFile],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(output) as WorkerResult;
}

const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(resultsDir, { recursive: true });

const rows: Row[] = [];
for (const [caseIndex, benchCase] of cases.entries()) {
  const input = benchCase.bytes();
  const size = input.length;
  const inputFile = `${resultsDir}input-${caseIndex}.html`;
  writeFileSync(inputFile, input);
  const names = Object.keys(contenders);
  const results = new Map<string, WorkerResult[]>(names.map((name) => [name, []]));
  for (let round = 1; round <= benchCase.rounds; round++) {
    process.stderr.write(
      `${benchCase.name} (${(size / 1024).toFixed(0)} KiB): round ${round}/${benchCase.rounds}\n`,
    );
    for (const name of names) results.get(name)?.push(runWorker(caseIndex, name, inputFile));
  }
  const medianMs = (name: string) => median((results.get(name) ?? []).flatMap((result) => result.timesMs));
  const floor = medianMs(FLOOR);
  const dom = medianMs(DOM);
  for (const name of names) {
    const ms = medianMs(name);
    const runs = results.get(name) ?? [];
    rows.push({
      case: benchCase.name,
      contender: name,
      medianMs: ms,
      mibPerS: size / 1024 / 1024 / (ms / 1000),
      itemsPerS: benchCase.items / (ms / 1000),
      ratioToTokenizer: ms / floor,
      ratioToDom: ms / dom,
      peakRssMiB: median(runs.map((run) => run.peakKiB)) / 1024,
      rssGrowthMiB: median(runs.map((run) => run.peakKiB - run.baselineKiB)) / 1024,
    });
  }
}

const machine = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
  loadAverageAtEnd: os.loadavg().map((load) => Number(load.toFixed(2))),
};

const table = [
  '| case | contender | median ms | MiB/s | items/s | × tokenizer | × DOM | peak RSS MiB | RSS growth MiB |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((row) =>
    [
      '',
      row.case,
      row.contender,
      row.medianMs.toFixed(2),
      row.mibPerS.toFixed(1),
      Math.round(row.itemsPerS).toLocaleString('en'),
      row.ratioToTokenizer.toFixed(2),
      row.ratioToDom.toFixed(2),
      row.peakRssMiB.toFixed(0),
      row.rssGrowthMiB.toFixed(0),
      '',
    ]
      .join(' | ')
      .trim(),
  ),
].join('\n');

const renderRows = renderBench((line) => process.stderr.write(`${line}\n`));
const browserRows = await browserRenderBench((line) => process.stderr.write(`${line}\n`));
const previewRows = await previewBench((line) => process.stderr.write(`${line}\n`));
if (!hasWrk())
  throw new Error(
    'pnpm bench loads the server with wrk: apt-get install -y wrk (scripts/system-deps.sh does)',
  );
const serveRows = await cachedFeedsBench((line) => process.stderr.write(`${line}\n`));
const routeRows = await routesBench((line) => process.stderr.write(`${line}\n`));
const memory = await redisMemory();
const refreshWriteRows = await refreshWriteBench((line) => process.stderr.write(`${line}\n`));
const memoryLine = `Redis holds ${memory.bytes.toLocaleString('en')} bytes for the demo's ${memory.articles} articles: ${memory.bytesPerArticle.toLocaleString('en')} bytes per article.`;
process.stderr.write('load: 60 s, 100 connections, mixed feed requests…\n');
const load = await runLoad({ durationSeconds: 60, connections: 100 });
const loadTable = [
  '| duration | connections | requests | requests/s | p50 ms | p99 ms | errors | RSS before MiB | RSS after MiB | bound on growth MiB |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  `| ${load.durationSeconds} s | ${load.connections} | ${load.requests.toLocaleString('en')} | ${Math.round(load.requestsPerSecond).toLocaleString('en')} | ${load.p50Ms} | ${load.p99Ms} | ${load.errors} | ${load.rssBeforeMiB.toFixed(0)} | ${load.rssAfterMiB.toFixed(0)} | ${RSS_GROWTH_BOUND_MIB} |`,
].join('\n');

writeFileSync(
  `${resultsDir}latest.json`,
  `${JSON.stringify({ machine, parse: rows, render: renderRows, browserRender: browserRows, preview: previewRows, serve: serveRows, routes: routeRows, redisMemory: memory, refreshWrite: refreshWriteRows, load }, null, 2)}\n`,
);
process.stdout.write(
  `${JSON.stringify(machine)}\n\n## Parse\n\n${table}\n\n## Render\n\n${renderTable(renderRows)}\n\n## Rendered in a browser (render: browser)\n\n${browserRenderTable(browserRows)}\n\n## Preview (POST /api/preview, built server)\n\n${previewTable(previewRows)}\n\n## Serve (cached feeds, wrk)\n\n${cachedFeedsTable(serveRows)}\n\n## Routes under load (wrk)\n\n${routesTable(routeRows)}\n\nRSS idle after start ${routeRows[0]?.rssStartMiB.toFixed(0)} MiB; ${routeRows[0]?.rssIdleMiB.toFixed(0)} MiB after 30 s idle following the load.\n\n${memoryLine}\n\n## Refresh writes (upsertArticles per source, demo)\n\n${refreshWriteTable(refreshWriteRows)}\n\n## Load\n\n${loadTable}\n`,
);
