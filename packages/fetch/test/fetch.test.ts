import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_USER_AGENT, FetchError, Fetcher } from '../src/index.js';
import { closeAll, decode, fetchError, html, page, startServer, testFetcher } from './helpers.js';

afterEach(closeAll);

describe('a successful fetch', () => {
  it('returns the body bytes, the validators and the content type, and says who is asking', async () => {
    const server = await startServer((_request, response) =>
      page(response, '新闻', { etag: '"v1"', 'last-modified': 'Wed, 04 Dec 2024 00:00:00 GMT' }),
    );
    const result = await testFetcher().fetch(`${server.origin}/news/`);

    expect(result).toMatchObject({
      url: `${server.origin}/news/`,
      status: 200,
      notModified: false,
      contentType: 'text/html; charset=utf-8',
      etag: '"v1"',
      lastModified: 'Wed, 04 Dec 2024 00:00:00 GMT',
      attempts: 1,
    });
    expect(result.body).toBeInstanceOf(Uint8Array);
    expect(decode(result.body)).toBe(html('新闻'));
    expect(result.durationMs).toBeGreaterThanOrEqual(0);

    const sent = server.requests[0]!.headers;
    expect(sent['user-agent']).toBe(DEFAULT_USER_AGENT);
    expect(sent.accept).toBe('text/html,application/xhtml+xml;q=0.9,*/*;q=0.8');
    expect(sent['accept-encoding']).toBe('gzip, deflate, br');
    expect(sent['if-none-match']).toBeUndefined();
  });

  it('returns the bytes undecoded: the charset is the parser’s business', async () => {
    const gbk = Buffer.from([0xd0, 0xc2, 0xce, 0xc5]); // 新闻 in GBK
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=gbk' });
      response.end(gbk);
    });
    const result = await testFetcher().fetch(`${server.origin}/`);
    expect(Buffer.from(result.body).equals(gbk)).toBe(true);
  });

  it.each([
    ['gzip', gzipSync],
    ['br', brotliCompressSync],
    ['deflate', deflateSync],
    ['deflate', deflateRawSync], // some servers send raw deflate under that name
  ] as const)('removes %s content-encoding (%o)', async (encoding, compress) => {
    const text = html('压缩 '.repeat(2000));
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html', 'content-encoding': encoding });
      response.end(compress(Buffer.from(text)));
    });
    const result = await testFetcher().fetch(`${server.origin}/`);
    expect(decode(result.body)).toBe(text);
  });

  it('refuses a content-encoding it did not ask for, without retrying', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-encoding': 'zstd' });
      response.end('(zstd bytes)');
    });
    const error = await fetchError(testFetcher().fetch(`${server.origin}/`));
    expect(error.code).toBe('network');
    expect(error.message).toMatch(/Content-Encoding "zstd"/);
    expect(server.requests).toHaveLength(1);
  });
});

describe('conditional requests', () => {
  it('sends the validators and reports 304 as not modified, with an empty body', async () => {
    const server = await startServer((request, response) => {
      if (request.headers['if-none-match'] === '"v1"') {
        response.writeHead(304, { etag: '"v1"' });
        response.end();
        return;
      }
      page(response, 'changed', { etag: '"v2"' });
    });
    const fetcher = testFetcher();
    const lastModified = 'Wed, 04 Dec 2024 00:00:00 GMT';

    const unchanged = await fetcher.fetch(`${server.origin}/`, { etag: '"v1"', lastModified });
    expect(unchanged).toMatchObject({ status: 304, notModified: true, etag: '"v1"' });
    expect(unchanged.body).toHaveLength(0);
    expect(server.requests[0]!.headers['if-none-match']).toBe('"v1"');
    expect(server.requests[0]!.headers['if-modified-since']).toBe(lastModified);

    const changed = await fetcher.fetch(`${server.origin}/`, { etag: '"v0"' });
    expect(changed).toMatchObject({ status: 200, notModified: false, etag: '"v2"' });
  });
});

describe('URLs', () => {
  it('refuses what is not an absolute http(s) URL, before any request', async () => {
    const fetcher = testFetcher();
    for (const url of [
      'news/index.html',
      'ftp://example.gov.cn/',
      'file:///etc/passwd',
      'javascript:alert(1)',
    ]) {
      const error = await fetchError(fetcher.fetch(url));
      expect(error.code).toBe('bad-url');
      expect(error.attempts).toBe(0);
    }
  });

  it('refuses options that make no sense', () => {
    expect(() => new Fetcher({ timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => new Fetcher({ perHostConcurrency: 1.5 })).toThrow(/perHostConcurrency/);
  });

  it('is a TidingsError with the fields a caller acts on', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(404);
      response.end();
    });
    const error = await fetchError(testFetcher().fetch(`${server.origin}/gone`));
    expect(error).toBeInstanceOf(FetchError);
    expect(error.name).toBe('FetchError');
    expect(error).toMatchObject({
      code: 'http-status',
      url: `${server.origin}/gone`,
      status: 404,
      attempts: 1,
    });
  });

  it('refuses to fetch once closed', async () => {
    const server = await startServer((_request, response) => page(response, 'ok'));
    const fetcher = testFetcher();
    await fetcher.fetch(`${server.origin}/`);
    await fetcher.close();
    const error = await fetchError(fetcher.fetch(`${server.origin}/`));
    expect(error.code).toBe('aborted');
    expect(error.message).toMatch(/the Fetcher is closed/);
  });
});
