import { TidingsError } from '@tidings/parser';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_USER_AGENT } from '../src/index.js';
import { closeAll, page, startServer, testFetcher } from './helpers.js';

afterEach(closeAll);

const SECRET = 'session=s3cr3t-7f2a';

describe("a request's own headers", () => {
  it('are sent with the request, after the defaults they may replace', async () => {
    const server = await startServer((_request, response) => page(response, '新闻'));
    await testFetcher().fetch(`${server.origin}/news/`, {
      headers: { Cookie: SECRET, Referer: `${server.origin}/`, Accept: 'application/json' },
    });
    const sent = server.requests[0]?.headers;
    expect(sent?.cookie).toBe(SECRET);
    expect(sent?.referer).toBe(`${server.origin}/`);
    expect(sent?.accept).toBe('application/json');
    expect(sent?.['user-agent']).toBe(DEFAULT_USER_AGENT);
  });

  it('follow a redirect on the same origin, never one to another origin, never robots.txt', async () => {
    const other = await startServer((_request, response) => page(response, '别处'));
    const server = await startServer((request, response) => {
      if (request.url === '/robots.txt') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('User-agent: *\nAllow: /\n');
      } else if (request.url === '/old') {
        response.writeHead(301, { location: '/new' });
        response.end();
      } else if (request.url === '/new') {
        response.writeHead(302, { location: `${other.origin}/elsewhere` });
        response.end();
      } else page(response, '新闻');
    });
    await testFetcher({ robots: true }).fetch(`${server.origin}/old`, { headers: { Cookie: SECRET } });

    const cookies = (requests: typeof server.requests) =>
      requests.map((request) => [request.url, request.headers.cookie]);
    expect(cookies(server.requests)).toEqual([
      ['/robots.txt', undefined],
      ['/old', SECRET],
      ['/new', SECRET],
    ]);
    expect(cookies(other.requests)).toEqual([
      ['/robots.txt', undefined],
      ['/elsewhere', undefined],
    ]);
  });

  it("cannot replace the fetcher's own, and a bad one is refused without showing its value", async () => {
    const server = await startServer((_request, response) => page(response, '新闻'));
    const fetcher = testFetcher();
    await expect(fetcher.fetch(server.origin, { headers: { 'User-Agent': 'Mozilla/5.0' } })).rejects.toThrow(
      /"User-Agent" is set by the fetcher itself/,
    );
    await expect(fetcher.fetch(server.origin, { headers: { 'If-None-Match': '"x"' } })).rejects.toThrow(
      TidingsError,
    );
    const broken = fetcher.fetch(server.origin, { headers: { Cookie: `${SECRET}\r\nX-Injected: 1` } });
    await expect(broken).rejects.toThrow('the value of "Cookie" must be text on one line');
    await expect(broken).rejects.not.toThrow(SECRET);
    await expect(fetcher.fetch(server.origin, { headers: { 'Bad Name': 'x' } })).rejects.toThrow(
      '"Bad Name" is not a valid header name',
    );
    expect(server.requests).toHaveLength(0);
  });
});
