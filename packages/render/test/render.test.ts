import { DEFAULT_USER_AGENT, FetchError, Fetcher, type FetcherOptions } from '@tidings/fetch';
import { parseListing } from '@tidings/parser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureSite, type Route, serveFixtureSite } from '../../../test/support/fixture-site.js';
import { BrowserRenderer, RenderError } from '../src/index.js';

const TITLES = [
  '关于2025年元旦放假安排的通知',
  '关于开展2024年冬季校园安全大检查的通知',
  '图书馆寒假开放时间安排',
  '关于做好2024年度教职工考核工作的通知',
  '2025年硕士研究生招生考试考场安排公告',
  '关于征集2025年校园文化活动项目的通知',
];

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function site(routes: Record<string, Route> = {}): Promise<FixtureSite> {
  const served = await serveFixtureSite('script-built', routes);
  cleanups.push(() => served.close());
  return served;
}

/** Polite as in production (robots.txt on), quick for tests (no pacing, no retries). */
function fetcher(options: FetcherOptions = {}): Fetcher {
  const made = new Fetcher({ allowPrivateNetwork: true, perHostDelayMs: 0, retries: 0, ...options });
  cleanups.push(() => made.close());
  return made;
}

function renderer(options: ConstructorParameters<typeof BrowserRenderer>[0] = {}): BrowserRenderer {
  const made = new BrowserRenderer(options);
  cleanups.push(() => made.close());
  return made;
}

describe('a page whose list is built by script, rendered in real Chromium', () => {
  let shared: BrowserRenderer;
  beforeAll(() => {
    shared = new BrowserRenderer();
  });
  afterAll(() => shared.close());

  it('hands back the DOM the script built, which detection reads', async () => {
    const { origin } = await site();
    const page = await shared.render(`${origin}/`, { fetcher: fetcher() });

    expect(page.url).toBe(`${origin}/`);
    expect(page.settled).toBe(true);
    expect(page.contentType).toBe('text/html; charset=utf-8');
    expect(page.html).toMatch(/^<!DOCTYPE html>\n<html lang="zh-CN">/);
    expect(page.html).toContain(`<li><a href="/tzgg/2024/1227/c1001a5106.html" title="${TITLES[0]}">`);
    // Scripts have run: what they built stays, they go.
    expect(page.html).not.toContain('<script');

    const listing = parseListing(page.html, {
      url: page.url,
      contentType: page.contentType,
      profile: 'auto',
    });
    expect(listing.articles.map((article) => article.title)).toEqual(TITLES);
    expect(listing.articles[0]).toMatchObject({
      url: `${origin}/tzgg/2024/1227/c1001a5106.html`,
      publishedAt: '2024-12-27T00:00:00+08:00',
    });
    expect(listing.detection?.list.item).toBe('#news-list > li');
  });

  it("sends every request through the fetcher: the script's robots-disallowed call never reaches the site", async () => {
    const served = await site();
    const page = await shared.render(`${served.origin}/`, { fetcher: fetcher() });

    expect(served.paths()).toEqual(['/robots.txt', '/', '/css/site.css', '/js/list.js', '/api/news.json']);
    expect(served.paths().some((path) => path.startsWith('/private/'))).toBe(false);
    expect(page.requests.failed).toEqual([
      { url: `${served.origin}/private/visit.json?page=tzgg`, code: 'robots-disallowed' },
    ]);
    // The fetcher sent them all: Chromium never spoke to the site itself.
    expect(served.requests.every((request) => request.headers['user-agent'] === DEFAULT_USER_AGENT)).toBe(
      true,
    );
    // The script's own Accept header went along.
    expect(served.requests.find((request) => request.url === '/api/news.json')?.headers.accept).toBe(
      'application/json',
    );
  });

  it('never loads images, fonts or media', async () => {
    const served = await site();
    const page = await shared.render(`${served.origin}/`, { fetcher: fetcher() });
    expect(served.paths()).not.toContain('/img/logo.png');
    expect(served.paths()).not.toContain('/fonts/site-sans.woff2');
    expect(page.requests.skipped).toBe(2);
  });

  it("sends the caller's headers with the page and each request it makes", async () => {
    const served = await site();
    await shared.render(`${served.origin}/`, {
      fetcher: fetcher(),
      headersFor: (url) => (new URL(url).origin === served.origin ? { cookie: 'token=t-42' } : undefined),
    });
    const cookies = served.requests.map((request) => [request.url, request.headers.cookie]);
    expect(cookies).toEqual([
      ['/robots.txt', undefined],
      ['/', 'token=t-42'],
      ['/css/site.css', 'token=t-42'],
      ['/js/list.js', 'token=t-42'],
      ['/api/news.json', 'token=t-42'],
    ]);
  });

  it('refuses a private-network page unless allowed, before Chromium sees anything', async () => {
    const served = await site();
    const refused = shared.render(`${served.origin}/`, { fetcher: fetcher({ allowPrivateNetwork: false }) });
    await expect(refused).rejects.toBeInstanceOf(FetchError);
    await expect(refused).rejects.toMatchObject({ code: 'private-network' });
    expect(served.requests).toHaveLength(0);
  });

  it('sends a form the script POSTs (as Hanweb asks for records) through the fetcher; other POSTs never leave', async () => {
    let posted: { method?: string; type?: string; body: string } = { body: '' };
    const served = await site({
      '/': (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(
          '<!DOCTYPE html><html><body><ul id="list"></ul><script>' +
            "fetch('/dataproxy.jsp?startrecord=1&endrecord=2&perpage=2', { method: 'POST'," +
            " headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'col=1&webid=1&columnid=2845' })" +
            ".then((r) => r.text()).then((t) => { document.getElementById('list').innerHTML = t; });" +
            "fetch('/api/track', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });" +
            '</script></body></html>',
        );
      },
      '/dataproxy.jsp': async (request, response) => {
        let body = '';
        for await (const chunk of request) body += chunk;
        posted = { method: request.method, type: request.headers['content-type'], body };
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(
          '<li><a href="/art/1.html">通知一</a> 2024-12-04</li><li><a href="/art/2.html">通知二</a> 2024-12-03</li>',
        );
      },
    });
    const page = await shared.render(`${served.origin}/`, { fetcher: fetcher({ robots: false }) });
    expect(posted).toEqual({
      method: 'POST',
      type: 'application/x-www-form-urlencoded; charset=UTF-8',
      body: 'col=1&webid=1&columnid=2845',
    });
    expect(page.html).toContain('<li><a href="/art/1.html">通知一</a> 2024-12-04</li>');
    expect(served.paths()).not.toContain('/api/track');
    expect(page.requests.skipped).toBe(1);
  });

  it('keeps to its cap of pages at once', async () => {
    // The list's API answers slowly, so renders overlap unless the cap holds them back.
    const slowApi: Route = async (_request, response) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ list: [] }));
    };
    const served = await site({ '/api/news.json': slowApi });
    const one = renderer({ maxPages: 1 });
    let most = 0;
    const watch = setInterval(() => {
      most = Math.max(most, one.pagesOpen);
    }, 5);
    const pages = await Promise.all(
      [1, 2, 3].map(() => one.render(`${served.origin}/`, { fetcher: fetcher({ robots: false }) })),
    );
    clearInterval(watch);
    expect(pages.every((page) => page.settled)).toBe(true);
    expect(most).toBe(1);
    expect(one.pagesOpen).toBe(0);
  });
});

describe('limits and failures', () => {
  it('takes the DOM as it is when the network never goes quiet within the time limit', async () => {
    const hanging: Route = () => {}; // never answers
    const served = await site({
      '/': (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(
          '<!DOCTYPE html><html><body><p id="state">loading</p><script>' +
            "document.getElementById('state').textContent = 'built';" +
            "fetch('/api/forever.json');</script></body></html>",
        );
      },
      '/api/forever.json': hanging,
    });
    const started = Date.now();
    const page = await renderer({ pageTimeoutMs: 3_000 }).render(`${served.origin}/`, {
      fetcher: fetcher({ robots: false, timeoutMs: 60_000 }),
    });
    expect(page.settled).toBe(false);
    expect(page.html).toContain('<p id="state">built</p>');
    expect(Date.now() - started).toBeLessThan(3_500);
  });

  it('a page that does not load in time fails with RenderError timeout', async () => {
    const served = await site({
      '/': (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        // A blocking script that never arrives: the document never finishes parsing.
        response.end(
          '<!DOCTYPE html><html><head><script src="/never.js"></script></head><body></body></html>',
        );
      },
      '/never.js': () => {},
    });
    const rendering = renderer({ pageTimeoutMs: 2_000 }).render(`${served.origin}/`, {
      fetcher: fetcher({ robots: false, timeoutMs: 60_000 }),
    });
    await expect(rendering).rejects.toBeInstanceOf(RenderError);
    await expect(rendering).rejects.toMatchObject({
      code: 'timeout',
      message: expect.stringContaining('took longer than 2 s, the limit per page'),
    });
  });

  it('a waitFor selector ends the wait as soon as the list is there', async () => {
    const served = await site({
      '/api/forever.json': () => {},
      '/js/list.js': (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/javascript' });
        response.end(
          "document.getElementById('news-list').innerHTML = '<li><a href=\"/a.html\">标题</a> 2024-12-04</li>';" +
            "fetch('/api/forever.json');",
        );
      },
    });
    const page = await renderer({ pageTimeoutMs: 20_000 }).render(`${served.origin}/`, {
      fetcher: fetcher({ robots: false, timeoutMs: 60_000 }),
      waitFor: 'ul#news-list > li',
    });
    expect(page.settled).toBe(true);
    expect(page.durationMs).toBeLessThan(10_000);
    expect(page.html).toContain('<li><a href="/a.html">标题</a> 2024-12-04</li>');
  });

  it('without Chromium, says how to get it', async () => {
    const served = await site();
    const rendering = renderer({ executablePath: '/nonexistent/chromium' }).render(`${served.origin}/`, {
      fetcher: fetcher(),
    });
    await expect(rendering).rejects.toMatchObject({
      name: 'RenderError',
      code: 'no-browser',
      message:
        'No Chromium at /nonexistent/chromium: install it (`apt-get install chromium` on Debian and Ubuntu), ' +
        'or set its path in TIDINGS_CHROMIUM. Tidings never downloads a browser.',
    });
  });

  it('a closed renderer refuses to render; bad options are refused when it is made', async () => {
    const closed = new BrowserRenderer();
    await closed.close();
    await expect(closed.render('http://127.0.0.1/', { fetcher: fetcher() })).rejects.toMatchObject({
      code: 'closed',
    });
    expect(() => new BrowserRenderer({ maxPages: 0 })).toThrow(
      'RendererOptions.maxPages must be an integer ≥ 1',
    );
  });
});
