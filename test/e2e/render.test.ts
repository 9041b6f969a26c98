import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltServer, startBuiltServer } from '../support/built-server.js';
import { type FixtureSite, serveFixtureSite } from '../support/fixture-site.js';
import { FIXTURES } from '../support/fixtures.js';

/**
 * The built server reads three sites no plain fetch can: a list built by script (render: browser,
 * real Chromium), a bot check, an empty app shell. The last two say why on /healthz.
 */
describe('the server on pages built by script, bot checks and app shells', () => {
  let notices: FixtureSite;
  let guarded: FixtureSite;
  let shell: FixtureSite;
  let server: BuiltServer;

  beforeAll(async () => {
    notices = await serveFixtureSite('script-built');
    const ruishu = readFileSync(`${FIXTURES}challenge/ruishu-412.html`);
    guarded = await serveFixtureSite('challenge', {
      '/news/': (_request, response) => {
        response.writeHead(412, { 'content-type': 'text/html; charset=utf-8' });
        response.end(ruishu);
      },
    });
    shell = await serveFixtureSite('app-shell');
    const source = (id: string, url: string, extra = '') =>
      `  - id: ${id}\n    url: ${url}\n    profile: auto\n    fullText: false\n    refresh: 1h\n    allowPrivateNetwork: true\n${extra}`;
    server = await startBuiltServer(
      [
        'rateLimit: false # this test polls /healthz',
        'sources:',
        source('notices', `${notices.origin}/`, '    render: browser\n'),
        source('guarded', `${guarded.origin}/news/`),
        source('shell', `${shell.origin}/`),
      ].join('\n'),
    );
  }, 30_000);

  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
    await Promise.all([notices, guarded, shell].map((site) => site?.close()));
  });

  it('reads the list a script builds, in Chromium, with every request through the fetcher', async () => {
    const feed = await server.refreshed('notices', 90_000);
    expect(feed).toMatchObject({ articles: 6, lastError: null });
    const json = (await (await fetch(`${server.base}/feeds/notices.json`)).json()) as {
      items: { title: string; url: string }[];
    };
    expect(json.items[0]).toMatchObject({
      title: '关于2025年元旦放假安排的通知',
      url: `${notices.origin}/tzgg/2024/1227/c1001a5106.html`,
    });

    // The script's call to a path robots.txt disallows never reached the site; nor did images or fonts.
    expect(notices.paths()).toEqual(['/robots.txt', '/', '/css/site.css', '/js/list.js', '/api/news.json']);
    expect(
      notices.requests.every((request) => request.headers['user-agent']?.startsWith('TidingsBot/')),
    ).toBe(true);
    expect(server.logs()).toMatch(
      /"code":"robots-disallowed".*"msg":"rendered the page; some of its requests were refused or failed"/,
    );
  });

  it('a bot check: /healthz says what answered and that Tidings does not solve it', async () => {
    const feed = await server.refreshed('guarded');
    expect(feed.lastError).toBe(
      `FetchError: GET ${guarded.origin}/news/ answered 412 Precondition Failed with a bot check instead of the page: ` +
        'a Ruishu (瑞数) bot check ($_ts script); Tidings does not solve bot checks, with or without a browser: ' +
        'ask the site for a feed or for access, or, if you may, send the cookie a browser gets past the check ' +
        "(a source's `cookies:` in the server's config), knowing that it expires",
    );
  });

  it('an empty app shell: /healthz says the list is built by script and to try render: browser', async () => {
    const feed = await server.refreshed('shell');
    expect(feed.lastError).toBe(
      `LayoutError: Found no list of articles on ${shell.origin}/: this page builds its list with JavaScript ` +
        '(an empty <div id="app">, 2 scripts, a <noscript> asking for JavaScript): try `render: browser`.',
    );
  });
});
