import { afterEach, describe, expect, it } from 'vitest';
import type { FetchLogger } from '../src/index.js';
import { closeAll, fetchError, page, startServer, testFetcher } from './helpers.js';

afterEach(closeAll);

const ROBOTS = ['User-agent: TidingsBot', 'Disallow: /private/', '', 'User-agent: *', 'Disallow: /'].join(
  '\n',
);

async function siteWithRobots(robots: (response: import('node:http').ServerResponse) => void) {
  return startServer((request, response) => {
    if (request.url === '/robots.txt') return robots(response);
    page(response, request.url ?? '');
  });
}

function robotsTxt(text: string) {
  return (response: import('node:http').ServerResponse) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end(text);
  };
}

function robotsPaths(paths: string[]): string[] {
  return paths.filter((path) => path === '/robots.txt');
}

describe('robots.txt', () => {
  it('refuses what it disallows for our user agent, and allows the rest', async () => {
    const server = await siteWithRobots(robotsTxt(ROBOTS));
    const fetcher = testFetcher({ robots: true });

    // Everything is disallowed for `*`: this passes only because the TidingsBot group is used.
    expect((await fetcher.fetch(`${server.origin}/news/`)).status).toBe(200);

    const error = await fetchError(fetcher.fetch(`${server.origin}/private/page.html`));
    expect(error.code).toBe('robots-disallowed');
    expect(error.message).toMatch(/is disallowed for TidingsBot by http:\/\/127\.0\.0\.1:\d+\/robots\.txt/);
    expect(server.paths()).not.toContain('/private/page.html');
  });

  it('matches robots.txt groups by the product token of a custom user agent', async () => {
    const server = await siteWithRobots(robotsTxt(ROBOTS));
    const fetcher = testFetcher({ robots: true, userAgent: 'OtherBot/2.0 (+https://example.org/bot)' });
    expect((await fetchError(fetcher.fetch(`${server.origin}/news/`))).code).toBe('robots-disallowed');
    expect(server.requests[0]!.headers['user-agent']).toBe('OtherBot/2.0 (+https://example.org/bot)');
  });

  it('fetches robots.txt once per origin, even for concurrent requests, and again after an hour', async () => {
    const server = await siteWithRobots(robotsTxt(ROBOTS));
    let now = Date.parse('2024-12-04T00:00:00Z');
    const fetcher = testFetcher({ robots: true, now: () => now });

    await Promise.all([1, 2, 3].map((n) => fetcher.fetch(`${server.origin}/news/${n}`)));
    await fetcher.fetch(`${server.origin}/news/4`);
    expect(robotsPaths(server.paths())).toHaveLength(1);
    expect(server.paths()[0]).toBe('/robots.txt');

    now += 59 * 60 * 1000;
    await fetcher.fetch(`${server.origin}/news/5`);
    expect(robotsPaths(server.paths())).toHaveLength(1);

    now += 2 * 60 * 1000;
    await fetcher.fetch(`${server.origin}/news/6`);
    expect(robotsPaths(server.paths())).toHaveLength(2);
  });

  it('allows everything when there is no robots.txt', async () => {
    const server = await siteWithRobots((response) => response.writeHead(404).end());
    const fetcher = testFetcher({ robots: true });
    expect((await fetcher.fetch(`${server.origin}/private/x`)).status).toBe(200);
    expect((await fetcher.fetch(`${server.origin}/private/y`)).status).toBe(200);
    expect(robotsPaths(server.paths())).toHaveLength(1);
  });

  it('allows everything, and warns, when robots.txt fails with a server error', async () => {
    const server = await siteWithRobots((response) => response.writeHead(503).end());
    const warnings: string[] = [];
    const logger: FetchLogger = { debug() {}, info() {}, warn: (_obj, msg) => warnings.push(msg) };
    const fetcher = testFetcher({ robots: true, logger });
    expect((await fetcher.fetch(`${server.origin}/private/x`)).status).toBe(200);
    expect(warnings).toEqual([expect.stringMatching(/robots\.txt answered a server error/)]);
  });

  it('does not fetch robots.txt when robots is false', async () => {
    const server = await siteWithRobots(robotsTxt(ROBOTS));
    await testFetcher({ robots: false }).fetch(`${server.origin}/private/x`);
    expect(server.paths()).toEqual(['/private/x']);
  });
});
