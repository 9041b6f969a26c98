import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, decode, fetchError, html, page, startServer, testFetcher } from './helpers.js';

afterEach(closeAll);

function redirect(response: ServerResponse, location: string, status = 302): void {
  response.writeHead(status, { location });
  response.end();
}

describe('redirects', () => {
  it('follows a chain, absolute and relative, and reports the final URL', async () => {
    const server = await startServer((request, response) => {
      if (request.url === '/a') return redirect(response, `${server.origin}/b`, 301);
      if (request.url === '/b') return redirect(response, 'c?page=1', 307);
      if (request.url === '/c?page=1') return page(response, 'final');
      response.writeHead(404).end();
    });
    const result = await testFetcher().fetch(`${server.origin}/a`);
    expect(result.url).toBe(`${server.origin}/c?page=1`);
    expect(decode(result.body)).toBe(html('final'));
    expect(result.attempts).toBe(1);
    expect(server.paths()).toEqual(['/a', '/b', '/c?page=1']);
  });

  it('stops a redirect loop', async () => {
    const server = await startServer((request, response) =>
      redirect(response, request.url === '/x' ? '/y' : '/x'),
    );
    const error = await fetchError(testFetcher().fetch(`${server.origin}/x`));
    expect(error.code).toBe('too-many-redirects');
    expect(error.message).toMatch(/redirects in a loop \(back to http:\/\/127\.0\.0\.1:\d+\/x\)/);
    expect(error.url).toBe(`${server.origin}/y`);
    expect(server.paths()).toEqual(['/x', '/y']);
  });

  it('stops after maxRedirects hops', async () => {
    const server = await startServer((request, response) => {
      const hop = Number(request.url?.slice(1));
      redirect(response, `/${hop + 1}`);
    });
    const error = await fetchError(testFetcher({ maxRedirects: 2 }).fetch(`${server.origin}/0`));
    expect(error.code).toBe('too-many-redirects');
    expect(error.message).toMatch(/redirected more than 2 times/);
    expect(server.paths()).toEqual(['/0', '/1', '/2']);
  });

  it('refuses a redirect to something that is not http(s)', async () => {
    const server = await startServer((_request, response) => redirect(response, 'file:///etc/passwd'));
    const error = await fetchError(testFetcher().fetch(`${server.origin}/`));
    expect(error.code).toBe('bad-url');
  });
});

describe('resolveUrl', () => {
  const site = 'https://example.gov.cn';

  it('fetches from where it maps, and reports the original URL space', async () => {
    const server = await startServer((request, response) => {
      if (request.url === '/news/') return redirect(response, '/news/index.html');
      if (request.url === '/news/index.html') return page(response, 'saved copy');
      response.writeHead(404).end();
    });
    const fetcher = testFetcher({
      allowPrivateNetwork: true,
      resolveUrl: (url) =>
        url.hostname === 'example.gov.cn' ? new URL(url.pathname + url.search, server.origin) : url,
    });

    const result = await fetcher.fetch(`${site}/news/`);
    expect(result.url).toBe(`${site}/news/index.html`);
    expect(decode(result.body)).toBe(html('saved copy'));
    expect(server.paths()).toEqual(['/news/', '/news/index.html']);

    const error = await fetchError(fetcher.fetch(`${site}/missing`));
    expect(error.url).toBe(`${site}/missing`);
    expect(error.message).toMatch(/^GET https:\/\/example\.gov\.cn\/missing answered 404/);
  });

  it('trusts where it maps, but still refuses a redirect out to a loopback address', async () => {
    const server = await startServer((request, response) => {
      if (request.url === '/to-ip') return redirect(response, `${server.origin}/secret`);
      if (request.url === '/to-name') return redirect(response, `http://localhost:${server.port}/secret`);
      if (request.url === '/ok') return page(response, 'ok');
      page(response, 'secret');
    });
    const fetcher = testFetcher({
      allowPrivateNetwork: false,
      resolveUrl: (url) => (url.hostname === 'example.gov.cn' ? new URL(url.pathname, server.origin) : url),
    });

    expect((await fetcher.fetch(`${site}/ok`)).status).toBe(200);

    const byAddress = await fetchError(fetcher.fetch(`${site}/to-ip`));
    expect(byAddress.code).toBe('private-network');
    expect(byAddress.url).toBe(`${server.origin}/secret`);
    expect(byAddress.message).toMatch(/\(redirected from https:\/\/example\.gov\.cn\/to-ip\)/);

    const byName = await fetchError(fetcher.fetch(`${site}/to-name`));
    expect(byName.code).toBe('private-network');
    expect(byName.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1), a loopback address/);

    expect(server.paths()).toEqual(['/ok', '/to-ip', '/to-name']);
  });
});
