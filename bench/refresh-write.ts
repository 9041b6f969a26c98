// Refresh-write time per source, per store: how long `upsertArticles` takes for the demo's 37
// articles (with full text) written under a refresh lease, first as a new source (37 inserts),
// then as the next refresh finds them with one article changed (1 update, 36 only seen again).
// The same Article objects for every store; each store a real server on this machine: SQLite in a
// file (WAL, synchronous=NORMAL, as the server opens it), Redis without persistence, PostgreSQL
// committing durably (fsync on). Medians and p90 over the iterations, each on a new source.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Article } from '@tidings/parser';
import { createLogger, loadConfig, startServer } from '@tidings/server';
import type { Backend } from '../apps/server/src/store/backend.js';
import { openPostgresBackend } from '../apps/server/src/store/postgres/index.js';
import { openRedisBackend } from '../apps/server/src/store/redis/index.js';
import { openSqliteBackend } from '../apps/server/src/store/sqlite-backend.js';
import { startPostgres } from '../test/support/postgres.js';
import { startRedis } from '../test/support/redis.js';

type Store = 'sqlite' | 'redis' | 'postgres';
type Write = 'first refresh (37 new)' | 'next refresh (1 of 37 changed)';

export interface RefreshWriteRow {
  store: Store;
  write: Write;
  medianMs: number;
  p90Ms: number;
  iterations: number;
}

export interface RefreshWriteOptions {
  /** Measured sources per store (each written twice); a few more run first, unmeasured. */
  iterations: number;
  warmup: number;
}

const quantile = (values: readonly number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))] ?? Number.NaN;

/** The demo's articles as a refresh stores them: the bundled config's demo source, refreshed once into SQLite. */
async function demoArticles(): Promise<Article[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-refresh-write-'));
  try {
    const config = loadConfig({ env: { TIDINGS_DATA_DIR: dir } });
    const server = await startServer(
      { ...config, port: 0 },
      { logger: createLogger('silent'), schedule: false, host: '127.0.0.1' },
    );
    await server.refresh('demo');
    await server.close();
    const backend = openSqliteBackend(join(dir, 'tidings.db'));
    const stored = await backend.listArticles('demo', { limit: 1000 });
    await backend.close();
    return stored.map((each) => each.article);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(
  backend: Backend,
  articles: readonly Article[],
  options: RefreshWriteOptions,
): Promise<Map<Write, number[]>> {
  const times = new Map<Write, number[]>([
    ['first refresh (37 new)', []],
    ['next refresh (1 of 37 changed)', []],
  ]);
  const changedOne = articles.map((article, index) =>
    index === 0 ? { ...article, title: `${article.title}（更新）` } : article,
  );
  for (let i = 0; i < options.warmup + options.iterations; i++) {
    const sourceId = `bench-${i}`;
    const grant = await backend.acquireRefresh(sourceId, { ttlMs: 30_000, freshForMs: 0 });
    if (!('lease' in grant)) throw new Error(`no lease for ${sourceId}: ${grant.refused}`);
    const timed = async (write: Write, batch: readonly Article[], now: string) => {
      const started = performance.now();
      await backend.upsertArticles(sourceId, batch, now, grant.lease);
      if (i >= options.warmup) times.get(write)?.push(performance.now() - started);
    };
    await timed('first refresh (37 new)', articles, new Date().toISOString());
    await timed('next refresh (1 of 37 changed)', changedOne, new Date(Date.now() + 1000).toISOString());
    await grant.lease.release();
  }
  return times;
}

export async function refreshWriteBench(
  progress: (line: string) => void,
  options: RefreshWriteOptions = { iterations: 50, warmup: 5 },
): Promise<RefreshWriteRow[]> {
  progress('refresh writes: refreshing the demo once for its articles');
  const articles = await demoArticles();
  if (articles.length !== 37) throw new Error(`the demo refreshed into ${articles.length} articles, not 37`);
  const dir = mkdtempSync(join(tmpdir(), 'tidings-refresh-write-'));
  const redis = await startRedis();
  const postgres = await startPostgres({ durable: true });
  const opened: Record<Store, () => Promise<Backend>> = {
    sqlite: async () => openSqliteBackend(join(dir, 'bench.db')),
    redis: () => openRedisBackend(redis.url, { keyPrefix: 'bench:' }),
    postgres: async () => openPostgresBackend(await postgres.createDatabase()),
  };
  const rows: RefreshWriteRow[] = [];
  try {
    for (const store of ['sqlite', 'redis', 'postgres'] as const) {
      progress(`refresh writes: ${store}, ${options.iterations} sources`);
      const backend = await opened[store]();
      try {
        for (const [write, times] of await measure(backend, articles, options)) {
          rows.push({
            store,
            write,
            medianMs: quantile(times, 0.5),
            p90Ms: quantile(times, 0.9),
            iterations: times.length,
          });
        }
      } finally {
        await backend.close();
      }
    }
    return rows;
  } finally {
    await postgres.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function refreshWriteTable(rows: readonly RefreshWriteRow[]): string {
  return [
    '| store | write | median ms | p90 ms | sources |',
    '|---|---|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.store} | ${row.write} | ${row.medianMs.toFixed(2)} | ${row.p90Ms.toFixed(2)} | ${row.iterations} |`,
    ),
  ].join('\n');
}
