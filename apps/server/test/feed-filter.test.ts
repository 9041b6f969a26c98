import type { Article } from '@tidings/parser';
import { describe, expect, it } from 'vitest';
import { filterKey, filterWords, foldText, matchesFilter, NO_FILTER } from '../src/filter/feed-filter.js';

function article(overrides: Partial<Article>): Article {
  return {
    id: 'a',
    url: 'https://example.org/a.html',
    title: '',
    summary: '',
    contentText: '',
    publishedAt: '2026-11-30T00:00:00.000Z',
    ...overrides,
  } as Article;
}

const NOW = new Date('2026-12-01T00:00:00.000Z');

describe('feed filters', () => {
  it('folds case and width, and reads comma lists', () => {
    expect(foldText('ＡＩ Ｎｅｗｓ')).toBe('ai news');
    expect(filterWords(' 招生, 高考,,招生 ,ＡＩ')).toEqual(['招生', '高考', 'ai']);
  });

  it('keeps what holds an include word and no exclude word, in title, summary, text or author', () => {
    const filter = { include: filterWords('招生,ai'), exclude: filterWords('广告') };
    expect(matchesFilter(article({ title: '2026年招生简章' }), filter, NOW)).toBe(true);
    expect(matchesFilter(article({ summary: 'AI 课程' }), filter, NOW)).toBe(true);
    expect(matchesFilter(article({ author: 'Ａｉ 实验室' }), filter, NOW)).toBe(true);
    expect(matchesFilter(article({ contentText: '招生 广告' }), filter, NOW)).toBe(false);
    expect(matchesFilter(article({ title: '运动会' }), filter, NOW)).toBe(false);
  });

  it('treats words as literal text, never as patterns', () => {
    const filter = { include: filterWords('a.c'), exclude: [] };
    expect(matchesFilter(article({ title: 'abc' }), filter, NOW)).toBe(false);
    expect(matchesFilter(article({ title: 'x a.c y' }), filter, NOW)).toBe(true);
  });

  it('keeps only the last N days with days', () => {
    const filter = { ...NO_FILTER, days: 2 };
    expect(matchesFilter(article({ publishedAt: '2026-11-29T00:00:00.000Z' }), filter, NOW)).toBe(true);
    expect(matchesFilter(article({ publishedAt: '2026-11-28T23:59:59.000Z' }), filter, NOW)).toBe(false);
    expect(matchesFilter(article({ publishedAt: 'not a date' }), filter, NOW)).toBe(false);
  });

  it('gives equal keys to equal filters', () => {
    expect(filterKey({ include: filterWords('招生,高考'), exclude: [] })).toBe(
      filterKey({ include: filterWords(['招生', ' 高考 ']), exclude: [] }),
    );
    expect(filterKey(NO_FILTER)).not.toBe(filterKey({ ...NO_FILTER, days: 1 }));
  });
});
