import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { DomUtils, parseDocument } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sectionSource, siteFrom } from '../../../test/support/server.js';
import { startUpstream, type Upstream } from '../../../test/support/upstream.js';
import { createLogger } from '../src/logger.js';
import { startServer, type TidingsServer } from '../src/server.js';
import { renderFeedPage } from '../src/views/feed-page.js';

const SECTION = 'https://jy.tj.gov.cn/JYXW/TJJY/';
/** A title that is markup, as the listing's HTML carries it (escaped): the text is `<script>…`. */
const HOSTILE_IN_HTML = '&lt;script&gt;alert(1)&lt;/script&gt;新的一条新闻';

/** What Asia/Shanghai (UTC+8, no summer time) shows for an instant, computed without Intl. */
function chinaTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** How many script elements a browser would see in the page (its own inline script builds `<script` as a string). */
function scriptElements(html: string): number {
  return DomUtils.getElementsByTagName('script', parseDocument(html)).length;
}

/** A GET that keeps the raw body (node's fetch would decode gzip/br for us). */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>((resolve, reject) => {
    httpRequest(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers as Record<string, string>,
          body: Buffer.concat(chunks),
        }),
      );
    })
      .on('error', reject)
      .end();
  });
}

describe('GET /feeds/<id>: the feed’s page for people', () => {
  let upstream: Upstream;
  let dataDir: string;
  let server: TidingsServer;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers });
  const page = async () => (await get('/feeds/tjjy')).text();
  const status = async () =>
    ((await (await get('/healthz')).json()) as { feeds: { lastSuccessAt: string | null }[] }).feeds[0];

  beforeAll(async () => {
    upstream = await startUpstream();
    dataDir = mkdtempSync(join(tmpdir(), 'tidings-feed-page-'));
    server = await startServer(
      { sources: [sectionSource({ pages: 3, fullText: true })], port: 0, dataDir },
      {
        logger: createLogger('silent'),
        schedule: false,
        host: '127.0.0.1',
        fetcher: {
          resolveUrl: siteFrom(upstream.origin),
          timeoutMs: 2_000,
          retries: 0,
          perHostDelayMs: 0,
          perHostConcurrency: 4,
        },
      },
    );
    expect(await server.refresh('tjjy')).toMatchObject({ outcome: 'ok', added: 37 });
  });

  afterAll(async () => {
    await server?.close();
    await upstream?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the newest articles, in the source’s time zone, with links and summaries', async () => {
    const response = await get('/feeds/tjjy');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<h1>天津教育 – 天津市教育委员会</h1>');
    expect(html.match(/<li><h3>/g)).toHaveLength(37);
    // 2024-12-04T09:00:00+08:00 is 01:00 in UTC: the page shows the site's own clock.
    expect(html).toContain(
      `<a href="${SECTION}202412/t20241204_6797100.html" rel="noreferrer">我市基础教育扩优提质高质量发展</a></h3>\n<time datetime="2024-12-04T09:00:00+08:00">2024-12-04 09:00</time>`,
    );
    expect(html).toContain('时间 · Times: Asia/Shanghai');
    const refreshed = (await status())?.lastSuccessAt as string;
    expect(html).toContain(`<dd>${chinaTime(refreshed)} (Asia/Shanghai)</dd>`);
    expect(html).toContain('<dt>文章 · Articles</dt><dd>37</dd>');
    // Readers given this page still find the feeds.
    for (const [type, label, path] of [
      ['application/rss+xml', 'RSS', '/feeds/tjjy.rss'],
      ['application/atom+xml', 'Atom', '/feeds/tjjy.atom'],
      ['application/feed+json', 'JSON Feed', '/feeds/tjjy.json'],
    ]) {
      expect(html).toContain(
        `<link rel="alternate" type="${type}" title="天津教育 – 天津市教育委员会 (${label})" href="${path}">`,
      );
    }
    expect(html).toContain('href="/opml"');
    expect(html).toContain('<iframe id="preview" src="/widget/tjjy?limit=10"');
    expect(html).toContain('data-path="/feeds/tjjy.rss"');
  });

  it('allows its one script by hash and the preview by origin, nothing else', async () => {
    const response = await get('/feeds/tjjy');
    const csp = response.headers.get('content-security-policy') as string;
    const html = await response.text();
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] as string;
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(script).digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}';`);
    expect(csp).toContain("frame-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('answers from a held view: strong ETag, 304, gzip and brotli, the same with a trailing slash', async () => {
    const first = await get('/feeds/tjjy');
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const body = await first.text();
    expect((await get('/feeds/tjjy', { 'If-None-Match': etag })).status).toBe(304);
    const slash = await get('/feeds/tjjy/');
    expect(slash.headers.get('etag')).toBe(etag);
    expect(await slash.text()).toBe(body);
    const gzip = await rawGet(`${server.url}/feeds/tjjy`, { 'Accept-Encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(body);
    const br = await rawGet(`${server.url}/feeds/tjjy`, { 'Accept-Encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(body);
    expect(br.headers.etag).toBe(etag);
  });

  it('answers 404 in JSON for a feed that does not exist', async () => {
    for (const path of ['/feeds/nope', '/feeds/nope/', '/feeds/tjjy/extra']) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await response.json()).toMatchObject({ error: 'unknown-feed' });
    }
  });

  it('is rendered again after a refresh that adds an article, and shows a hostile title as text', async () => {
    const before = await get('/feeds/tjjy');
    const etag = before.headers.get('etag') as string;
    await before.text();
    const escaped = HOSTILE_IN_HTML;
    const index = join(upstream.root, 'JYXW/TJJY/index.html');
    const list = '<ul class="common-list-right-list">';
    const item = `<li>
        <span class="list-dot">·</span>
        <a href="javascript:void(0);" onclick="isDownLoad(this,'./202412/t20241205_6797200.html')" title="${escaped}">
          <p class="list-content">${escaped}</p>
        </a>
        <p class="list-date">2024-12-05</p>
      </li>`;
    const listing = readFileSync(index, 'utf8');
    expect(listing).toContain(list);
    writeFileSync(index, listing.replace(list, `${list}\n      ${item}`));
    const article = readFileSync(join(upstream.root, 'JYXW/TJJY/202412/t20241204_6797100.html'), 'utf8')
      .replaceAll('我市基础教育扩优提质高质量发展', escaped)
      .replace('2024-12-04 09:00', '2024-12-05 08:30');
    writeFileSync(join(upstream.root, 'JYXW/TJJY/202412/t20241205_6797200.html'), article);

    expect(await server.refresh('tjjy')).toMatchObject({ outcome: 'ok', added: 1 });
    const after = await get('/feeds/tjjy', { 'If-None-Match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const html = await after.text();
    expect(html.match(/<li><h3>/g)).toHaveLength(38);
    // Newest first, the title as text: the page's own script is the only script element.
    expect(html).toContain(
      `<h3><a href="${SECTION}202412/t20241205_6797200.html" rel="noreferrer">&lt;script&gt;alert(1)&lt;/script&gt;新的一条新闻</a></h3>\n<time datetime="2024-12-05T08:30:00+08:00">2024-12-05 08:30</time>`,
    );
    expect(html.indexOf('新的一条新闻')).toBeLessThan(html.indexOf('我市基础教育扩优提质高质量发展'));
    expect(scriptElements(html)).toBe(1);
    expect(html).not.toContain('<script>alert(1)');
  });

  it('shows the last error after a failed run, and its time in the source’s zone', async () => {
    upstream.mode = 'error-500';
    try {
      expect((await server.refresh('tjjy')).outcome).toBe('error');
    } finally {
      upstream.mode = 'normal';
    }
    const html = await page();
    expect(html).toMatch(
      /<dt>上次失败 · Last run failed<\/dt><dd class="error">[^<]*500[^<]*\(1× · \d{4}-\d\d-\d\d \d\d:\d\d \(Asia\/Shanghai\)\)<\/dd>/,
    );
    expect((await server.refresh('tjjy')).outcome).toMatch(/ok|not_modified/);
    expect(await page()).not.toContain('Last run failed');
  });

  it('is linked from the index, whose times are in the source’s zone too', async () => {
    const html = await (await get('/')).text();
    expect(html).toContain('<h2><a href="/feeds/tjjy">天津教育 – 天津市教育委员会</a></h2>');
    const refreshed = (await status())?.lastSuccessAt as string;
    expect(html).toContain(`更新于 · refreshed ${chinaTime(refreshed)} (Asia/Shanghai)`);
    expect(html).not.toContain(refreshed);
  });
});

describe('renderFeedPage', () => {
  it('escapes a hostile configured title everywhere it appears, the embed code included', () => {
    const title = '"><script>alert(1)</script>';
    const html = renderFeedPage({
      source: sectionSource({ title }),
      articles: [],
      status: { sourceId: 'tjjy', consecutiveFailures: 0, articleCount: 0 },
      publicBase: 'https://feeds.example.org',
    });
    expect(scriptElements(html)).toBe(1);
    expect(html).not.toContain(title);
    expect(html).toContain('<h1>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(html).toContain('data-title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    // The code shown is escaped once for the page: a reader copies `title="&quot;&gt;…"`.
    expect(html).toContain('title=&quot;&amp;quot;&amp;gt;&amp;lt;script&amp;gt;');
    expect(html).toContain('暂无文章 · No articles yet');
    expect(html).toContain('尚未成功 · not yet');
  });
});
