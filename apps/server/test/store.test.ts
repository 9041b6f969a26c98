import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Article, parseArticle, parseListing } from '@tidings/parser';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../src/errors.js';
import { contentHash } from '../src/store/content-hash.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { Store } from '../src/store/types.js';

const SECTION_URL = 'https://jy.tj.gov.cn/JYXW/TJJY/';
const SECTION_DIR = fileURLToPath(new URL('../../../test/fixtures/jy.tj.gov.cn/JYXW/TJJY/', import.meta.url));

function listing(page: string): Article[] {
  return parseListing(readFileSync(SECTION_DIR + page), { url: SECTION_URL + page }).articles;
}

function articlePage(url: string): Article {
  return parseArticle(readFileSync(SECTION_DIR + url.slice(SECTION_URL.length)), { url });
}

function article(overrides: Partial<Article> & Pick<Article, 'id'>): Article {
  return {
    url: `https://example.org/${overrides.id}.html`,
    title: `Title ${overrides.id}`,
    publishedAt: '2024-12-01T09:00:00+08:00',
    datePrecision: 'minute',
    summary: 'Summary.',
    contentText: 'Article text.',
    contentHtml: '<p>Article text.</p>',
    images: [],
    attachments: [],
    language: 'zh-CN',
    ...overrides,
  };
}

const T1 = '2025-01-01T00:00:00.000Z';
const T2 = '2025-01-01T00:30:00.000Z';
const T3 = '2025-01-01T01:00:00.000Z';

let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tidings-store-'));
  store = openSqliteStore(join(dir, 'nested', 'deeper', 'tidings.db'));
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('upsertArticles', () => {
  it('counts added, then unchanged, then updated articles of a real listing', () => {
    const items = listing('index.html');
    expect(items).toHaveLength(15);
    expect(store.upsertArticles('tjjy', items, T1)).toEqual({
      added: 15,
      updated: 0,
      unchanged: 0,
      changed: true,
    });
    expect(store.upsertArticles('tjjy', items, T2)).toEqual({
      added: 0,
      updated: 0,
      unchanged: 15,
      changed: false,
    });

    const edited = items.map((item, index) =>
      index === 3 ? { ...item, title: `${item.title}（更新）` } : item,
    );
    expect(store.upsertArticles('tjjy', edited, T3)).toEqual({
      added: 0,
      updated: 1,
      unchanged: 14,
      changed: true,
    });
    expect(store.countArticles('tjjy')).toBe(15);
  });

  it('changes updatedAt only when the content changes; lastSeen always', () => {
    const original = article({ id: 'a' });
    store.upsertArticles('s', [original], T1);
    expect(store.getArticle('s', 'a')).toMatchObject({ firstSeen: T1, lastSeen: T1, updatedAt: T1 });

    store.upsertArticles('s', [original], T2);
    expect(store.getArticle('s', 'a')).toMatchObject({ firstSeen: T1, lastSeen: T2, updatedAt: T1 });

    const edited = { ...original, contentText: 'Corrected body.', contentHtml: '<p>Corrected body.</p>' };
    store.upsertArticles('s', [edited], T3);
    const stored = store.getArticle('s', 'a');
    expect(stored).toMatchObject({
      firstSeen: T1,
      lastSeen: T3,
      updatedAt: T3,
      contentHash: contentHash(edited),
    });
    expect(stored?.article.contentText).toBe('Corrected body.');
  });

  it('sees the same content in objects built in another key order', () => {
    const original = article({ id: 'a', images: [{ url: 'https://example.org/1.jpg', alt: 'one' }] });
    const reordered = Object.fromEntries(Object.entries(original).reverse()) as unknown as Article;
    reordered.images = [{ alt: 'one', url: 'https://example.org/1.jpg' }];
    expect(contentHash(reordered)).toBe(contentHash(original));
    store.upsertArticles('s', [original], T1);
    expect(store.upsertArticles('s', [reordered], T2).unchanged).toBe(1);
  });

  it('normalizes `now` to a UTC instant and rejects one that is not a time', () => {
    store.upsertArticles('s', [article({ id: 'a' })], '2025-01-01T08:00:00+08:00');
    expect(store.getArticle('s', 'a')?.firstSeen).toBe('2025-01-01T00:00:00.000Z');
    expect(() => store.upsertArticles('s', [article({ id: 'b' })], 'yesterday')).toThrow(StoreError);
  });

  it('changes nothing for an empty batch', () => {
    store.upsertArticles('s', [article({ id: 'a' })], T1);
    expect(store.upsertArticles('s', [], T2)).toEqual({ added: 0, updated: 0, unchanged: 0, changed: false });
    expect(store.getArticle('s', 'a')?.lastSeen).toBe(T1);
  });

  it('never deletes: articles missing from a later batch stay', () => {
    store.upsertArticles('s', [article({ id: 'a' }), article({ id: 'b' })], T1);
    store.upsertArticles('s', [article({ id: 'b' })], T2);
    expect(store.countArticles('s')).toBe(2);
    expect(store.getArticle('s', 'a')?.lastSeen).toBe(T1);
  });

  it('keeps sources apart even for the same article id', () => {
    store.upsertArticles('one', [article({ id: 'a', title: 'One' })], T1);
    store.upsertArticles('two', [article({ id: 'a', title: 'Two' })], T1);
    expect(store.getArticle('one', 'a')?.article.title).toBe('One');
    expect(store.getArticle('two', 'a')?.article.title).toBe('Two');
    expect(store.countArticles('one')).toBe(1);
  });
});

describe('merging a listing item into a stored article page', () => {
  it('keeps the stored body, time and author when the listing item has neither', () => {
    const item = listing('index_1.html')[0]!;
    expect(item).toMatchObject({ contentText: '', contentHtml: '', datePrecision: 'day' });
    const page = articlePage(item.url!);
    expect(page.contentText).not.toBe('');
    expect(page.datePrecision).toBe('minute');

    store.upsertArticles('tjjy', [page], T1);
    expect(store.upsertArticles('tjjy', [item], T2)).toMatchObject({ unchanged: 1, updated: 0 });
    const stored = store.getArticle('tjjy', item.id);
    expect(stored?.article).toEqual(page);
    expect(stored?.updatedAt).toBe(T1);
    expect(stored?.lastSeen).toBe(T2);
  });

  it('still takes what the listing item changes (a new title) while keeping the body', () => {
    const item = listing('index_1.html')[0]!;
    const page = articlePage(item.url!);
    store.upsertArticles('tjjy', [page], T1);
    store.upsertArticles('tjjy', [{ ...item, title: '新标题' }], T2);
    const stored = store.getArticle('tjjy', item.id)!;
    expect(stored.article).toMatchObject({
      title: '新标题',
      contentText: page.contentText,
      contentHtml: page.contentHtml,
      publishedAt: page.publishedAt,
      datePrecision: 'minute',
    });
    expect(stored.updatedAt).toBe(T2);
  });

  it('takes a new body when the incoming article has one (a real edit)', () => {
    store.upsertArticles('s', [article({ id: 'a' })], T1);
    store.upsertArticles('s', [article({ id: 'a', contentText: 'New.', contentHtml: '<p>New.</p>' })], T2);
    expect(store.getArticle('s', 'a')?.article.contentText).toBe('New.');
  });

  it('lets a body-less item in when nothing better is stored', () => {
    store.upsertArticles('s', [article({ id: 'a', contentText: '', contentHtml: '', summary: '' })], T1);
    expect(store.getArticle('s', 'a')?.article.contentText).toBe('');
  });

  it.each([
    ['the same day', '2024-12-01T09:28:00+08:00', '2024-12-01T00:00:00+08:00', '2024-12-01T09:28:00+08:00'],
    // 00:30 in Tianjin is the previous day in UTC: the day is the source's, not UTC's.
    [
      'the same local day',
      '2024-12-01T00:30:00+08:00',
      '2024-12-01T00:00:00+08:00',
      '2024-12-01T00:30:00+08:00',
    ],
    ['another day', '2024-12-01T09:28:00+08:00', '2024-12-02T00:00:00+08:00', '2024-12-02T00:00:00+08:00'],
  ])('a day-precision date on %s: stored %s + incoming %s → %s', (_, stored, incoming, expected) => {
    store.upsertArticles('s', [article({ id: 'a', publishedAt: stored, datePrecision: 'minute' })], T1);
    store.upsertArticles('s', [article({ id: 'a', publishedAt: incoming, datePrecision: 'day' })], T2);
    const kept = store.getArticle('s', 'a')!.article;
    expect(kept.publishedAt).toBe(expected);
    expect(kept.datePrecision).toBe(expected === incoming ? 'day' : 'minute');
  });

  it('takes a more precise date over a day-precision one', () => {
    store.upsertArticles(
      's',
      [article({ id: 'a', publishedAt: '2024-12-01T00:00:00+08:00', datePrecision: 'day' })],
      T1,
    );
    const result = store.upsertArticles(
      's',
      [article({ id: 'a', publishedAt: '2024-12-01T09:28:00+08:00' })],
      T2,
    );
    expect(result.updated).toBe(1);
    expect(store.getArticle('s', 'a')?.article.datePrecision).toBe('minute');
  });
});

describe('listArticles', () => {
  it('lists newest first by instant, whatever the offset, then by first seen', () => {
    store.upsertArticles(
      's',
      [
        article({ id: 'tokyo-10', publishedAt: '2024-12-04T10:00:00+09:00' }), // 01:00Z
        article({ id: 'newyork-21', publishedAt: '2024-12-03T21:00:00-05:00' }), // 02:00Z (next day)
        article({ id: 'utc-0030', publishedAt: '2024-12-04T00:30:00Z' }),
        article({ id: 'tianjin-day', publishedAt: '2024-12-04T00:00:00+08:00', datePrecision: 'day' }), // 12-03 16:00Z
      ],
      T1,
    );
    store.upsertArticles('s', [article({ id: 'tokyo-10-later', publishedAt: '2024-12-04T01:00:00Z' })], T2);
    expect(store.listArticles('s').map((stored) => stored.article.id)).toEqual([
      'newyork-21',
      'tokyo-10-later',
      'tokyo-10',
      'utc-0030',
      'tianjin-day',
    ]);
  });

  it('orders a real section like its listing pages', () => {
    const items = [...listing('index.html'), ...listing('index_1.html'), ...listing('index_2.html')];
    store.upsertArticles('tjjy', [...items].reverse(), T1);
    const listed = store.listArticles('tjjy', { limit: 100 }).map((stored) => stored.article.publishedAt);
    expect(listed).toHaveLength(items.length);
    expect(listed).toEqual([...listed].sort().reverse());
    expect(listed[0]).toBe(items[0]!.publishedAt);
  });

  it('returns 50 by default, or the given limit', () => {
    const many = Array.from({ length: 60 }, (_, index) =>
      article({ id: `a${index}`, publishedAt: new Date(Date.UTC(2024, 0, 1, 0, index)).toISOString() }),
    );
    store.upsertArticles('s', many, T1);
    expect(store.listArticles('s')).toHaveLength(50);
    expect(store.listArticles('s', { limit: 3 }).map((stored) => stored.article.id)).toEqual([
      'a59',
      'a58',
      'a57',
    ]);
    expect(store.listArticles('s', { limit: 0 })).toEqual([]);
    expect(() => store.listArticles('s', { limit: -1 })).toThrow(StoreError);
  });

  describe('q', () => {
    beforeEach(() => {
      store.upsertArticles(
        's',
        [
          article({ id: 'percent', title: 'Pass rate 100% reached' }),
          article({ id: 'underscore', title: 'snake_case names' }),
          article({ id: 'regex', title: 'Match .* literally' }),
          article({ id: 'backslash', title: 'A \\ backslash' }),
          article({ id: 'plain', title: 'Nothing special', contentText: 'Mixed Case BODY' }),
          article({ id: 'chinese', title: '我市基础教育扩优提质', contentText: '天津市教育委员会' }),
        ],
        T1,
      );
    });

    const ids = (q: string) =>
      store
        .listArticles('s', { q })
        .map((stored) => stored.article.id)
        .sort();

    it('treats LIKE and regex metacharacters literally', () => {
      expect(ids('%')).toEqual(['percent']);
      expect(ids('_')).toEqual(['underscore']);
      expect(ids('.*')).toEqual(['regex']);
      expect(ids('\\')).toEqual(['backslash']);
      expect(ids('a%e')).toEqual([]);
      expect(ids("'; DROP TABLE articles; --")).toEqual([]);
      expect(store.countArticles('s')).toBe(6);
    });

    it('matches title or text, ignoring case, and Chinese keywords', () => {
      expect(ids('body')).toEqual(['plain']);
      expect(ids('NOTHING')).toEqual(['plain']);
      expect(ids('教育')).toEqual(['chinese']);
      expect(ids('委员会')).toEqual(['chinese']);
      expect(ids('教委')).toEqual([]);
    });

    it('lists everything for an empty keyword', () => {
      expect(ids('')).toHaveLength(6);
    });
  });

  it('finds real articles by a keyword in their text', () => {
    store.upsertArticles('tjjy', listing('index.html'), T1);
    const found = store.listArticles('tjjy', { q: '耀华中学' });
    expect(found.length).toBeGreaterThan(0);
    for (const stored of found) {
      expect(stored.article.title + stored.article.contentText).toContain('耀华中学');
    }
  });
});

describe('applyRetention', () => {
  const days = (count: number) =>
    Array.from({ length: count }, (_, index) =>
      article({
        id: `d${index + 1}`,
        publishedAt: `2024-12-${String(index + 1).padStart(2, '0')}T09:00:00+08:00`,
      }),
    );

  it('keeps the newest maxArticles', () => {
    store.upsertArticles('s', days(10), T1);
    store.upsertArticles('other', days(10), T1);
    expect(store.applyRetention('s', { maxArticles: 4 }, T2)).toBe(6);
    expect(store.listArticles('s').map((stored) => stored.article.id)).toEqual(['d10', 'd9', 'd8', 'd7']);
    expect(store.countArticles('other')).toBe(10);
    expect(store.applyRetention('s', { maxArticles: 4 }, T2)).toBe(0);
  });

  it('drops articles published longer ago than maxAgeMs', () => {
    store.upsertArticles('s', days(10), T1);
    const now = '2024-12-10T09:00:00+08:00';
    expect(store.applyRetention('s', { maxAgeMs: 3 * 86_400_000 }, now)).toBe(6);
    expect(store.listArticles('s').map((stored) => stored.article.id)).toEqual(['d10', 'd9', 'd8', 'd7']);
  });

  it('applies both limits and reports the total', () => {
    store.upsertArticles('s', days(10), T1);
    expect(
      store.applyRetention('s', { maxAgeMs: 5 * 86_400_000, maxArticles: 2 }, '2024-12-10T09:00:00+08:00'),
    ).toBe(8);
    expect(store.countArticles('s')).toBe(2);
  });

  it('drops nothing for an empty policy', () => {
    store.upsertArticles('s', days(3), T1);
    expect(store.applyRetention('s', {}, T2)).toBe(0);
  });
});

describe('status', () => {
  it('has defaults for a source never seen', () => {
    expect(store.getStatus('new')).toEqual({ sourceId: 'new', consecutiveFailures: 0, articleCount: 0 });
  });

  it('counts the stored articles', () => {
    store.upsertArticles('s', [article({ id: 'a' }), article({ id: 'b' })], T1);
    expect(store.getStatus('s').articleCount).toBe(2);
  });

  it('merges patches: absent keys keep their value, keys given as undefined are cleared', () => {
    store.updateStatus('s', {
      lastAttemptAt: T1,
      lastError: 'FetchError: timeout',
      lastErrorAt: T1,
      consecutiveFailures: 2,
    });
    store.updateStatus('s', { lastAttemptAt: T2, etag: '"abc"' });
    expect(store.getStatus('s')).toEqual({
      sourceId: 's',
      lastAttemptAt: T2,
      lastError: 'FetchError: timeout',
      lastErrorAt: T1,
      consecutiveFailures: 2,
      etag: '"abc"',
      articleCount: 0,
    });

    store.updateStatus('s', {
      lastSuccessAt: T3,
      lastError: undefined,
      lastErrorAt: undefined,
      consecutiveFailures: 0,
      nextRunAt: T3,
    });
    expect(store.getStatus('s')).toEqual({
      sourceId: 's',
      lastAttemptAt: T2,
      lastSuccessAt: T3,
      consecutiveFailures: 0,
      nextRunAt: T3,
      etag: '"abc"',
      articleCount: 0,
    });
  });

  it('keeps sources apart and rejects values of the wrong type', () => {
    store.updateStatus('a', { etag: '"a"' });
    expect(store.getStatus('b').etag).toBeUndefined();
    expect(() => store.updateStatus('a', { consecutiveFailures: -1 })).toThrow(StoreError);
  });
});

describe('the database file', () => {
  it('keeps history and status across close and reopen', () => {
    const path = join(dir, 'reopen.db');
    const first = openSqliteStore(path);
    first.upsertArticles('tjjy', listing('index.html'), T1);
    first.updateStatus('tjjy', { lastSuccessAt: T1, etag: 'W/"1"' });
    first.close();

    const second = openSqliteStore(path);
    expect(second.countArticles('tjjy')).toBe(15);
    second.upsertArticles('tjjy', listing('index_1.html'), T2);
    second.close();

    const third = openSqliteStore(path);
    expect(third.countArticles('tjjy')).toBe(30);
    expect(third.getStatus('tjjy')).toMatchObject({ lastSuccessAt: T1, etag: 'W/"1"', articleCount: 30 });
    const oldest = third.getArticle('tjjy', listing('index.html')[0]!.id);
    expect(oldest).toMatchObject({ firstSeen: T1, lastSeen: T1 });
    third.close();
  });

  it('is in WAL mode with the schema version recorded', () => {
    const path = join(dir, 'wal.db');
    openSqliteStore(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    db.close();
  });

  it('indexes what a database from before the search index holds, when it opens it', () => {
    const path = join(dir, 'v1.db');
    const store = openSqliteStore(path);
    store.upsertArticles('tjjy', listing('index.html'), T1);
    store.close();
    // Back to schema 1, as the first release wrote it: no search index, no outbox.
    const db = new Database(path);
    db.exec(`DROP TRIGGER article_search_insert; DROP TRIGGER article_search_update;
      DROP TRIGGER article_search_delete; DROP TABLE article_search; DROP TABLE article_search_ids;
      DROP TABLE outbox; DROP TABLE delivery_status;`);
    db.pragma('user_version = 1');
    db.close();
    const reopened = openSqliteStore(path);
    const found = reopened.listArticles('tjjy', { q: '耀华中学' });
    expect(found.length).toBeGreaterThan(0);
    for (const each of found) expect(each.article.title + each.article.contentText).toContain('耀华中学');
    expect(reopened.deliveryStatus()).toEqual([]);
    reopened.close();
  });

  it('refuses a database from a newer Tidings, and a file that is not a database', () => {
    const newer = join(dir, 'newer.db');
    const db = new Database(newer);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openSqliteStore(newer)).toThrow(expect.objectContaining({ code: 'newer-schema' }));

    const notADatabase = join(dir, 'notes.txt');
    writeFileSync(notADatabase, 'These are not the bytes you are looking for.\n'.repeat(200));
    expect(() => openSqliteStore(notADatabase)).toThrow(
      expect.objectContaining({ name: 'StoreError', code: 'cannot-open' }),
    );
  });

  it('works in memory', () => {
    const memory = openSqliteStore(':memory:');
    expect(memory.upsertArticles('s', [article({ id: 'a' })], T1).added).toBe(1);
    expect(memory.listArticles('s')).toHaveLength(1);
    memory.close();
    memory.close();
  });
});
