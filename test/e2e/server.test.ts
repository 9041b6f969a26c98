import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createLogger, type ServerConfig, startServer, type TidingsServer } from '@tidings/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sectionSource, siteFrom } from '../support/server.js';
import { startUpstream, type Upstream } from '../support/upstream.js';

const SITE = 'https://jy.tj.gov.cn';
const SECTION = `${SITE}/JYXW/TJJY/`;
const silent = createLogger('silent');

interface JsonFeed {
  title: string;
  items: { id: string; url?: string; title: string; content_html: string; date_published: string }[];
}

describe('the feed server, walked through time against a local copy of the site', () => {
  let upstream: Upstream;
  let dataDir: string;
  let server: TidingsServer;
  const source = sectionSource({ pages: 3, fullText: true });
  const config = (): ServerConfig => ({ sources: [source], port: 0, dataDir });

  const start = () =>
    startServer(config(), {
      logger: silent,
      schedule: false,
      host: '127.0.0.1',
      fetcher: {
        // The site's own URLs, answered by the local copy.
        resolveUrl: siteFrom(upstream.origin),
        timeoutMs: 1_000,
        retries: 1,
        retryBaseMs: 10,
        perHostDelayMs: 0,
        perHostConcurrency: 4,
      },
    });
  const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers });
  const feed = async (): Promise<JsonFeed> => (await (await get('/feeds/tjjy.json')).json()) as JsonFeed;
  const health = async () =>
    (
      (await (await get('/healthz')).json()) as {
        feeds: { id: string; lastError: string | null; consecutiveFailures: number }[];
      }
    ).feeds[0];

  beforeAll(async () => {
    upstream = await startUpstream();
    dataDir = mkdtempSync(join(tmpdir(), 'tidings-e2e-'));
    server = await start();
  });

  afterAll(async () => {
    await server?.close();
    await upstream?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('first refresh: all 37 articles with their full text, in all three formats', async () => {
    const outcome = await server.refresh('tjjy');
    expect(outcome).toMatchObject({
      outcome: 'ok',
      pages: 3,
      listed: 37,
      articlePages: 37,
      articlePageErrors: 0,
      added: 37,
    });
    const json = await feed();
    expect(json.items).toHaveLength(37);
    expect(json.title).toBe('天津教育 – 天津市教育委员会');
    // Newest first, by the exact time each article page gives.
    const times = json.items.map((item) => Date.parse(item.date_published));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const first = json.items.find((item) => item.id === `${SECTION}202412/t20241204_6797100.html`);
    expect(first).toMatchObject({
      title: '我市基础教育扩优提质高质量发展',
      date_published: '2024-12-04T09:00:00+08:00',
    });
    // Full text from the article page: paragraphs, not the listing's one-line copy.
    expect(first?.content_html.match(/<p>/g)?.length).toBeGreaterThan(3);
    const rss = await get('/feeds/tjjy.rss');
    expect(rss.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect((await rss.text()).match(/<item>/g)).toHaveLength(37);
    const atom = await get('/feeds/tjjy.atom');
    expect(atom.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect((await atom.text()).match(/<entry/g)).toHaveLength(37);
  });

  it('an unchanged site is not read again: page 1 answers 304, nothing is written', async () => {
    const before = upstream.requests.length;
    const outcome = await server.refresh('tjjy');
    expect(outcome).toMatchObject({ outcome: 'not_modified', changed: false });
    expect(upstream.requests.slice(before)).toEqual(['/JYXW/TJJY/']);
  });

  it('the site gains an item: it comes first, the article that fell off the listing stays', async () => {
    const index = join(upstream.root, 'JYXW/TJJY/index.html');
    const page = readFileSync(index, 'utf8');
    const newItem = `<li>
        <span class="list-dot">·</span>
        <a href="javascript:void(0);" onclick="isDownLoad(this,'./202412/t20241205_6797200.html')" title="新的一条新闻">
          <p class="list-content">新的一条新闻</p>
        </a>
        <p class="list-date">2024-12-05</p>
      </li>
      `;
    const list = '<ul class="common-list-right-list">';
    writeFileSync(index, page.replace(list, `${list}\n      ${newItem}`));
    const article = readFileSync(join(upstream.root, 'JYXW/TJJY/202412/t20241204_6797100.html'), 'utf8')
      .replaceAll('我市基础教育扩优提质高质量发展', '新的一条新闻')
      .replace('2024-12-04 09:00', '2024-12-05 08:30');
    writeFileSync(join(upstream.root, 'JYXW/TJJY/202412/t20241205_6797200.html'), article);
    // The oldest item leaves the listing, as it would on a real site.
    const last = join(upstream.root, 'JYXW/TJJY/index_2.html');
    writeFileSync(
      last,
      readFileSync(last, 'utf8').replace(/<li>(?:(?!<\/li>)[\s\S])*t20241118_6796848[\s\S]*?<\/li>/, ''),
    );

    const outcome = await server.refresh('tjjy');
    expect(outcome).toMatchObject({ outcome: 'ok', listed: 37, articlePages: 1, added: 1 });
    const json = await feed();
    expect(json.items).toHaveLength(38);
    expect(json.items[0]).toMatchObject({
      title: '新的一条新闻',
      date_published: '2024-12-05T08:30:00+08:00',
    });
    expect(json.items.some((item) => item.url?.endsWith('t20241118_6796848.html'))).toBe(true);
  });

  it.each([
    ['error-500', /500/],
    ['hang', /timed out|timeout/i],
    ['garbage', /DecodeError|binary|undecodable/],
    ['redesign', /LayoutError|no articles|found no articles/],
  ] as const)(
    'the site fails (%s): the last good feed is served and the status says why',
    async (mode, message) => {
      const { etag } = Object.fromEntries((await get('/feeds/tjjy.rss')).headers) as { etag: string };
      upstream.mode = mode;
      try {
        const outcome = await server.refresh('tjjy');
        expect(outcome.outcome).toBe('error');
      } finally {
        upstream.mode = 'normal';
      }
      const status = await health();
      expect(status?.lastError).toMatch(message);
      expect(status?.consecutiveFailures).toBeGreaterThanOrEqual(1);
      expect((await feed()).items).toHaveLength(38);
      expect((await get('/feeds/tjjy.rss')).headers.get('etag')).toBe(etag);
      expect(await (await get('/metrics')).text()).toMatch(
        /tidings_refreshes_total\{source="tjjy",outcome="error"\} [1-9]/,
      );
    },
  );

  it('the site recovers: the next refresh succeeds and clears the error', async () => {
    const outcome = await server.refresh('tjjy');
    expect(['ok', 'not_modified']).toContain(outcome.outcome);
    expect(await health()).toMatchObject({ lastError: null, consecutiveFailures: 0 });
    expect((await feed()).items).toHaveLength(38);
  });

  it('answers 304 for a matching If-None-Match, and keeps the ETag across a restart', async () => {
    const first = await get('/feeds/tjjy.atom');
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await get('/feeds/tjjy.atom', { 'If-None-Match': etag })).status).toBe(304);
    expect((await get('/feeds/tjjy.atom', { 'If-None-Match': `W/${etag}` })).status).toBe(304);
    const lastModified = first.headers.get('last-modified') as string;
    expect((await get('/feeds/tjjy.atom', { 'If-Modified-Since': lastModified })).status).toBe(304);

    await server.close();
    server = await start();
    const again = await get('/feeds/tjjy.atom', { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect((await get('/feeds/tjjy.atom')).headers.get('etag')).toBe(etag);
    expect((await feed()).items).toHaveLength(38);
  });

  it('serves compressed bodies held ready, with the caching headers readers and CDNs need', async () => {
    const plain = await get('/feeds/tjjy.json', { 'Accept-Encoding': 'identity' });
    const body = Buffer.from(await plain.arrayBuffer());
    const raw = await new Promise<{ headers: Record<string, string>; body: Buffer }>((resolve, reject) => {
      import('node:http').then(({ get: httpGet }) => {
        httpGet(`${server.url}/feeds/tjjy.json`, { headers: { 'Accept-Encoding': 'gzip' } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ headers: response.headers as Record<string, string>, body: Buffer.concat(chunks) }),
          );
        }).on('error', reject);
      }, reject);
    });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(raw.body).equals(body)).toBe(true);
    expect(plain.headers.get('vary')).toBe('Accept-Encoding');
    expect(plain.headers.get('access-control-allow-origin')).toBe('*');
    expect(plain.headers.get('cache-control')).toBe(
      'public, max-age=1800, stale-while-revalidate=3600, stale-if-error=86400',
    );
  });

  it('limit, q and the other routes', async () => {
    const limited = (await (await get('/feeds/tjjy.json?limit=5')).json()) as JsonFeed;
    expect(limited.items).toHaveLength(5);
    const capped = (await (await get('/feeds/tjjy.json?limit=100000')).json()) as JsonFeed;
    expect(capped.items).toHaveLength(38);
    const found = (await (
      await get(`/feeds/tjjy.json?q=${encodeURIComponent('南开大学')}`)
    ).json()) as JsonFeed;
    expect(found.items.length).toBeGreaterThan(0);
    expect(found.items.every((item) => /南开大学/.test(item.title + item.content_html))).toBe(true);
    const literal = (await (await get('/feeds/tjjy.json?q=.*')).json()) as JsonFeed;
    expect(literal.items).toHaveLength(0);
    expect((await get('/feeds/tjjy.json?limit=-1')).status).toBe(400);

    const missing = await get('/feeds/nope.rss');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'unknown-feed' });

    const index = await get('/');
    const html = await index.text();
    expect(index.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).toContain('<link rel="alternate" type="application/rss+xml"');
    expect(html).toContain('/feeds/tjjy.atom');
    expect(html).toContain('天津教育 – 天津市教育委员会');
    expect(await (await get('/opml')).text()).toContain('xmlUrl="http://127.0.0.1:');
    expect((await get('/feed.xsl')).headers.get('content-type')).toMatch(/xsl/);
  });

  // Last: it leaves the site retitled.
  it('an item retitled while its page cannot be read keeps the body and images its page gave', async () => {
    const id = `${SECTION}202412/t20241204_6797100.html`;
    const before = (await feed()).items.find((item) => item.id === id);
    expect(before?.content_html).toContain('<img');
    const index = join(upstream.root, 'JYXW/TJJY/index.html');
    const title = '我市基础教育扩优提质高质量发展';
    writeFileSync(index, readFileSync(index, 'utf8').replaceAll(title, `${title}（图）`));
    const page = join(upstream.root, 'JYXW/TJJY/202412/t20241204_6797100.html');
    const saved = readFileSync(page);
    rmSync(page);
    try {
      const outcome = await server.refresh('tjjy');
      expect(outcome).toMatchObject({ outcome: 'ok', articlePages: 1, articlePageErrors: 1 });
    } finally {
      writeFileSync(page, saved);
    }
    const after = (await feed()).items.find((item) => item.id === id);
    expect(after?.title).toBe(`${title}（图）`);
    expect(after?.content_html).toBe(before?.content_html);
    expect(after?.date_published).toBe(before?.date_published);
  });
});
