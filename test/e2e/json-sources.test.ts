import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@tidings/server';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { writeConfig } from '../support/write-config.js';

interface ApiArticle {
  id: number;
  title: string;
  url: string;
  publishTime: string;
  source: string;
}

const pageOf = (n: number) =>
  JSON.parse(readFileSync(`${FIXTURES}json/article-list-page${n}.json`, 'utf8')) as {
    data: { list: ApiArticle[] };
  };
const ARTICLES = [1, 2].flatMap((n) => pageOf(n).data.list);

/**
 * A school site whose news page is an empty shell its script fills from a JSON endpoint, two
 * pages of four; article pages are plain HTML.
 */
async function startSchoolSite() {
  const app = express();
  const requests: string[] = [];
  app.use((request, _response, next) => {
    requests.push(request.originalUrl);
    next();
  });
  app.get('/robots.txt', (_request, response) => {
    response.type('text').send('User-agent: *\nAllow: /\n');
  });
  app.get('/xwzx/', (_request, response) => {
    response
      .type('html')
      .send(
        '<!DOCTYPE html><html><body><div id="news"></div><script src="/js/news.js"></script></body></html>',
      );
  });
  app.get('/api/cms/article/list', (request, response) => {
    const n = Number(request.query.pageNum);
    if (request.query.pageSize !== '4' || (n !== 1 && n !== 2)) {
      response.status(404).json({ code: 404, msg: '无数据' });
      return;
    }
    response.type('application/json').send(readFileSync(`${FIXTURES}json/article-list-page${n}.json`));
  });
  app.get('/xwzx/:year/:id.html', (request, response) => {
    const item = ARTICLES.find((article) => String(article.id) === request.params.id);
    if (!item) {
      response.sendStatus(404);
      return;
    }
    response.type('html').send(`<!DOCTYPE html><html><head><title>${item.title}_示例学校</title></head><body>
<h1 class="detail-title">${item.title}</h1><div class="detail-info">发布时间：${item.publishTime}　来源：${item.source}</div>
<div class="article-content"><p>${item.title}的全文第一段。</p><p>第二段。</p></div></body></html>`);
  });
  const listener = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => listener.once('listening', () => resolve()));
  const origin = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  return { origin, requests, close: () => new Promise<void>((resolve) => listener.close(() => resolve())) };
}

const jsonSource = (id: string, origin: string, items: string) => `  - id: ${id}
    url: ${origin}/xwzx/
    pages: 5
    allowPrivateNetwork: true
    profile:
      name: 示例学校
      list:
        json: { items: ${items}, title: title, link: url, date: publishTime, content: summary }
      api:
        url: /api/cms/article/list?pageNum={n}&pageSize=4
        totalPages: data.pages
`;

describe('a source read from a JSON endpoint', () => {
  let site: Awaited<ReturnType<typeof startSchoolSite>>;
  let server: TestServer;
  let config: { file: string; remove: () => void };

  beforeAll(async () => {
    site = await startSchoolSite();
    config = writeConfig(
      `sources:\n${jsonSource('school', site.origin, 'data.list')}${jsonSource('misspelt', site.origin, 'data.lsit')}`,
    );
    const { sources } = loadConfig({ file: config.file, env: {} });
    server = await startTestServer({ sources }, { fetcher: { perHostDelayMs: 0 } });
  });

  afterAll(async () => {
    await server?.dispose();
    await site?.close();
    config?.remove();
  });

  it('fetches the endpoint page by page, parses, reads each article page and stores them', async () => {
    const outcome = await server.refresh('school');
    expect(outcome).toMatchObject({
      outcome: 'ok',
      pages: 2,
      listed: 7,
      articlePages: 7,
      articlePageErrors: 0,
    });
    const feed = (await (await fetch(`${server.url}/feeds/school.json`)).json()) as {
      items: {
        url: string;
        title: string;
        date_published: string;
        content_html: string;
        authors?: { name: string }[];
      }[];
    };
    expect(feed.items.map((item) => [item.title, item.url, item.date_published])).toEqual(
      ARTICLES.map((article) => [
        article.title,
        `${site.origin}${article.url}`,
        `${article.publishTime.replace(' ', 'T')}+08:00`,
      ]),
    );
    expect(feed.items[0]?.content_html).toContain('的全文第一段。');
    // The page is the feed's link; only the endpoint and the articles are fetched.
    expect(site.requests).not.toContain('/xwzx/');
    expect(site.requests.filter((path) => path.startsWith('/api/'))).toEqual([
      '/api/cms/article/list?pageNum=1&pageSize=4',
      '/api/cms/article/list?pageNum=2&pageSize=4',
    ]);
  });

  it('a wrong items path fails the refresh with an error naming it, shown in /healthz', async () => {
    const outcome = await server.refresh('misspelt');
    expect(outcome.outcome).toBe('error');
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as {
      feeds: { id: string; lastError: string | null }[];
    };
    const lastError = health.feeds.find((feed) => feed.id === 'misspelt')?.lastError;
    expect(lastError).toContain('LayoutError: Profile "misspelt": list.json.items "data.lsit" finds nothing');
    expect(lastError).toContain('"data" has no "lsit" (did you mean "data.list"?)');
  });

  it('a wrong key in the JSON rules stops the config with a did-you-mean hint', () => {
    const typo = writeConfig(
      `sources:\n${jsonSource('school', site.origin, 'data.list').replace('{ items:', '{ item:')}`,
    );
    try {
      let error: unknown;
      try {
        loadConfig({ file: typo.file, env: {} });
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toMatchObject({ name: 'ConfigError', code: 'invalid-config' });
      expect((error as Error).message).toContain(
        'sources[0].profile.list.json.item: unknown key (did you mean "items"?)',
      );
    } finally {
      typo.remove();
    }
  });
});
