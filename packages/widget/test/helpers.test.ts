import { describe, expect, it } from 'vitest';
import { formatDate, sourceDate } from '../src/dates.js';
import { excerpt, parseFeed } from '../src/feed.js';
import { messages } from '../src/messages.js';
import { maxAge, normalizeLang, parseFlag, parseLimit, refreshDelay } from '../src/options.js';
import { safeUrl } from '../src/safe-url.js';
import { buildView, type ViewOptions } from '../src/view.js';

const FEED_URL = 'https://feeds.example.org/feeds/demo.json';
const DAY = 86_400_000;

describe('dates: the source calendar day, in the viewer language', () => {
  it('keeps the day the source wrote, whatever the instant is in UTC', () => {
    // 00:30 in Beijing is still 3 December in UTC: the source says the 4th.
    expect(formatDate('2024-12-04T00:30:00+08:00', 'zh-CN', false, 0)?.text).toBe('2024年12月4日');
    expect(formatDate('2024-12-04T23:30:00-05:00', 'zh-CN', false, 0)?.text).toBe('2024年12月4日');
    expect(formatDate('2024-12-04T09:00:00+08:00', 'en', false, 0)?.text).toBe('December 4, 2024');
    expect(formatDate('2024-12-04', 'zh-CN', false, 0)?.text).toBe('2024年12月4日');
  });

  it('keeps the original string for datetime and gives no tooltip to an absolute date', () => {
    expect(formatDate('2024-12-04T09:00:00+08:00', 'zh-CN', false, 0)).toEqual({
      datetime: '2024-12-04T09:00:00+08:00',
      text: '2024年12月4日',
      title: null,
    });
  });

  it('reads offsets, Z and bare dates', () => {
    expect(sourceDate('2024-12-04T09:00:00+08:00')).toEqual({
      day: Date.UTC(2024, 11, 4) / DAY,
      offset: 480,
    });
    expect(sourceDate('2024-12-04T09:00:00.123Z')?.offset).toBe(0);
    expect(sourceDate('2024-12-04T09:00-0330')?.offset).toBe(-210);
    expect(sourceDate('2024-12-04')?.offset).toBeNull();
  });

  it('rejects what is not a date', () => {
    for (const value of [
      'garbage',
      '2024-02-30T00:00:00Z',
      '2024-13-01',
      '2024-00-10',
      'Wed, 04 Dec 2024 09:00:00 +0800',
    ]) {
      expect(sourceDate(value), value).toBeNull();
      expect(formatDate(value, 'zh-CN', false, 0), value).toBeNull();
    }
  });

  it('counts relative dates in whole days as the source counts them', () => {
    const published = '2024-12-04T23:00:00+08:00';
    // 7 December 01:00 in Beijing (still the 6th in UTC): three days later for the source.
    const now = Date.parse('2024-12-07T01:00:00+08:00');
    expect(formatDate(published, 'zh-CN', true, now)).toEqual({
      datetime: published,
      text: '3天前',
      title: '2024年12月4日',
    });
    expect(formatDate(published, 'en', true, now)?.text).toBe('3 days ago');
    expect(formatDate(published, 'zh-CN', true, Date.parse('2024-12-04T23:59:00+08:00'))?.text).toBe('今天');
    expect(formatDate(published, 'zh-CN', true, Date.parse('2024-12-05T00:01:00+08:00'))?.text).toBe('昨天');
    expect(formatDate(published, 'en', true, Date.parse('2025-02-10T12:00:00+08:00'))?.text).toBe(
      '2 months ago',
    );
    expect(formatDate(published, 'zh-CN', true, Date.parse('2026-12-10T12:00:00+08:00'))?.text).toBe('2年前');
    // A clock behind the source: not "in 2 days".
    expect(formatDate(published, 'en', true, Date.parse('2024-12-02T12:00:00+08:00'))?.text).toBe('today');
  });
});

describe('safeUrl', () => {
  it('keeps http(s), resolved against the feed', () => {
    expect(safeUrl('https://example.org/a?b#c', FEED_URL)).toBe('https://example.org/a?b#c');
    expect(safeUrl('/news/1.html', FEED_URL)).toBe('https://feeds.example.org/news/1.html');
    expect(safeUrl('  http://example.org/ ', FEED_URL)).toBe('http://example.org/');
  });

  it('drops every other scheme and non-strings', () => {
    for (const value of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'mailto:a@example.org',
      'blob:https://example.org/x',
      'http://[bad',
      '',
      '   ',
      42,
      null,
      undefined,
      {},
    ]) {
      expect(safeUrl(value, FEED_URL), String(value)).toBeNull();
    }
    expect(safeUrl('/relative', 'not a base')).toBeNull();
  });
});

describe('attributes', () => {
  it('clamps limit to 1..100, default 10', () => {
    expect(parseLimit(null)).toBe(10);
    expect(parseLimit('')).toBe(10);
    expect(parseLimit('abc')).toBe(10);
    expect(parseLimit('5')).toBe(5);
    expect(parseLimit(' 7 ')).toBe(7);
    expect(parseLimit('5.9')).toBe(5);
    expect(parseLimit('0')).toBe(1);
    expect(parseLimit('-3')).toBe(1);
    expect(parseLimit('1000')).toBe(100);
  });

  it('reads boolean attributes: present is on unless it says false', () => {
    expect(parseFlag(null)).toBe(false);
    expect(parseFlag(null, true)).toBe(true);
    expect(parseFlag('')).toBe(true);
    expect(parseFlag('show-summary')).toBe(true);
    expect(parseFlag('true')).toBe(true);
    for (const off of ['false', 'FALSE', ' 0 ', 'no', 'off']) expect(parseFlag(off, true), off).toBe(false);
  });

  it('reads max-age, not s-maxage', () => {
    expect(maxAge('public, max-age=900, stale-while-revalidate=1800, stale-if-error=86400')).toBe(900);
    expect(maxAge('MAX-AGE="120"')).toBe(120);
    expect(maxAge('s-maxage=600')).toBeNull();
    expect(maxAge('no-store')).toBeNull();
    expect(maxAge(null)).toBeNull();
  });

  it('turns refresh into a delay in seconds', () => {
    expect(refreshDelay(null, 'max-age=900')).toBeNull();
    expect(refreshDelay('false', 'max-age=900')).toBeNull();
    expect(refreshDelay('', 'public, max-age=900')).toBe(900);
    expect(refreshDelay('true', 'max-age=5')).toBe(60);
    expect(refreshDelay('', 'max-age=0, no-cache')).toBe(60);
    expect(refreshDelay('', null)).toBe(300);
    expect(refreshDelay('', 'max-age=31536000')).toBe(86_400);
    expect(refreshDelay('120', 'max-age=900')).toBe(120);
    expect(refreshDelay('1', null)).toBe(10);
  });

  it('normalises the language, defaulting to zh-CN', () => {
    expect(normalizeLang('zh-cn')).toBe('zh-CN');
    expect(normalizeLang('zh_TW')).toBe('zh-TW');
    expect(normalizeLang('en')).toBe('en');
    expect(normalizeLang('')).toBe('zh-CN');
    expect(normalizeLang(undefined)).toBe('zh-CN');
    expect(normalizeLang('!!not a tag')).toBe('zh-CN');
  });

  it('speaks Chinese to any zh page, English to the rest', () => {
    expect(messages('zh-CN').loading).toBe('正在加载…');
    expect(messages('zh-Hant-TW').error).toBe('无法加载订阅源。');
    expect(messages('en-GB').loading).toBe('Loading…');
    expect(messages('fr').empty).toBe('No items yet');
  });
});

const jsonFeed = (items: unknown, extra: object = {}) => ({
  version: 'https://jsonfeed.org/version/1.1',
  title: '天津教育',
  home_page_url: 'https://jy.tj.gov.cn/JYXW/TJJY/',
  language: 'zh-CN',
  items,
  ...extra,
});

describe('parseFeed', () => {
  it('keeps what the element shows, as plain text and absolute http(s) URLs', () => {
    const feed = parseFeed(
      jsonFeed([
        {
          id: 'https://jy.tj.gov.cn/JYXW/TJJY/202412/t1.html',
          url: '/JYXW/TJJY/202412/t1.html',
          title: '  我市基础教育\n扩优提质 ',
          content_text: '正文。',
          summary: '摘要。',
          image: 'javascript:alert(1)',
          date_published: '2024-12-04T09:00:00+08:00',
        },
      ]),
      'https://jy.tj.gov.cn/feeds/demo.json',
    );
    expect(feed).toEqual({
      title: '天津教育',
      homePageUrl: 'https://jy.tj.gov.cn/JYXW/TJJY/',
      language: 'zh-CN',
      items: [
        {
          id: 'https://jy.tj.gov.cn/JYXW/TJJY/202412/t1.html',
          url: 'https://jy.tj.gov.cn/JYXW/TJJY/202412/t1.html',
          title: '我市基础教育 扩优提质',
          summary: '摘要。',
          date: '2024-12-04T09:00:00+08:00',
          image: null,
          language: null,
        },
      ],
    });
  });

  it('falls back to content_text, and to the text for a missing title', () => {
    const long = '很长的正文'.repeat(100);
    const [withTitle, untitled] = parseFeed(
      jsonFeed([
        { id: 1, title: 'T', content_text: long },
        { id: '2', content_text: '只有正文' },
      ]),
      FEED_URL,
    ).items;
    expect(withTitle?.id).toBe('1');
    expect(Array.from(withTitle?.summary ?? '')).toHaveLength(300);
    expect(withTitle?.summary?.endsWith('…')).toBe(true);
    expect(untitled).toMatchObject({ title: '只有正文', summary: null, url: null });
  });

  it('skips items with nothing to show', () => {
    expect(parseFeed(jsonFeed([null, 3, 'x', [], {}, { id: 'a', title: '  ' }]), FEED_URL).items).toEqual([]);
  });

  it('throws on anything that is not a JSON Feed', () => {
    for (const data of [
      null,
      [],
      'text',
      {},
      { items: [] },
      { version: 'https://example.org/', items: [] },
      { version: 'https://jsonfeed.org/version/1.1', items: 'x' },
    ]) {
      expect(() => parseFeed(data, FEED_URL), JSON.stringify(data)).toThrow('Not a JSON Feed');
    }
  });

  it('cuts excerpts on whole code points', () => {
    expect(excerpt('𠀀𠀀𠀀', 2)).toBe('𠀀…');
    expect(excerpt('short', 10)).toBe('short');
  });
});

describe('buildView', () => {
  const options: ViewOptions = {
    lang: 'zh-CN',
    limit: 2,
    showSummary: false,
    showDate: true,
    showImage: false,
    relativeDates: false,
    heading: null,
    now: 0,
  };
  const feed = parseFeed(
    jsonFeed(
      ['a', 'b', 'c'].map((id) => ({
        id,
        url: `https://example.org/${id}`,
        title: id,
        summary: `summary ${id}`,
        image: `https://example.org/${id}.jpg`,
        date_published: '2024-12-04T09:00:00+08:00',
      })),
    ),
    FEED_URL,
  );

  it('is loading before a feed, empty for no items', () => {
    expect(buildView(null, null, options)).toMatchObject({
      state: 'loading',
      status: '正在加载…',
      items: [],
    });
    expect(buildView({ ...feed, items: [] }, null, { ...options, lang: 'en' })).toMatchObject({
      state: 'empty',
      status: 'No items yet',
    });
  });

  it('shows at most limit items, with only the parts asked for', () => {
    const view = buildView(feed, null, options);
    expect(view).toMatchObject({ state: 'ready', status: null, error: null, label: '天津教育' });
    expect(view.items).toEqual([
      {
        id: 'a',
        title: 'a',
        href: 'https://example.org/a',
        date: { datetime: '2024-12-04T09:00:00+08:00', text: '2024年12月4日', title: null },
        summary: null,
        image: null,
        lang: null,
      },
      expect.objectContaining({ id: 'b' }),
    ]);
    const full = buildView(feed, null, {
      ...options,
      showDate: false,
      showSummary: true,
      showImage: true,
      lang: 'en',
    });
    expect(full.items[0]).toMatchObject({
      date: null,
      summary: 'summary a',
      image: 'https://example.org/a.jpg',
      lang: 'zh-CN',
    });
  });

  it('offers the source page on failure, keeping items a refresh could not replace', () => {
    expect(buildView(null, { href: 'https://jy.tj.gov.cn/' }, options)).toMatchObject({
      state: 'error',
      status: null,
      error: { text: '无法加载订阅源。', link: '查看来源页面', href: 'https://jy.tj.gov.cn/' },
      items: [],
    });
    expect(buildView(feed, { href: null }, { ...options, lang: 'en' })).toMatchObject({
      state: 'error',
      error: { text: 'Could not load the feed. ', link: 'Open the source page', href: null },
      items: [expect.objectContaining({ id: 'a' }), expect.objectContaining({ id: 'b' })],
    });
  });
});
