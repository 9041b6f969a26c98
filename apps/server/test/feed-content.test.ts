import type { Article } from '@tidings/parser';
import { describe, expect, it } from 'vitest';
import { briefArticle, cutGraphemes } from '../src/filter/brief.js';
import {
  convertArticle,
  converterFor,
  convertHtmlText,
  readFeedLanguage,
} from '../src/filter/chinese-script.js';
import { FILTER_SCAN, selectArticles } from '../src/filter/feed-content.js';
import { filterWords } from '../src/filter/feed-filter.js';
import { HttpError, readFeedQuery } from '../src/http/query.js';
import type { StoredArticle } from '../src/store/types.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const graphemes = (text: string) => [...segmenter.segment(text)].map((part) => part.segment);

function article(overrides: Partial<Article> = {}): Article {
  return {
    id: 'https://example.org/a.html',
    url: 'https://example.org/a.html',
    title: '学校',
    publishedAt: '2026-11-30T09:00:00+08:00',
    datePrecision: 'minute',
    summary: '',
    contentText: '',
    contentHtml: '',
    images: [],
    attachments: [],
    language: 'zh-CN',
    ...overrides,
  };
}

function stored(a: Article): StoredArticle {
  const at = '2026-11-30T01:00:00.000Z';
  return { article: a, firstSeen: at, lastSeen: at, updatedAt: at, contentHash: 'x' };
}

/** The 400 `readFeedQuery` answers for `search`. */
function refused(search: string): HttpError {
  try {
    readFeedQuery(search);
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error(`${search} was accepted`);
}

describe('brief: text cut at a grapheme boundary', () => {
  const accented = 'e\u0301'.repeat(12); // é as e + a combining acute: 12 graphemes, 24 code units
  const emoji = '👍🏽👨‍👩‍👧🇨🇳'.repeat(4); // a skin tone, a ZWJ family, a flag: 12 graphemes

  it('keeps whole graphemes and marks the cut', () => {
    const cut = cutGraphemes(accented, 10);
    expect(graphemes(cut)).toHaveLength(10);
    expect(cut).toBe(`${'e\u0301'.repeat(9)}…`);
    const cutEmoji = cutGraphemes(emoji, 5);
    expect(graphemes(cutEmoji)).toEqual(['👍🏽', '👨‍👩‍👧', '🇨🇳', '👍🏽', '…']);
  });

  it('leaves text of at most N graphemes alone, however many code units it has', () => {
    expect(cutGraphemes(accented, 12)).toBe(accented);
    expect(cutGraphemes(emoji, 12)).toBe(emoji);
    expect(cutGraphemes('天津教育', 10)).toBe('天津教育');
  });

  it('cuts summary and text, and replaces the HTML body by the cut text as escaped paragraphs', () => {
    const long = article({
      summary: '天津'.repeat(30),
      contentText: `第一段<b>不是标签</b>\n\n${'教育'.repeat(40)}`,
      contentHtml: '<p>第一段</p><table><tr><td>表格</td></tr></table>',
    });
    const brief = briefArticle(long, 20);
    expect(graphemes(brief.summary)).toHaveLength(20);
    expect(graphemes(brief.contentText)).toHaveLength(20);
    // 14 graphemes, two line breaks, 3 more and the ellipsis: 20.
    expect(brief.contentHtml).toBe('<p>第一段&lt;b&gt;不是标签&lt;/b&gt;</p>\n<p>教育教…</p>');
    expect(brief.contentHtml).not.toContain('<table>');
  });
});

describe('lang: simplified to traditional (opencc-js)', () => {
  it('converts known words, and reads language tags in any case', async () => {
    const convert = await converterFor('zh-Hant');
    expect(convert('教育')).toBe('教育');
    expect(convert('学校')).toBe('學校');
    expect(convert('我市基础教育扩优提质高质量发展')).toBe('我市基礎教育擴優提質高質量發展');
    expect((await converterFor('zh-TW'))('台湾')).toBe('臺灣');
    expect((await converterFor('zh-HK'))('台湾')).toBe('台灣');
    expect(readFeedLanguage('ZH-hant')).toBe('zh-Hant');
    expect(readFeedLanguage('zh-CN')).toBeUndefined();
  });

  it('converts the text of HTML, never its tags, attributes or URLs', async () => {
    const convert = await converterFor('zh-Hant');
    const html =
      '<p class="学校">学校 &amp; 大学</p><a href="https://example.org/学校.html" title="学校">学校</a><img src="https://example.org/a.png" alt="学校">';
    expect(convertHtmlText(html, convert)).toBe(
      '<p class="学校">學校 &amp; 大學</p><a href="https://example.org/学校.html" title="学校">學校</a><img src="https://example.org/a.png" alt="学校">',
    );
  });

  it('converts every word of an article and sets its language', async () => {
    const convert = await converterFor('zh-Hant');
    const converted = convertArticle(
      article({
        title: '学校',
        summary: '大学',
        contentText: '发展',
        author: '教育委员会',
        images: [{ url: 'https://example.org/学.png', alt: '学校' }],
        attachments: [{ url: 'https://example.org/a.pdf', title: '附件说明' }],
      }),
      convert,
      'zh-Hant',
    );
    expect(converted).toMatchObject({
      title: '學校',
      summary: '大學',
      contentText: '發展',
      author: '教育委員會',
      images: [{ url: 'https://example.org/学.png', alt: '學校' }],
      attachments: [{ title: '附件說明' }],
      language: 'zh-Hant',
    });
  });
});

describe('selecting what a filtered view keeps', () => {
  it('keeps the first `limit` that every filter keeps, newest first', () => {
    const all = Array.from({ length: 10 }, (_, n) =>
      stored(article({ id: String(n), title: n % 2 ? `招生 ${n}` : `运动会 ${n}` })),
    );
    const derived = { include: filterWords('招生'), exclude: [] };
    const url = { include: [], exclude: filterWords('3') };
    const kept = selectArticles(all, [derived, url], new Date(), 3);
    expect(kept.map((entry) => entry.article.id)).toEqual(['1', '5', '7']);
    expect(FILTER_SCAN).toBe(1000);
  });
});

describe('feed URL options', () => {
  it('normalizes filters: word order and case do not make a new view', () => {
    expect(readFeedQuery('include=B,a')).toEqual(readFeedQuery('include=a,%EF%BC%A2'));
    expect(
      readFeedQuery('include=招生,高考&exclude=广告&days=7&brief=80&lang=zh-hant&limit=20&q=天津'),
    ).toEqual({
      limit: 20,
      q: '天津',
      filter: { include: ['招生', '高考'].sort(), exclude: ['广告'], days: 7 },
      brief: 80,
      lang: 'zh-Hant',
    });
    expect(readFeedQuery('include=&exclude=')).toBeUndefined();
  });

  it('refuses an unknown option with a did-you-mean, and values out of range', () => {
    expect(refused('exlude=大学')).toMatchObject({ status: 400, code: 'unknown-option' });
    expect(refused('exlude=大学').message).toContain('did you mean exclude?');
    expect(refused('utm_source=x').message).toContain(
      'they take limit, q, include, exclude, days, brief, lang',
    );
    expect(refused(`include=${Array.from({ length: 21 }, (_, n) => `w${n}`).join(',')}`)).toMatchObject({
      code: 'bad-include',
    });
    expect(refused(`exclude=${'长'.repeat(65)}`)).toMatchObject({ code: 'bad-exclude' });
    expect(readFeedQuery(`exclude=${'长'.repeat(64)}`)?.filter?.exclude).toEqual(['长'.repeat(64)]);
    for (const days of ['0', '3651', '1.5', 'x', '']) expect(refused(`days=${days}`).code).toBe('bad-days');
    for (const brief of ['9', '10001', 'abc']) expect(refused(`brief=${brief}`).code).toBe('bad-brief');
    expect(refused('lang=zh-CN')).toMatchObject({ code: 'bad-lang' });
    expect(refused('lang=zh-Hant&lang=zh-TW')).toMatchObject({ code: 'bad-query' });
  });
});
