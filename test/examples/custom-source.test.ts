import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../support/server.js';
import { startExample } from './run.js';

/** The saved site's nine articles, both listing pages, with the times their article pages print. */
const ARTICLES = [
  [1212, '我校学生在全国青少年科技创新大赛中获一等奖', '2024-12-04T09:30', '校团委'],
  [1211, '高三年级召开期中质量分析会', '2024-12-03T16:10', '教务处'],
  [1209, '“冬日暖阳”志愿服务活动走进社区', '2024-12-02T14:20', '德育处'],
  [1207, '我校举办第十五届英语戏剧节', '2024-11-29T10:00', '外语教研组'],
  [1205, '市教研室专家来校指导物理学科教学', '2024-11-27T08:45', '教科室'],
  [1203, '初一年级开展“走进海河”研学实践', '2024-11-25T13:30', '初一年级组'],
  [1201, '学校举行冬季消防安全疏散演练', '2024-11-22T15:00', '总务处'],
  [1198, '我校男篮获区中学生篮球联赛冠军', '2024-11-20T17:40', '体育组'],
  [1196, '“书香校园”读书分享会成功举办', '2024-11-18T11:15', '图书馆'],
] as const;

interface JsonFeed {
  title: string;
  items: {
    url: string;
    title: string;
    date_published: string;
    content_html: string;
    content_text: string;
    authors?: { name: string }[];
    tags?: string[];
  }[];
}

describe('examples/custom-source', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tidings-custom-source-'));
  let example: ReturnType<typeof startExample> | undefined;

  afterAll(async () => {
    await example?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves both listing pages, read with the written profile, with their article pages', async () => {
    const port = await freePort();
    example = startExample('custom-source', [], { PORT: String(port), TIDINGS_DATA_DIR: dataDir });
    const base = `http://127.0.0.1:${port}`;

    // The first refresh runs at start.
    const status = await waitFor(async () => {
      const health = (await (await fetch(`${base}/healthz`)).json()) as {
        feeds: { id: string; articles: number; lastSuccessAt: string | null; lastError: string | null }[];
      };
      const feed = health.feeds.find((entry) => entry.id === 'haihe-news');
      return feed?.lastSuccessAt || feed?.lastError ? feed : undefined;
    }, 60_000);
    expect(status).toMatchObject({ articles: 9, lastError: null });

    const response = await fetch(`${base}/feeds/haihe-news.json`);
    expect(response.status).toBe(200);
    const feed = (await response.json()) as JsonFeed;
    expect(feed.title).toBe('新闻中心 – 天津市海河实验中学');
    expect(
      feed.items.map((item) => [item.url, item.title, item.date_published, item.authors?.[0]?.name]),
    ).toEqual(
      ARTICLES.map(([id, title, time, origin]) => [
        `https://www.example-school.edu.cn/xwzx/content/${id}.html`,
        title,
        `${time}:00+08:00`,
        origin,
      ]),
    );
    for (const [index, item] of feed.items.entries()) {
      const id = ARTICLES[index]?.[0];
      // The body of the article page: its paragraph (indent removed) and its image, at the site's URL.
      expect(item.content_html).toMatch(/^<p>1[12]月\d+日/);
      expect(item.content_html).toContain(`src="https://www.example-school.edu.cn/uploads/2024/${id}.jpg"`);
      expect(item.content_text).not.toContain('浏览次数');
      expect(item.tags).toEqual(['新闻中心']);
    }

    const { stdout } = await example.stop();
    expect(stdout).toMatch(
      /"source":"haihe-news".*"pages":2,"listed":9,"articlePages":9,"articlePageErrors":0/,
    );
    expect(stdout).toContain('"msg":"stopped"');
  }, 90_000);
});
