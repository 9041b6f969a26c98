// Derived feeds (the config's `feeds:`): a source's articles chosen by literal words, or converted
// to Traditional Chinese, served as feeds of their own — ETags, self links, page, widget, index,
// OPML — and rendered again only when what they hold changes.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeConfig } from '../../../test/support/write-config.js';
import { loadConfig } from '../src/config/load.js';
import { ConfigError } from '../src/errors.js';
import {
  type AdminServer,
  type LocalSite,
  type SiteItem,
  siteItems,
  startAdminServer,
  startLocalSite,
  TOKEN,
} from './admin-support.js';

interface JsonFeed {
  title: string;
  feed_url: string;
  language: string;
  items: { id: string; title: string }[];
}

/** Twelve notices, of which 3, 6, 9 and 12 are about admissions (招生). */
function items(): SiteItem[] {
  return siteItems(12).map((item) =>
    item.n % 3 === 0 ? { ...item, short: `招生 ${item.n}`, full: `关于第 ${item.n} 期招生工作的通知` } : item,
  );
}

function configText(site: LocalSite, feeds: string): string {
  return `sources:
  - id: school
    url: ${site.listing}
    allowPrivateNetwork: true
    fullText: false
    refresh: 1h
  - id: other
    url: ${site.listing}
    enabled: false
${feeds}`;
}

const FEEDS = `feeds:
  - id: school-zhaosheng
    source: school
    include: [招生]
    title: 学校新闻 · 招生
  - id: school-hant
    source: school
    exclude: [招生]
    lang: zh-Hant
`;

describe('derived feeds', () => {
  let site: LocalSite;
  let admin: AdminServer;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(admin.base + path, { headers });
  const feed = async (id: string, query = ''): Promise<JsonFeed> => {
    const response = await get(`/feeds/${id}.json${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as JsonFeed;
  };
  const etag = async (path: string) => (await get(path)).headers.get('etag');

  beforeAll(async () => {
    site = await startLocalSite(items());
    admin = await startAdminServer(configText(site, FEEDS), { TIDINGS_ADMIN_TOKEN: TOKEN });
    await admin.server.refresh('school');
  });

  afterAll(async () => {
    await admin?.dispose();
    await site?.close();
  });

  it('serves what its words keep, in every format, with its own title, self link, Atom id and ETag', async () => {
    const derived = await feed('school-zhaosheng');
    expect(derived.title).toBe('学校新闻 · 招生');
    expect(derived.feed_url).toMatch(/^http:\/\/[^/]+\/feeds\/school-zhaosheng\.json$/);
    expect(derived.items.map((item) => item.title)).toEqual([
      '关于第 12 期招生工作的通知',
      '关于第 9 期招生工作的通知',
      '关于第 6 期招生工作的通知',
      '关于第 3 期招生工作的通知',
    ]);
    const atom = await (await get('/feeds/school-zhaosheng.atom')).text();
    expect(atom).toMatch(/<id>http:\/\/[^<]+\/feeds\/school-zhaosheng\.atom<\/id>/);
    expect(atom).toContain('<title type="text">学校新闻 · 招生</title>');
    const rss = await (await get('/feeds/school-zhaosheng.rss')).text();
    expect(rss).toMatch(
      /<atom:link rel="self" type="application\/rss\+xml" href="http:\/\/[^"]+\/feeds\/school-zhaosheng\.rss"/,
    );
    expect(rss.match(/<item>/g)).toHaveLength(4);
    const own = await etag('/feeds/school-zhaosheng.json');
    expect(own).toMatch(/^"/);
    expect(own).not.toBe(await etag('/feeds/school.json'));
    expect((await get('/feeds/school-zhaosheng.json', { 'if-none-match': own as string })).status).toBe(304);
    expect((await feed('school')).items).toHaveLength(12);
  });

  it('converts to Traditional Chinese when it says lang, and URL filters apply on top of its own', async () => {
    const hant = await feed('school-hant');
    expect(hant.language).toBe('zh-Hant');
    expect(hant.items).toHaveLength(8);
    expect(hant.items[0]?.title).toBe('關於第 11 期校園活動安排的通知');
    const narrowed = await feed('school-zhaosheng', '?exclude=12&limit=2');
    expect(narrowed.items.map((item) => item.title)).toEqual([
      '关于第 9 期招生工作的通知',
      '关于第 6 期招生工作的通知',
    ]);
    expect((await feed('school-zhaosheng', '?lang=zh-Hant')).items[0]?.title).toBe(
      '關於第 12 期招生工作的通知',
    );
  });

  it('has its own page and widget, and is listed on the index page and in OPML', async () => {
    const page = await (await get('/feeds/school-zhaosheng')).text();
    expect(page).toContain('<title>学校新闻 · 招生 · Tidings</title>');
    expect(page).toContain('href="/feeds/school-zhaosheng.atom"');
    expect(page).toContain('/widget/school-zhaosheng?limit=10');
    expect(page).toContain('关于第 12 期招生工作的通知');
    expect(page).not.toContain('关于第 11 期校园活动安排的通知');
    const widget = await (await get('/widget/school-zhaosheng')).text();
    expect(widget.match(/<li>/g)).toHaveLength(4);
    expect(widget).toContain('关于第 3 期招生工作的通知');
    const hantWidget = await (await get('/widget/school-hant')).text();
    expect(hantWidget).toContain('<html lang="zh-Hant">');
    expect(hantWidget).toContain('關於第 11 期校園活動安排的通知');
    const index = await (await get('/')).text();
    expect(index).toContain('href="/feeds/school-zhaosheng"');
    expect(index).toContain('href="/feeds/school-zhaosheng.rss"');
    expect(index).toContain('href="/feeds/school-hant.json"');
    const opml = await (await get('/opml')).text();
    expect(opml).toMatch(/xmlUrl="http:\/\/[^"]+\/feeds\/school-zhaosheng\.rss"/);
    expect(opml).toMatch(/xmlUrl="http:\/\/[^"]+\/feeds\/school-hant\.rss"/);
  });

  it('is rendered again when a refresh adds an article it keeps, and not for one it does not', async () => {
    const before = await etag('/feeds/school-zhaosheng.json');
    const sourceBefore = await etag('/feeds/school.json');
    site.items = [{ n: 13, short: '招生 13', full: '2027年招生简章', date: '2026-11-30' }, ...site.items];
    expect(await admin.server.refresh('school')).toMatchObject({ outcome: 'ok', added: 1 });
    const matching = await etag('/feeds/school-zhaosheng.json');
    expect(matching).not.toBe(before);
    expect((await feed('school-zhaosheng')).items[0]?.title).toBe('2027年招生简章');
    expect(await etag('/feeds/school.json')).not.toBe(sourceBefore);

    const sourceNow = await etag('/feeds/school.json');
    site.items = [
      { n: 14, short: '运动会', full: '第十四届校园运动会开幕', date: '2026-11-30' },
      ...site.items,
    ];
    expect(await admin.server.refresh('school')).toMatchObject({ outcome: 'ok', added: 1 });
    expect(await etag('/feeds/school.json')).not.toBe(sourceNow);
    expect(await etag('/feeds/school-zhaosheng.json')).toBe(matching);
  });

  it('keeps a source that derived feeds read: removing it alone is refused, removing both takes their routes', async () => {
    const removed = await admin.call('DELETE', '/api/sources/school');
    expect(removed.status).toBe(400);
    expect(removed.body.message).toContain('feeds[0].source: "school" is not a configured source');
    expect((await get('/feeds/school-zhaosheng.rss')).status).toBe(200);

    const text = readFileSync(admin.file, 'utf8');
    writeFileSync(admin.file, text.replace(/ {2}- id: school-hant[\s\S]*$/, ''));
    expect(await admin.server.reload('test')).toMatchObject({ ok: true });
    expect((await get('/feeds/school-hant.json')).status).toBe(404);
    expect((await get('/feeds/school-hant')).status).toBe(404);
    expect((await get('/widget/school-hant')).status).toBe(404);
    expect((await get('/feeds/school-zhaosheng.json')).status).toBe(200);
    expect(await (await get('/')).text()).not.toContain('school-hant');
  });
});

describe('derived feeds in the config file', () => {
  const problems = (yaml: string): string => {
    const { file, remove } = writeConfig(yaml);
    try {
      loadConfig({ file, env: {} });
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    } finally {
      remove();
    }
    throw new Error('the config loaded');
  };
  const source = `sources:
  - id: tjjy
    url: https://jy.tj.gov.cn/JYXW/TJJY/
`;

  it('are read with words folded, and typed', () => {
    const { file, remove } = writeConfig(
      `${source}feeds:\n  - { id: tjjy-zhaosheng, source: tjjy, include: [招生, ＡＩ], exclude: 广告, days: 30, lang: zh-hant }\n`,
    );
    try {
      expect(loadConfig({ file, env: {} }).feeds).toEqual([
        {
          id: 'tjjy-zhaosheng',
          source: 'tjjy',
          filter: { include: ['招生', 'ai'], exclude: ['广告'], days: 30 },
          lang: 'zh-Hant',
        },
      ]);
    } finally {
      remove();
    }
  });

  it('fail with a clear message for an unknown source, a taken id, a misspelt key or a bad value', () => {
    expect(
      problems(`${source}feeds:\n  - { id: tjjy-zhaosheng, source: tjjj, include: [招生] }\n`),
    ).toContain('feeds[0].source: "tjjj" is not a configured source (did you mean "tjjy"?)');
    expect(problems(`${source}feeds:\n  - { id: tjjy, source: tjjy }\n`)).toContain(
      'feeds[0].id: "tjjy" is already the id of a source',
    );
    expect(problems(`${source}feeds:\n  - { id: a, source: tjjy }\n  - { id: a, source: tjjy }\n`)).toContain(
      'feeds[1].id: "a" is already the id of feeds[0]',
    );
    expect(problems(`${source}feeds:\n  - { id: a, source: tjjy, includ: [招生] }\n`)).toContain(
      'feeds[0].includ: unknown key (did you mean "include"?)',
    );
    expect(problems(`${source}feeds:\n  - { id: a, source: tjjy, lang: zh-CN }\n`)).toContain(
      'feeds[0].lang: "zh-CN" is not a language a feed converts to (zh-Hant, zh-TW, zh-HK',
    );
    expect(
      problems(`${source}feeds:\n  - { id: a, source: tjjy, include: ["${'字'.repeat(65)}"] }\n`),
    ).toContain('is longer than 64 characters');
  });
});
