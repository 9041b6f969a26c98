// Cached feeds against the floor: the real server and a bare node:http server replaying the same
// bytes, both on CPU 0, loaded in turn by wrk on CPU 1, round after round so that machine noise
// lands on both alike. Medians of the rounds.
import { startRedis } from '../../test/support/redis.js';
import { startBareTarget, startServerTarget, type Target } from './targets.js';
import { type WrkRun, wrk } from './wrk.js';

const FEED = '/feeds/demo.rss';

export interface CachedFeedRow {
  scenario: 'identity' | 'gzip' | 'br' | '304';
  server: 'tidings (sqlite)' | 'tidings (redis)' | 'bare node:http';
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Requests/s over the bare server's, same scenario, same run. */
  ratio: number;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export async function cachedFeedsBench(
  progress: (line: string) => void,
  options = { rounds: 5, seconds: 3, connections: 20 },
): Promise<CachedFeedRow[]> {
  const redis = await startRedis();
  const targets: [CachedFeedRow['server'], Target][] = [];
  try {
    targets.push(['tidings (sqlite)', await startServerTarget(0)]);
    targets.push(['tidings (redis)', await startServerTarget(0, '', { TIDINGS_REDIS_URL: redis.url })]);
    targets.push([
      'bare node:http',
      await startBareTarget(0, (targets[0] as [string, Target])[1].base + FEED),
    ]);
    // Each server's own ETag (the bare one replays the SQLite server's).
    const etags = new Map<Target, string>();
    for (const [, target] of targets)
      etags.set(target, (await fetch(target.base + FEED)).headers.get('etag') ?? '');
    const scenarios: {
      name: CachedFeedRow['scenario'];
      headers: (etag: string) => Record<string, string>;
    }[] = [
      { name: 'identity', headers: () => ({}) },
      { name: 'gzip', headers: () => ({ 'Accept-Encoding': 'gzip' }) },
      { name: 'br', headers: () => ({ 'Accept-Encoding': 'br' }) },
      { name: '304', headers: (etag) => ({ 'If-None-Match': etag }) },
    ];
    const load = (target: Target, scenario: (typeof scenarios)[number], seconds: number) =>
      wrk(target.base + FEED, {
        ...options,
        seconds,
        headers: scenario.headers(etags.get(target) ?? ''),
        cpu: 1,
      });
    // Warm: each answer's code is compiled and optimized before anything is measured, as in a
    // server that has been up for a while.
    for (const scenario of scenarios) {
      for (const [, target] of targets) {
        await load(target, scenario, 1);
      }
    }
    const rows: CachedFeedRow[] = [];
    for (const scenario of scenarios) {
      const runs = new Map<Target, WrkRun[]>(targets.map(([, target]) => [target, []]));
      for (let round = 1; round <= options.rounds; round++) {
        progress(`cached feeds: ${scenario.name}, round ${round}/${options.rounds}`);
        // Each round starts with the next server, so none always gets the warmer machine.
        for (let i = 0; i < targets.length; i++) {
          const [, target] = targets[(round + i) % targets.length] as [string, Target];
          runs.get(target)?.push(await load(target, scenario, options.seconds));
        }
      }
      const summary = (target: Target) => {
        const all = runs.get(target) ?? [];
        return {
          requestsPerSecond: median(all.map((run) => run.requestsPerSecond)),
          p50Ms: median(all.map((run) => run.p50Ms)),
          p99Ms: median(all.map((run) => run.p99Ms)),
          errors: all.reduce((sum, run) => sum + run.errors, 0),
        };
      };
      const floor = summary((targets[2] as [string, Target])[1]).requestsPerSecond;
      for (const [server, target] of targets) {
        const row = summary(target);
        rows.push({ scenario: scenario.name, server, ...row, ratio: row.requestsPerSecond / floor });
      }
    }
    return rows;
  } finally {
    await Promise.all(targets.map(([, target]) => target.stop()));
    await redis.stop();
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
