// Cached-feed throughput: autocannon against the real server (SQLite, and Redis mode against a real
// redis-server) and a bare node:http server replaying the same bytes and headers, each in its own
// process. Each scenario runs in rounds, the servers taking turns, and reports the median round,
// so machine noise lands on all alike.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startRedis } from '../test/support/redis.js';

const TARGET = fileURLToPath(new URL('./server-target.ts', import.meta.url));
const FEED = '/feeds/demo.rss';

export interface ServeRow {
  scenario: string;
  server: 'tidings (sqlite)' | 'tidings (redis)' | 'bare node:http';
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

async function startTarget(
  kind: 'tidings' | 'tidings-redis' | 'bare',
  redisUrl = '',
): Promise<{ child: ChildProcess; port: number; etag: string }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', TARGET, kind, redisUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const end = buffer.indexOf('\n');
      if (end >= 0) resolve(buffer.slice(0, end));
    });
    child.once('exit', (code) => reject(new Error(`${kind} target exited with ${code}`)));
  });
  const { port, etag } = JSON.parse(line) as { port: number; etag: string };
  return { child, port, etag };
}

const SCENARIOS = [
  { name: 'identity', headers: (): Record<string, string> => ({ 'accept-encoding': 'identity' }) },
  { name: 'gzip', headers: (): Record<string, string> => ({ 'accept-encoding': 'gzip' }) },
  { name: '304', headers: (etag: string): Record<string, string> => ({ 'if-none-match': etag }) },
];

export async function serveBench(
  progress: (line: string) => void,
  durationSeconds = 5,
  rounds = 3,
): Promise<ServeRow[]> {
  const redis = await startRedis();
  const targets = {
    'tidings (sqlite)': await startTarget('tidings'),
    'tidings (redis)': await startTarget('tidings-redis', redis.url),
    'bare node:http': await startTarget('bare'),
  };
  const entries = Object.entries(targets) as [ServeRow['server'], (typeof targets)['bare node:http']][];
  const rows: ServeRow[] = [];
  try {
    for (const scenario of SCENARIOS) {
      const runs = new Map<ServeRow['server'], ServeRow[]>();
      for (let round = 1; round <= rounds; round++) {
        for (const [server, target] of entries) {
          progress(`serve: ${scenario.name} against ${server}, round ${round}/${rounds}`);
          const result = await autocannon({
            url: `http://127.0.0.1:${target.port}${FEED}`,
            connections: 50,
            duration: durationSeconds,
            headers: scenario.headers(target.etag),
          });
          const expected = scenario.name === '304' ? result['3xx'] : result['2xx'];
          runs.set(server, [
            ...(runs.get(server) ?? []),
            {
              scenario: scenario.name,
              server,
              requestsPerSecond: result.requests.average,
              p50Ms: result.latency.p50,
              p99Ms: result.latency.p99,
              errors: result.errors + result.timeouts + (result.requests.total - expected),
            },
          ]);
        }
      }
      for (const serverRuns of runs.values()) {
        const sorted = [...serverRuns].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
        rows.push(sorted[Math.floor(sorted.length / 2)] as ServeRow);
      }
    }
  } finally {
    for (const target of Object.values(targets)) target.child.kill();
    await redis.stop();
  }
  return rows;
}

export function serveTable(rows: readonly ServeRow[]): string {
  const bare = new Map(
    rows.filter((row) => row.server === 'bare node:http').map((row) => [row.scenario, row]),
  );
  return [
    '| scenario | server | requests/s | × bare | p50 ms | p99 ms | errors |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows.map((row) =>
      [
        '',
        row.scenario,
        row.server,
        Math.round(row.requestsPerSecond).toLocaleString('en'),
        (row.requestsPerSecond / (bare.get(row.scenario)?.requestsPerSecond ?? Number.NaN)).toFixed(2),
        row.p50Ms.toFixed(1),
        row.p99Ms.toFixed(1),
        String(row.errors),
        '',
      ]
        .join(' | ')
        .trim(),
    ),
  ].join('\n');
}
