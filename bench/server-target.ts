// A server for the HTTP benchmark, in its own process: `tidings` (the real server, demo snapshot
// refreshed once, SQLite), `tidings-redis <url>` (the same sharing history through Redis), or
// `bare` (node:http replaying the very bytes and headers the real server sends, the floor).
// Prints `{"port":…,"etag":…}` on stdout when ready.
import { mkdtempSync } from 'node:fs';
import { createServer, get as httpGet, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig, startServer, type TidingsServer } from '@tidings/server';

const kind = process.argv[2];
const FEED = '/feeds/demo.rss';

async function startDemo(redisUrl?: string): Promise<TidingsServer> {
  const config = loadConfig({
    env: {
      PORT: '3000',
      TIDINGS_DATA_DIR: mkdtempSync(join(tmpdir(), 'tidings-bench-')),
      ...(redisUrl ? { TIDINGS_REDIS_URL: redisUrl } : {}),
    },
  });
  const server = await startServer(
    // The benchmark is one client hammering on purpose: no rate limit.
    { ...config, port: 0, rateLimit: false },
    { logger: createLogger('silent'), schedule: false, host: '127.0.0.1' },
  );
  await server.refresh('demo');
  return server;
}

interface Recorded {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One raw exchange (no decompression), to replay byte for byte. */
function record(url: string, headers: Record<string, string>): Promise<Recorded> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    }).on('error', reject);
  });
}

function replayHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const { date: _date, connection: _connection, 'keep-alive': _keepAlive, ...rest } = headers;
  return rest as Record<string, string>;
}

if (kind === 'tidings' || kind === 'tidings-redis') {
  const server = await startDemo(kind === 'tidings-redis' ? process.argv[3] : undefined);
  const etag = (await fetch(server.url + FEED)).headers.get('etag') ?? '';
  process.stdout.write(`${JSON.stringify({ port: server.port, etag })}\n`);
} else if (kind === 'bare') {
  const server = await startDemo();
  const identity = await record(server.url + FEED, { 'accept-encoding': 'identity' });
  const etag = String(identity.headers.etag);
  const gzip = await record(server.url + FEED, { 'accept-encoding': 'gzip' });
  const notModified = await record(server.url + FEED, { 'if-none-match': etag });
  await server.close();
  const bare = createServer((request, response) => {
    const answer =
      request.headers['if-none-match'] === etag
        ? notModified
        : /\bgzip\b/.test(request.headers['accept-encoding'] ?? '')
          ? gzip
          : identity;
    response.writeHead(answer.status, replayHeaders(answer.headers));
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`${JSON.stringify({ port: (bare.address() as AddressInfo).port, etag })}\n`);
} else {
  throw new Error('usage: server-target.ts tidings|tidings-redis <redis-url>|bare');
}
