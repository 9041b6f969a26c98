import { afterEach, describe, expect, it } from 'vitest';
import type { FetchLogger } from '../src/index.js';
import { closeAll, decode, fetchError, html, page, startServer, testFetcher } from './helpers.js';

afterEach(closeAll);

/** Answers each request with the next status in `statuses` (the last one repeats), 200 being a page. */
function sequence(statuses: number[], headers: Record<string, string> = {}) {
  let calls = 0;
  return startServer((_request, response) => {
    const status = statuses[Math.min(calls++, statuses.length - 1)]!;
    if (status === 200) return page(response, 'ok');
    response.writeHead(status, headers);
    response.end();
  });
}

describe('retries', () => {
  it('retries a 5xx and succeeds, counting the attempts and logging the retry', async () => {
    const server = await sequence([500, 200]);
    const retries: object[] = [];
    const logger: FetchLogger = { debug() {}, info: (obj) => retries.push(obj), warn() {} };
    const result = await testFetcher({ logger }).fetch(`${server.origin}/`);
    expect(result.status).toBe(200);
    expect(result.attempts).toBe(2);
    expect(decode(result.body)).toBe(html('ok'));
    expect(retries).toEqual([expect.objectContaining({ attempt: 1, code: 'http-status', status: 500 })]);
  });

  it('retries a 429', async () => {
    const server = await sequence([429, 200]);
    expect((await testFetcher().fetch(`${server.origin}/`)).attempts).toBe(2);
  });

  it('retries a connection the server drops', async () => {
    let calls = 0;
    const server = await startServer((request, response) => {
      if (calls++ === 0) {
        request.socket.destroy();
        return;
      }
      page(response, 'ok');
    });
    const result = await testFetcher().fetch(`${server.origin}/`);
    expect(result.attempts).toBe(2);
  });

  it('gives up after `retries` extra attempts, saying how many it made', async () => {
    const server = await sequence([502]);
    const error = await fetchError(testFetcher({ retries: 2 }).fetch(`${server.origin}/`));
    expect(error).toMatchObject({ code: 'http-status', status: 502, attempts: 3 });
    expect(error.message).toBe(
      `GET ${server.origin}/ answered 502 Bad Gateway (3 attempts); the site has a problem: try again later`,
    );
    expect(server.requests).toHaveLength(3);
  });

  it('never retries a 404', async () => {
    const server = await sequence([404]);
    const error = await fetchError(testFetcher().fetch(`${server.origin}/missing`));
    expect(error).toMatchObject({ code: 'http-status', status: 404, attempts: 1 });
    expect(error.message).toMatch(/answered 404 Not Found; the page is gone or has moved: check the URL/);
    expect(server.requests).toHaveLength(1);
  });
});

describe('Retry-After', () => {
  it('waits as long as the site asks (in seconds) before retrying', async () => {
    const server = await sequence([503, 200], { 'retry-after': '1' });
    const started = performance.now();
    const result = await testFetcher({ retryBaseMs: 0 }).fetch(`${server.origin}/`);
    expect(result.attempts).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('gives up at once when the site asks for longer than maxRetryAfterMs, saying how long', async () => {
    const server = await sequence([503], { 'retry-after': '120' });
    const started = performance.now();
    const error = await fetchError(testFetcher({ maxRetryAfterMs: 1_000 }).fetch(`${server.origin}/`));
    expect(error).toMatchObject({ code: 'http-status', status: 503, retryAfterMs: 120_000, attempts: 1 });
    expect(error.message).toMatch(
      /asks to wait 120 s before trying again, more than maxRetryAfterMs \(1 s\)/,
    );
    expect(server.requests).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
