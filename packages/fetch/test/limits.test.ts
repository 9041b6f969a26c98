import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, fetchError, MiB, startServer, testFetcher } from './helpers.js';

afterEach(closeAll);

/** Streams `total` bytes as fast as the client reads them; reports how many it wrote before the client left. */
function stream(response: ServerResponse, total: number, onClose: (written: number) => void): void {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let written = 0;
  response.on('close', () => onClose(written));
  const pump = () => {
    while (written < total && !response.destroyed) {
      written += chunk.length;
      if (!response.write(chunk)) {
        response.once('drain', pump);
        return;
      }
    }
    if (written >= total) response.end();
  };
  pump();
}

describe('the body cap', () => {
  it('refuses a body whose Content-Length is over the cap before reading it', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-length': String(50 * MiB) });
      response.write('<html>'); // and then nothing: reading would hang until the timeout
    });
    const error = await fetchError(
      testFetcher({ maxBytes: MiB, timeoutMs: 5_000 }).fetch(`${server.origin}/`),
    );
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/announced 50\.0 MiB \(Content-Length\), over the 1\.0 MiB limit/);
    expect(error.attempts).toBe(1);
  });

  it('stops reading a streamed body as soon as it passes the cap', async () => {
    const total = 64 * MiB;
    let written = -1;
    let serverSawClose: () => void = () => {};
    const closed = new Promise<void>((resolve) => {
      serverSawClose = resolve;
    });
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }); // chunked: no length announced
      stream(response, total, (bytes) => {
        written = bytes;
        serverSawClose();
      });
    });

    const error = await fetchError(testFetcher({ maxBytes: 256 * 1024 }).fetch(`${server.origin}/`));
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/sent more than 256\.0 KiB/);
    await closed;
    expect(written).toBeLessThan(total / 4);
  });

  it('counts the decompressed bytes, so a small gzip bomb is cut too', async () => {
    const bomb = gzipSync(Buffer.alloc(32 * MiB));
    expect(bomb.length).toBeLessThan(MiB);
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      response.end(bomb);
    });
    const error = await fetchError(testFetcher({ maxBytes: MiB }).fetch(`${server.origin}/`));
    expect(error.code).toBe('too-large');
  });
});

describe('timeouts', () => {
  it('gives up on a server that never answers', async () => {
    const server = await startServer(() => {}); // headers never come
    const started = performance.now();
    const error = await fetchError(testFetcher({ timeoutMs: 300, retries: 0 }).fetch(`${server.origin}/`));
    expect(error.code).toBe('timeout');
    expect(error.message).toBe(
      `GET ${server.origin}/ timed out after 300 ms; the site is slow or down: try again later, or raise timeoutMs`,
    );
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('bounds the whole body, not just the gaps: a trickling server times out', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.write('<html>');
      const trickle = setInterval(() => response.write('.'), 20);
      response.on('close', () => clearInterval(trickle));
    });
    const started = performance.now();
    const error = await fetchError(testFetcher({ timeoutMs: 300, retries: 1 }).fetch(`${server.origin}/`));
    expect(error.code).toBe('timeout');
    expect(error.attempts).toBe(2);
    expect(error.message).toMatch(/timed out after 300 ms \(2 attempts\); the site is slow or down/);
    expect(server.requests).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('cancelling', () => {
  it('stops a request in flight when the signal aborts', async () => {
    const server = await startServer(() => {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await fetchError(testFetcher().fetch(`${server.origin}/`, { signal: controller.signal }));
    expect(error.code).toBe('aborted');
  });

  it('stops waiting between retries when the signal aborts', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(503, { 'retry-after': '30' });
      response.end();
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = await fetchError(testFetcher().fetch(`${server.origin}/`, { signal: controller.signal }));
    expect(error.code).toBe('aborted');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(server.requests).toHaveLength(1);
  });

  it('does not start when the signal is already aborted', async () => {
    const server = await startServer(() => {});
    const error = await fetchError(testFetcher().fetch(`${server.origin}/`, { signal: AbortSignal.abort() }));
    expect(error.code).toBe('aborted');
    expect(server.requests).toHaveLength(0);
  });
});
