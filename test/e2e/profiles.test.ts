import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig } from '@tidings/server';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * A school site on no known CMS: news as cards, a "next page" link instead of numbered pages, and
 * article pages with their own template. Three sources read it: one by detection asked for, one
 * with no profile at all (detection stands in), one by a profile written in the config.
 */
const ARTICLES = [
  { id: 1006, title: '我校学子在全国大学生数学建模竞赛中获佳绩', date: '2024-12-04', time: '16:05' },
  { id: 1005, title: '学校召开2025年度工作谋划会', date: '2024-12-03', time: '09:30' },
  { id: 1004, title: '图书馆“悦读冬日”系列活动启动', date: '2024-12-02', time: '14:00' },
  { id: 1003, title: '学校举行第十二届校园科技文化节闭幕式', date: '2024-11-29', time: '17:20' },
  { id: 1002, title: '化学学院与天津市多家企业签署校企合作协议', date: '2024-11-28', time: '10:10' },
  { id: 1001, title: '学校召开学习贯彻党的二十届三中全会精神宣讲会', date: '2024-11-27', time: '08:45' },
];

function layout(title: string, main: string): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title></head><body>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/xxgk/">学校概况</a></li><li><a href="/xwzx/">新闻中心</a></li><li><a href="/jxky/">教学科研</a></li><li><a href="/zsjy/">招生就业</a></li></ul>
${main}
<div class="footer"><ul class="links"><li><a href="https://www.moe.gov.cn/">教育部</a></li><li><a href="https://jy.tj.gov.cn/">天津市教委</a></li><li><a href="https://www.tj.gov.cn/">天津市政府</a></li></ul></div>
</body></html>`;
}

function listingPage(items: typeof ARTICLES, next: string | undefined): string {
  const cards = items
    .map(
      (item) => `<div class="card"><img src="/images/${item.id}.jpg" alt="">
  <h3><a href="/xwzx/${item.date.slice(0, 4)}/${item.id}.html">${item.title}</a></h3>
  <p class="summary">${item.title}。</p><span class="time">${item.date.replace(/^(\d+)-(\d+)-(\d+)$/, '$1年$2月$3日')}</span></div>`,
    )
    .join('\n');
  const pager = next ? `<div class="pager"><span>上一页</span><a href="${next}">下一页</a></div>` : '';
  return layout('新闻中心-示例大学', `<div class="news-cards">${cards}</div>${pager}`);
}

function articlePage(item: (typeof ARTICLES)[number]): string {
  return layout(
    `${item.title}-示例大学`,
    `<div class="detail"><h1 class="detail-title">${item.title}</h1>
<div class="detail-info">发布时间：${item.date} ${item.time}　来源：党委宣传部</div>
<div class="article-content"><p>　　${item.title}的全文第一段。</p><p>第二段。</p><img src="/images/${item.id}-1.jpg" alt="现场"></div></div>`,
  );
}

describe('sources on a site no profile knows', () => {
  let site: { origin: string; requests: string[]; close: () => Promise<void> };
  let server: TestServer;
  let configDir: string;
  const logs: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const app = express();
    const requests: string[] = [];
    app.use((request, _response, next) => {
      requests.push(request.path);
      next();
    });
    app.get('/robots.txt', (_request, response) => {
      response.type('text').send('User-agent: *\nAllow: /\n');
    });
    app.get('/xwzx/', (_request, response) => {
      response.type('html').send(listingPage(ARTICLES.slice(0, 3), 'list_2.html'));
    });
    app.get('/xwzx/list_2.html', (_request, response) => {
      response.type('html').send(listingPage(ARTICLES.slice(3), undefined));
    });
    app.get('/xwzx/:year/:id.html', (request, response) => {
      const item = ARTICLES.find((article) => String(article.id) === request.params.id);
      if (item) response.type('html').send(articlePage(item));
      else response.sendStatus(404);
    });
    const listener = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => listener.once('listening', () => resolve()));
    const origin = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    site = { origin, requests, close: () => new Promise((resolve) => listener.close(() => resolve())) };

    configDir = mkdtempSync(join(tmpdir(), 'tidings-profiles-'));
    writeFileSync(
      join(configDir, 'tidings.yaml'),
      `sources:
  - id: detected
    url: ${origin}/xwzx/
    profile: auto
    pages: 5
    allowPrivateNetwork: true
  - id: unnamed
    url: ${origin}/xwzx/
    pages: 5
    allowPrivateNetwork: true
  - id: written
    url: ${origin}/xwzx/
    pages: 5
    allowPrivateNetwork: true
    profile:
      name: 示例大学
      list:
        item: div.news-cards > div.card
        title: h3 a
        link: { selector: h3 a, attribute: href }
        date: { selector: span.time, format: yyyy年MM月dd日 }
      pagination:
        next: { selector: .pager a, attribute: href }
      article:
        title: h1.detail-title
        publishedAt: { selector: .detail-info, pattern: '发布时间：(.+?)　' }
        author: { selector: .detail-info, pattern: '来源：(.+)$' }
        body: .article-content
`,
    );
    const { sources } = loadConfig({ file: join(configDir, 'tidings.yaml'), env: {} });
    const logger = createLogger('info', {
      write: (line: string) => {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      },
    });
    server = await startTestServer({ sources }, { logger });
  });

  afterAll(async () => {
    await server?.dispose();
    await site?.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  const feed = async (id: string) =>
    (await (await fetch(`${server.url}/feeds/${id}.json`)).json()) as {
      title: string;
      items: {
        url: string;
        title: string;
        date_published: string;
        content_html: string;
        authors?: { name: string }[];
      }[];
    };

  it.each(['detected', 'unnamed', 'written'])(
    '%s: follows the next links and reads every article page',
    async (id) => {
      const outcome = await server.refresh(id);
      expect(outcome).toMatchObject({
        outcome: 'ok',
        pages: 2,
        listed: 6,
        articlePages: 6,
        articlePageErrors: 0,
      });
      const { items } = await feed(id);
      expect(items.map((item) => [item.title, item.url, item.date_published])).toEqual(
        ARTICLES.map((article) => [
          article.title,
          `${site.origin}/xwzx/${article.date.slice(0, 4)}/${article.id}.html`,
          `${article.date}T${article.time}:00+08:00`,
        ]),
      );
      expect(items[0]?.content_html).toContain('的全文第一段。');
      expect(items[0]?.content_html).toContain(`src="${site.origin}/images/1006-1.jpg"`);
    },
  );

  it('logs what detection chose, once', async () => {
    await server.refresh('detected');
    const chosen = logs.filter(
      (line) => line.msg === 'detected the article list' && line.source === 'detected',
    );
    // Two refreshes of two pages each: the choice is news the first time only.
    expect(chosen).toEqual([
      expect.objectContaining({
        level: 30,
        profile: 'auto',
        chosenBy: 'given',
        item: 'div.news-cards > div.card',
        count: 3,
      }),
    ]);
  });

  it('logs, for a source with no profile, that detection stood in and what it chose', () => {
    const chosen = logs.filter(
      (line) => line.msg === 'detected the article list' && line.source === 'unnamed',
    );
    expect(chosen).toEqual([
      expect.objectContaining({
        level: 30,
        profile: 'auto',
        chosenBy: 'fallback',
        item: 'div.news-cards > div.card',
        count: 3,
        list: expect.objectContaining({ item: 'div.news-cards > div.card' }),
      }),
    ]);
  });
});
