// A server for the HTTP benchmark, in its own process: `tidings` (the real server, demo snapshot
// refreshed once) or `bare` (node:http answering with the same bytes, the floor). Prints
// `{"port":…,"etag":…}` on stdout when ready.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createLogger, loadConfig, startServer } from '@tidings/server';

const kind = process.argv[2];
const FEED = '/feeds/demo.rss';

async function startTidings() {
  const config = loadConfig({
    env: { PORT: '3000', TIDINGS_DATA_DIR: mkdtempSync(join(tmpdir(), 'tidings-bench-')) },
  });
  const server = await startServer(
    { ...config, port: 0 },
    { logger: createLogger('silent'), schedule: false, host: '127.0.0.1' },
  );
  await server.refresh('demo');
  const response = await fetch(server.url + FEED);
  return { port: server.port, etag: response.headers.get('etag') ?? '' };
}

async function startBare(body: Buffer, headers: Record<string, string>) {
  const gzip = gzipSync(body, { level: 9 });
  const etag = headers.etag ?? '';
  const server = createServer((request, response) => {
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, { ETag: etag });
      response.end();
      return;
    }
    const useGzip = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
    const out = useGzip ? gzip : body;
    response.writeHead(200, {
      'Content-Type': headers['content-type'] ?? 'application/rss+xml',
      ETag: etag,
      ...(useGzip ? { 'Content-Encoding': 'gzip' } : {}),
      'Content-Length': out.length,
    });
    response.end(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, etag };
}

if (kind === 'tidings') {
  process.stdout.write(`${JSON.stringify(await startTidings())}\n`);
} else if (kind === 'bare') {
  // The same bytes the real server serves: render them once through it, then answer with node:http alone.
  const config = loadConfig({
    env: { PORT: '3000', TIDINGS_DATA_DIR: mkdtempSync(join(tmpdir(), 'tidings-bench-')) },
  });
  const server = await startServer(
    { ...config, port: 0 },
    { logger: createLogger('silent'), schedule: false, host: '127.0.0.1' },
  );
  await server.refresh('demo');
  const response = await fetch(server.url + FEED, { headers: { 'Accept-Encoding': 'identity' } });
  const body = Buffer.from(await response.arrayBuffer());
  const headers = Object.fromEntries(response.headers);
  await server.close();
  process.stdout.write(`${JSON.stringify(await startBare(body, headers))}\n`);
} else {
  throw new Error('usage: server-target.ts tidings|bare');
}
