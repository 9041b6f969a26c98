// Cached feeds against the floor: the real server and a bare node:http server replaying the same
// bytes, all on CPU 0, loaded in turn by wrk on CPU 1, round after round so that machine noise
// lands on all alike. Each kind runs as several processes: one process of a program can be
// consistently 10-20% faster or slower than another of the same program (where its code and heap
// land in memory), which is as large as the gap being measured. Medians over processes and rounds.
import { startPostgres } from '../../test/support/postgres.js';
import { startRedis } from '../../test/support/redis.js';
import { startBareTarget, startServerTarget, type Target } from './targets.js';
import { type WrkRun, wrk } from './wrk.js';

const FEED = '/feeds/demo.rss';

type Kind = 'tidings (sqlite)' | 'tidings (redis)' | 'tidings (postgres)' | 'bare node:http';

export interface CachedFeedRow {
  scenario: 'identity' | 'gzip' | 'br' | '304';
  server: Kind;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Requests/s over the bare server's, same scenario, same run. */
  ratio: number;
}

export interface CachedFeedsOptions {
  /** Processes of each kind. */
  instances: number;
  rounds: number;
  seconds: number;
  connections: number;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const SCENARIOS: { name: CachedFeedRow['scenario']; headers: (etag: string) => Record<string, string> }[] = [
  { name: 'identity', headers: () => ({}) },
  { name: 'gzip', headers: () => ({ 'Accept-Encoding': 'gzip' }) },
  { name: 'br', headers: () => ({ 'Accept-Encoding': 'br' }) },
  { name: '304', headers: (etag) => ({ 'If-None-Match': etag }) },
];

export async function cachedFeedsBench(
  progress: (line: string) => void,
  options: CachedFeedsOptions = { instances: 3, rounds: 3, seconds: 2, connections: 20 },
): Promise<CachedFeedRow[]> {
  const redis = await startRedis();
  const postgres = await startPostgres();
  // One database for all the PostgreSQL servers, as several instances share one in production.
  const database = await postgres.createDatabase();
  const targets: { kind: Kind; target: Target; etag: string }[] = [];
  try {
    for (let i = 0; i < options.instances; i++) {
      targets.push({ kind: 'tidings (sqlite)', target: await startServerTarget(0), etag: '' });
      targets.push({
        kind: 'tidings (redis)',
        target: await startServerTarget(0, '', { TIDINGS_REDIS_URL: redis.url }),
        etag: '',
      });
      targets.push({
        kind: 'tidings (postgres)',
        target: await startServerTarget(0, '', { TIDINGS_DATABASE_URL: database }),
        etag: '',
      });
    }
    const recorded = (targets[0] as (typeof targets)[number]).target.base + FEED;
    for (let i = 0; i < options.instances; i++)
      targets.push({ kind: 'bare node:http', target: await startBareTarget(0, recorded), etag: '' });
    // Each server's own ETag (the bare ones replay the first SQLite server's).
    for (const entry of targets)
      entry.etag = (await fetch(entry.target.base + FEED)).headers.get('etag') ?? '';
    const load = (entry: (typeof targets)[number], scenario: (typeof SCENARIOS)[number], seconds: number) =>
      wrk(entry.target.base + FEED, {
        connections: options.connections,
        seconds,
        headers: scenario.headers(entry.etag),
        cpu: 1,
      });
    // Warm: each answer's code is compiled and optimized before anything is measured, as in a
    // server that has been up for a while.
    for (const scenario of SCENARIOS) for (const entry of targets) await load(entry, scenario, 1);
    const rows: CachedFeedRow[] = [];
    for (const scenario of SCENARIOS) {
      const runs = new Map<Kind, WrkRun[]>();
      for (let round = 1; round <= options.rounds; round++) {
        progress(`cached feeds: ${scenario.name}, round ${round}/${options.rounds}`);
        // Each round starts with the next process, so none always gets the warmer machine.
        for (let i = 0; i < targets.length; i++) {
          const entry = targets[(round + i) % targets.length] as (typeof targets)[number];
          const run = await load(entry, scenario, options.seconds);
          runs.set(entry.kind, [...(runs.get(entry.kind) ?? []), run]);
        }
      }
      const summary = (kind: Kind) => {
        const all = runs.get(kind) ?? [];
        return {
          requestsPerSecond: median(all.map((run) => run.requestsPerSecond)),
          p50Ms: median(all.map((run) => run.p50Ms)),
          p99Ms: median(all.map((run) => run.p99Ms)),
          errors: all.reduce((sum, run) => sum + run.errors, 0),
        };
      };
      const floor = summary('bare node:http').requestsPerSecond;
      for (const kind of [
        'tidings (sqlite)',
        'tidings (redis)',
        'tidings (postgres)',
        'bare node:http',
      ] as const) {
        const row = summary(kind);
        rows.push({ scenario: scenario.name, server: kind, ...row, ratio: row.requestsPerSecond / floor });
      }
    }
    return rows;
  } finally {
    await Promise.all(targets.map((entry) => entry.target.stop()));
    await redis.stop();
    await postgres.stop();
  }
}

export function cachedFeedsTable(rows: readonly CachedFeedRow[]): string {
  return [
    '| scenario | server | requests/s | × bare | p50 ms | p99 ms | errors |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.scenario} | ${row.server} | ${Math.round(row.requestsPerSecond).toLocaleString('en')} | ${row.ratio.toFixed(2)} | ${row.p50Ms.toFixed(2)} | ${row.p99Ms.toFixed(2)} | ${row.errors} |`,
    ),
  ].join('\n');
}
