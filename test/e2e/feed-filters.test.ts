// Filters on feed URLs (include, exclude, days, brief, lang) against the 37 articles of the
// snapshot, through the real server: the same for RSS, Atom and JSON, cached and bounded.
import type { FeedFormat } from '@tidings/feeds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEW_LIMITS } from '../../apps/server/src/views/views.js';
import { readers } from '../conformance/readers.js';
import { sectionSource, siteFrom, startTestServer, type TestServer } from '../support/server.js';
import { startUpstream, type Upstream } from '../support/upstream.js';

const FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];
const feedsmith = readers.find((reader) => reader.name === 'feedsmith');
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const graphemes = (text: string) => [...segmenter.segment(text)].length;
const DAY_MS = 86_400_000;

interface JsonItem {
  id: string;
  url: string;
  title: string;
  summary?: string;
  content_text: string;
  content_html: string;
  date_published: string;
  language?: string;
}
interface JsonFeed {
  title: string;
  language: string;
  feed_url: string;
  items: JsonItem[];
}

function metric(text: string, name: string): number {
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
}

describe('filters on feed URLs, over the 37 articles of the snapshot', () => {
  let upstream: Upstream;
  let server: TestServer;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers });
  const json = async (query: string): Promise<JsonFeed> => {
    const response = await get(`/feeds/tjjy.json?${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as JsonFeed;
  };
  /** The ids a real reader (feedsmith) reads from a format of the feed. */
  const ids = async (format: FeedFormat, query: string): Promise<string[]> => {
    const response = await get(`/feeds/tjjy.${format}?${query}`);
    expect(response.status).toBe(200);
    const items = await (feedsmith?.read(await response.text(), format) ?? []);
    return items.map((item) => item.id ?? '');
  };

  beforeAll(async () => {
    upstream = await startUpstream();
    server = await startTestServer(
      { sources: [sectionSource({ pages: 3, fullText: true })], rateLimit: false },
      {
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
    await server?.dispose();
    await upstream?.close();
  });

  it('include=大学 and exclude=大学 split the 37 articles in two, the same in RSS, Atom and JSON', async () => {
    expect(feedsmith).toBeDefined();
    const all = await ids('json', 'limit=50');
    expect(all).toHaveLength(37);
    const split: Record<string, string[]> = {};
    for (const format of FORMATS) {
      const included = await ids(format, 'include=大学&limit=50');
      const excluded = await ids(format, 'exclude=大学&limit=50');
      expect(included.length).toBeGreaterThan(0);
      expect(excluded.length).toBeGreaterThan(0);
      expect(included.length + excluded.length).toBe(37);
      expect(included.filter((id) => excluded.includes(id))).toEqual([]);
      expect(new Set([...included, ...excluded])).toEqual(new Set(all));
      split[format] = included;
    }
    expect(split.rss).toEqual(split.json);
    expect(split.atom).toEqual(split.json);
    // What the filter kept holds the word; what it left does not.
    for (const item of (await json('include=大学&limit=50')).items) {
      expect(`${item.title}\n${item.summary ?? ''}\n${item.content_text}`).toContain('大学');
    }
    for (const item of (await json('exclude=大学&limit=50')).items) {
      expect(`${item.title}\n${item.summary ?? ''}\n${item.content_text}`).not.toContain('大学');
    }
  });

  it('days=N keeps what was published in the last N days', async () => {
    const all = (await json('limit=50')).items;
    const now = Date.now();
    const hour = now - (now % 3_600_000);
    const ages = all.map((item) => (hour - Date.parse(item.date_published)) / DAY_MS);
    const days = Math.ceil([...ages].sort((a, b) => a - b)[Math.floor(ages.length / 2)] as number);
    const expected = all.filter((_, index) => (ages[index] as number) <= days).map((item) => item.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(37);
    expect((await json(`days=${days}&limit=50`)).items.map((item) => item.id)).toEqual(expected);
    expect(await ids('atom', `days=${days}&limit=50`)).toEqual(expected);
  });

  it('brief=N cuts summary and text to N graphemes; the body is the cut text, as paragraphs', async () => {
    const full = (await json('limit=5')).items;
    const brief = (await json('brief=20&limit=5')).items;
    expect(brief.map((item) => item.id)).toEqual(full.map((item) => item.id));
    brief.forEach((item, index) => {
      const whole = full[index] as JsonItem;
      expect(graphemes(item.content_text)).toBeLessThanOrEqual(20);
      expect(item.content_text.endsWith('…')).toBe(graphemes(whole.content_text) > 20);
      expect(whole.content_text.startsWith(item.content_text.replace(/…$/, '').trimEnd())).toBe(true);
      if (item.summary) expect(graphemes(item.summary)).toBeLessThanOrEqual(20);
      expect(item.content_html).toMatch(/^<p>[^<]*<\/p>/);
      expect(item.content_html).not.toContain('<img');
    });
    const rss = await (await get('/feeds/tjjy.rss?brief=20&limit=5')).text();
    const descriptions = [...rss.matchAll(/<item>[\s\S]*?<description>([^<]*)<\/description>/g)];
    expect(descriptions).toHaveLength(5);
    for (const [, description] of descriptions) {
      expect(graphemes(description as string)).toBeLessThanOrEqual(20);
    }
  });

  it('lang=zh-Hant converts titles and text, not links, and says zh-Hant in every format', async () => {
    const simplified = await json('limit=50');
    const traditional = await json('lang=zh-Hant&limit=50');
    const index = simplified.items.findIndex((item) => item.title === '我市基础教育扩优提质高质量发展');
    expect(index).toBeGreaterThanOrEqual(0);
    expect(traditional.items[index]?.title).toBe('我市基礎教育擴優提質高質量發展');
    expect(traditional.items.map((item) => item.url)).toEqual(simplified.items.map((item) => item.url));
    expect(traditional.items.map((item) => item.id)).toEqual(simplified.items.map((item) => item.id));
    expect(traditional.language).toBe('zh-Hant');
    expect(traditional.title).toBe('天津教育 – 天津市教育委員會');
    expect(traditional.items.every((item) => item.language === 'zh-Hant')).toBe(true);
    expect(traditional.items.some((item) => item.content_text.includes('学校'))).toBe(false);
    expect(simplified.items.some((item) => item.content_text.includes('学校'))).toBe(true);
    expect(traditional.items.some((item) => item.content_text.includes('學校'))).toBe(true);
    // Links in the HTML stay as they were.
    const hrefs = (items: JsonItem[]) =>
      items.flatMap((item) => [...item.content_html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]));
    expect(hrefs(traditional.items)).toEqual(hrefs(simplified.items));
    expect(await (await get('/feeds/tjjy.rss?lang=zh-Hant')).text()).toContain(
      '<language>zh-Hant</language>',
    );
    expect(await (await get('/feeds/tjjy.atom?lang=zh-Hant')).text()).toContain('xml:lang="zh-Hant"');
    expect(await (await get('/feeds/tjjy.json?lang=zh-TW&limit=1')).json()).toMatchObject({
      language: 'zh-TW',
    });
  });

  it('combines with q and limit: every option narrows the same view', async () => {
    const searched = (await json('q=教育&limit=50')).items.map((item) => item.id);
    const both = await json('q=教育&include=大学&limit=50');
    expect(both.items.length).toBeGreaterThan(0);
    for (const item of both.items) {
      expect(searched).toContain(item.id);
      expect(`${item.title}\n${item.summary ?? ''}\n${item.content_text}`).toContain('大学');
    }
    const three = await json('include=大学&limit=3&lang=zh-Hant&brief=30');
    expect(three.items.map((item) => item.id)).toEqual(
      (await json('include=大学&limit=50')).items.slice(0, 3).map((item) => item.id),
    );
    expect(three.items.every((item) => graphemes(item.content_text) <= 30)).toBe(true);
    expect(three.language).toBe('zh-Hant');
  });

  it('answers a filtered view from its cache, with an ETag and 304s; the word order makes no new view', async () => {
    const first = await get('/feeds/tjjy.atom?include=大学,天津&exclude=通知');
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^"/);
    const again = await get('/feeds/tjjy.atom?exclude=通知&include=天津,大学');
    expect(again.headers.get('etag')).toBe(etag);
    expect(
      (await get('/feeds/tjjy.atom?include=天津,大学&exclude=通知', { 'if-none-match': etag })).status,
    ).toBe(304);
  });

  it('refuses bad options with a 400 that says what to write', async () => {
    const cases: [string, string, RegExp][] = [
      ['exlude=大学', 'unknown-option', /did you mean exclude\?/],
      [
        `include=${Array.from({ length: 21 }, (_, n) => `w${n}`).join(',')}`,
        'bad-include',
        /at most 20 words/,
      ],
      [`include=${'字'.repeat(65)}`, 'bad-include', /longer than 64 characters/],
      ['days=0', 'bad-days', /from 1 to 3650/],
      ['brief=5', 'bad-brief', /from 10 to 10000/],
      ['lang=zh-CN', 'bad-lang', /zh-Hant, zh-TW, zh-HK/],
    ];
    for (const format of FORMATS) {
      for (const [query, code, message] of cases) {
        const response = await get(`/feeds/tjjy.${format}?${query}`);
        expect(response.status, query).toBe(400);
        const body = (await response.json()) as { error: string; message: string };
        expect(body.error).toBe(code);
        expect(body.message).toMatch(message);
      }
    }
  });

  it('many distinct filter strings keep the views held bounded by the caches, not by clients', async () => {
    const heldBefore = metric(await (await get('/metrics')).text(), 'tidings_views_held');
    const flood = VIEW_LIMITS.searches.entries + 200;
    for (let n = 0; n < flood; n++) {
      const response = await get(`/feeds/tjjy.json?include=${encodeURIComponent(`天津${n}`)}&exclude=x${n}`);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    const metrics = await (await get('/metrics')).text();
    const held = metric(metrics, 'tidings_views_held');
    // The searches' cache filled up and stopped there; the variants held before were not pushed out.
    expect(held).toBeGreaterThanOrEqual(VIEW_LIMITS.searches.entries);
    expect(held).toBeLessThanOrEqual(heldBefore + VIEW_LIMITS.searches.entries);
    expect(metric(metrics, 'tidings_view_bytes_held')).toBeLessThanOrEqual(
      VIEW_LIMITS.variants.bytes + VIEW_LIMITS.searches.bytes,
    );
  }, 60_000);
});
