import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Article, parseArticle, parseListing } from '@tidings/parser';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../test/support/postgres.js';
import { startRedis, type TestRedis } from '../../../test/support/redis.js';
import { freePort } from '../../../test/support/server.js';
import { StoreError } from '../src/errors.js';
import type { Backend, RefreshLease } from '../src/store/backend.js';
import { contentHash } from '../src/store/content-hash.js';
import type { ClaimedDelivery, OutboxTarget } from '../src/store/outbox.js';
import { openPostgresBackend, type PostgresLease } from '../src/store/postgres/index.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../src/store/postgres/migrations.js';
import { openRedisBackend, type RedisLease } from '../src/store/redis/index.js';
import { openSqliteBackend } from '../src/store/sqlite-backend.js';

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Blocks this whole process, timers included, as a long GC pause or a stalled VM would. */
function stall(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

async function eventually(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not true after ${timeoutMs} ms`);
    await sleep(10);
  }
}

function granted(result: Awaited<ReturnType<Backend['acquireRefresh']>>): RefreshLease {
  if (!('lease' in result)) throw new Error(`refused: ${JSON.stringify(result)}`);
  return result.lease;
}

/** One kind of backend, and how to get empty storage for it. */
interface Harness {
  readonly name: Backend['kind'];
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  /** A place no test has used: a database file, a key prefix, or a new database. */
  newLocation(): string | Promise<string>;
  open(location: string): Promise<Backend>;
}

let locations = 0;

function sqliteHarness(): Harness {
  let dir = '';
  return {
    name: 'sqlite',
    async setUp() {
      dir = mkdtempSync(join(tmpdir(), 'tidings-backend-'));
    },
    async tearDown() {
      rmSync(dir, { recursive: true, force: true });
    },
    newLocation: () => join(dir, `${++locations}.db`),
    open: async (path) => openSqliteBackend(path),
  };
}

let redis: TestRedis | undefined;

function redisHarness(): Harness {
  return {
    name: 'redis',
    async setUp() {
      redis = await startRedis();
    },
    async tearDown() {
      await redis?.stop();
    },
    newLocation: () => `test${++locations}:`,
    open: (keyPrefix) => openRedisBackend(redis!.url, { keyPrefix, instanceId: `instance-${++locations}` }),
  };
}

let postgres: TestPostgres | undefined;

function postgresHarness(): Harness {
  return {
    name: 'postgres',
    async setUp() {
      postgres = await startPostgres();
    },
    async tearDown() {
      await postgres?.stop();
    },
    newLocation: () => postgres!.createDatabase(),
    open: (url) => openPostgresBackend(url, { instanceId: `instance-${++locations}` }),
  };
}

describe.each([sqliteHarness(), redisHarness(), postgresHarness()])('the $name backend', (harness) => {
  let location: string;
  let backend: Backend;
  const opened: Backend[] = [];

  /** Another backend on the same storage: another instance, or the same one after a restart. */
  async function openAgain(): Promise<Backend> {
    const another = await harness.open(location);
    opened.push(another);
    return another;
  }

  const ids = async (sourceId: string, options?: { limit?: number; q?: string }) =>
    (await backend.listArticles(sourceId, options)).map((stored) => stored.article.id);
  const stored = async (sourceId: string, id: string) => (await backend.getArticles(sourceId, [id])).get(id);

  beforeAll(() => harness.setUp());
  afterAll(() => harness.tearDown());
  beforeEach(async () => {
    location = await harness.newLocation();
    backend = await openAgain();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((each) => each.close()));
  });

  it('says what it is', () => {
    expect(backend.kind).toBe(harness.name);
  });

  describe('upsertArticles', () => {
    it('counts added, then unchanged, then updated articles of a real listing', async () => {
      const items = listing('index.html');
      expect(items).toHaveLength(15);
      expect(await backend.upsertArticles('tjjy', items, T1)).toEqual({
        added: 15,
        updated: 0,
        unchanged: 0,
        changed: true,
      });
      expect(await backend.upsertArticles('tjjy', items, T2)).toEqual({
        added: 0,
        updated: 0,
        unchanged: 15,
        changed: false,
      });
      const edited = items.map((item, index) =>
        index === 3 ? { ...item, title: `${item.title}（更新）` } : item,
      );
      expect(await backend.upsertArticles('tjjy', edited, T3)).toEqual({
        added: 0,
        updated: 1,
        unchanged: 14,
        changed: true,
      });
      expect(await backend.countArticles('tjjy')).toBe(15);
    });

    it('changes updatedAt only when the content changes; lastSeen always', async () => {
      const original = article({ id: 'a' });
      await backend.upsertArticles('s', [original], T1);
      expect(await stored('s', 'a')).toEqual({
        article: original,
        firstSeen: T1,
        lastSeen: T1,
        updatedAt: T1,
        contentHash: contentHash(original),
      });

      await backend.upsertArticles('s', [original], T2);
      expect(await stored('s', 'a')).toMatchObject({ firstSeen: T1, lastSeen: T2, updatedAt: T1 });

      const edited = { ...original, contentText: 'Corrected body.', contentHtml: '<p>Corrected body.</p>' };
      await backend.upsertArticles('s', [edited], T3);
      const after = await stored('s', 'a');
      expect(after).toMatchObject({
        firstSeen: T1,
        lastSeen: T3,
        updatedAt: T3,
        contentHash: contentHash(edited),
      });
      expect(after?.article.contentText).toBe('Corrected body.');
    });

    it('sees the same content in objects built in another key order', async () => {
      const original = article({ id: 'a', images: [{ url: 'https://example.org/1.jpg', alt: 'one' }] });
      const reordered = Object.fromEntries(Object.entries(original).reverse()) as unknown as Article;
      reordered.images = [{ alt: 'one', url: 'https://example.org/1.jpg' }];
      await backend.upsertArticles('s', [original], T1);
      expect((await backend.upsertArticles('s', [reordered], T2)).unchanged).toBe(1);
    });

    it('normalizes `now` to a UTC instant and rejects one that is not a time', async () => {
      await backend.upsertArticles('s', [article({ id: 'a' })], '2025-01-01T08:00:00+08:00');
      expect((await stored('s', 'a'))?.firstSeen).toBe('2025-01-01T00:00:00.000Z');
      await expect(backend.upsertArticles('s', [article({ id: 'b' })], 'yesterday')).rejects.toThrow(
        StoreError,
      );
      await expect(
        backend.upsertArticles('s', [article({ id: 'c' }), article({ id: '' })], T1),
      ).rejects.toMatchObject({ code: 'bad-article' });
      expect(await backend.countArticles('s')).toBe(1);
    });

    it('changes nothing for an empty batch', async () => {
      await backend.upsertArticles('s', [article({ id: 'a' })], T1);
      expect(await backend.upsertArticles('s', [], T2)).toEqual({
        added: 0,
        updated: 0,
        unchanged: 0,
        changed: false,
      });
      expect((await stored('s', 'a'))?.lastSeen).toBe(T1);
    });

    it('never deletes, and keeps sources apart even for the same article id', async () => {
      await backend.upsertArticles('one', [article({ id: 'a', title: 'One' }), article({ id: 'b' })], T1);
      await backend.upsertArticles('one', [article({ id: 'b' })], T2);
      await backend.upsertArticles('two', [article({ id: 'a', title: 'Two' })], T1);
      expect(await backend.countArticles('one')).toBe(2);
      expect((await stored('one', 'a'))?.article.title).toBe('One');
      expect((await stored('two', 'a'))?.article.title).toBe('Two');
      expect(await backend.countArticles('two')).toBe(1);
    });

    it('merges a later copy of an id into an earlier one of the same batch', async () => {
      const item = listing('index_1.html')[0]!;
      const page = articlePage(item.url!);
      expect(await backend.upsertArticles('tjjy', [page, item], T1)).toEqual({
        added: 1,
        updated: 0,
        unchanged: 1,
        changed: true,
      });
      expect((await stored('tjjy', item.id))?.article).toEqual(page);
      expect(await backend.countArticles('tjjy')).toBe(1);
    });
  });

  describe('merging listing items and article pages', () => {
    it('fills in real listing items with their pages, and a later listing erases nothing', async () => {
      const items = listing('index_1.html');
      expect(items.every((item) => item.contentText === '' && item.datePrecision === 'day')).toBe(true);
      const pages = items.map((item) => articlePage(item.url!));
      await backend.upsertArticles('tjjy', items, T1);
      expect(await backend.upsertArticles('tjjy', pages, T2)).toMatchObject({ added: 0, updated: 15 });
      expect(await backend.upsertArticles('tjjy', items, T3)).toMatchObject({ unchanged: 15, updated: 0 });

      const kept = await backend.getArticles(
        'tjjy',
        items.map((item) => item.id),
      );
      for (const page of pages) {
        expect(kept.get(page.id)).toMatchObject({
          article: page,
          firstSeen: T1,
          updatedAt: T2,
          lastSeen: T3,
        });
      }
    });

    it('keeps the stored body, time and author when a listing item has neither', async () => {
      const item = listing('index_1.html')[0]!;
      expect(item).toMatchObject({ contentText: '', contentHtml: '', datePrecision: 'day' });
      const page = articlePage(item.url!);
      expect(page.datePrecision).toBe('minute');

      await backend.upsertArticles('tjjy', [page], T1);
      expect(await backend.upsertArticles('tjjy', [item], T2)).toMatchObject({ unchanged: 1, updated: 0 });
      expect(await stored('tjjy', item.id)).toMatchObject({ article: page, updatedAt: T1, lastSeen: T2 });
    });

    it('still takes what the listing item changes (a new title) while keeping the body', async () => {
      const item = listing('index_1.html')[0]!;
      const page = articlePage(item.url!);
      await backend.upsertArticles('tjjy', [page], T1);
      await backend.upsertArticles('tjjy', [{ ...item, title: '新标题' }], T2);
      const kept = (await stored('tjjy', item.id))!;
      expect(kept.article).toMatchObject({
        title: '新标题',
        contentText: page.contentText,
        contentHtml: page.contentHtml,
        publishedAt: page.publishedAt,
        datePrecision: 'minute',
      });
      expect(kept.updatedAt).toBe(T2);
    });

    it.each([
      ['the same day', '2024-12-01T09:28:00+08:00', '2024-12-01T00:00:00+08:00', '2024-12-01T09:28:00+08:00'],
      [
        'the same local day',
        '2024-12-01T00:30:00+08:00',
        '2024-12-01T00:00:00+08:00',
        '2024-12-01T00:30:00+08:00',
      ],
      ['another day', '2024-12-01T09:28:00+08:00', '2024-12-02T00:00:00+08:00', '2024-12-02T00:00:00+08:00'],
    ])('a day-precision date on %s: stored %s + incoming %s → %s', async (_, before, incoming, expected) => {
      await backend.upsertArticles(
        's',
        [article({ id: 'a', publishedAt: before, datePrecision: 'minute' })],
        T1,
      );
      await backend.upsertArticles(
        's',
        [article({ id: 'a', publishedAt: incoming, datePrecision: 'day' })],
        T2,
      );
      const kept = (await stored('s', 'a'))!.article;
      expect(kept.publishedAt).toBe(expected);
      expect(kept.datePrecision).toBe(expected === incoming ? 'day' : 'minute');
    });

    it('keeps a stored author when the incoming copy has none', async () => {
      await backend.upsertArticles('s', [article({ id: 'a', author: '王老师' })], T1);
      expect((await backend.upsertArticles('s', [article({ id: 'a' })], T2)).unchanged).toBe(1);
      expect((await stored('s', 'a'))?.article.author).toBe('王老师');
    });
  });

  describe('listArticles', () => {
    it('lists newest first by instant, whatever the offset, then by first seen', async () => {
      await backend.upsertArticles(
        's',
        [
          article({ id: 'tokyo-10', publishedAt: '2024-12-04T10:00:00+09:00' }),
          article({ id: 'newyork-21', publishedAt: '2024-12-03T21:00:00-05:00' }),
          article({ id: 'utc-0030', publishedAt: '2024-12-04T00:30:00Z' }),
          article({ id: 'tianjin-day', publishedAt: '2024-12-04T00:00:00+08:00', datePrecision: 'day' }),
        ],
        T1,
      );
      await backend.upsertArticles(
        's',
        [article({ id: 'tokyo-10-later', publishedAt: '2024-12-04T01:00:00Z' })],
        T2,
      );
      expect(await ids('s')).toEqual(['newyork-21', 'tokyo-10-later', 'tokyo-10', 'utc-0030', 'tianjin-day']);
    });

    it('orders a real section like its listing pages', async () => {
      const items = [...listing('index.html'), ...listing('index_1.html'), ...listing('index_2.html')];
      await backend.upsertArticles('tjjy', [...items].reverse(), T1);
      const listed = (await backend.listArticles('tjjy', { limit: 100 })).map(
        (each) => each.article.publishedAt,
      );
      expect(listed).toHaveLength(items.length);
      expect(listed).toEqual([...listed].sort().reverse());
      expect(listed[0]).toBe(items[0]!.publishedAt);
    });

    it('returns 50 by default, or the given limit', async () => {
      const many = Array.from({ length: 60 }, (_, index) =>
        article({ id: `a${index}`, publishedAt: new Date(Date.UTC(2024, 0, 1, 0, index)).toISOString() }),
      );
      await backend.upsertArticles('s', many, T1);
      expect(await backend.listArticles('s')).toHaveLength(50);
      expect(await ids('s', { limit: 3 })).toEqual(['a59', 'a58', 'a57']);
      expect(await backend.listArticles('s', { limit: 0 })).toEqual([]);
      await expect(backend.listArticles('s', { limit: -1 })).rejects.toThrow(StoreError);
      await expect(backend.listArticles('s', { limit: 1.5 })).rejects.toMatchObject({ code: 'bad-limit' });
    });

    it('breaks ties of publishedAt by first seen, then id, and cuts them at any limit the same way', async () => {
      const day = '2024-12-02T00:00:00+08:00';
      await backend.upsertArticles(
        's',
        [
          article({ id: 'older', publishedAt: '2024-12-01T09:00:00+08:00' }),
          article({ id: 'b', publishedAt: day, datePrecision: 'day' }),
          article({ id: 'c', publishedAt: day, datePrecision: 'day' }),
          article({ id: 'a', publishedAt: day, datePrecision: 'day' }),
          article({ id: 'undated', publishedAt: 'unknown' }),
        ],
        T1,
      );
      await backend.upsertArticles(
        's',
        [
          article({ id: 'e', publishedAt: day, datePrecision: 'day' }),
          article({ id: 'd', publishedAt: day, datePrecision: 'day' }),
          article({ id: 'newer', publishedAt: '2024-12-03T09:00:00+08:00' }),
          article({ id: 'also-undated', publishedAt: 'unknown' }),
        ],
        T2,
      );
      const order = ['newer', 'd', 'e', 'a', 'b', 'c', 'older', 'also-undated', 'undated'];
      expect(await ids('s')).toEqual(order);
      for (let limit = 1; limit <= order.length; limit++) {
        expect(await ids('s', { limit })).toEqual(order.slice(0, limit));
      }
    });

    describe('q', () => {
      beforeEach(async () => {
        await backend.upsertArticles(
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

      const matching = async (q: string) => (await ids('s', { q })).sort();

      it('treats LIKE and regex metacharacters literally', async () => {
        expect(await matching('%')).toEqual(['percent']);
        expect(await matching('_')).toEqual(['underscore']);
        expect(await matching('.*')).toEqual(['regex']);
        expect(await matching('\\')).toEqual(['backslash']);
        expect(await matching('a%e')).toEqual([]);
        expect(await matching('[a-z]+')).toEqual([]);
        expect(await matching("'; DROP TABLE articles; --")).toEqual([]);
        expect(await backend.countArticles('s')).toBe(6);
      });

      it('matches title or text, ignoring case, and Chinese keywords', async () => {
        expect(await matching('body')).toEqual(['plain']);
        expect(await matching('NOTHING')).toEqual(['plain']);
        expect(await matching('教育')).toEqual(['chinese']);
        expect(await matching('委员会')).toEqual(['chinese']);
        expect(await matching('教委')).toEqual([]);
      });

      it('finds one character at the start, middle or end of a word, and keywords of several words', async () => {
        expect(await matching('教')).toEqual(['chinese']);
        expect(await matching('提')).toEqual(['chinese']);
        expect(await matching('质')).toEqual(['chinese']);
        expect(await matching('会')).toEqual(['chinese']);
        expect(await matching('rate 100')).toEqual(['percent']);
        expect(await matching('100 rate')).toEqual([]);
        expect(await matching('snake_case')).toEqual(['underscore']);
        expect(await matching('天津市教育委员会')).toEqual(['chinese']);
        expect(await matching('天津市教育委员会主任')).toEqual([]);
      });

      it('follows edits and deletions: an old title is no longer found, a new one is', async () => {
        await backend.upsertArticles(
          's',
          [article({ id: 'plain', title: 'Renamed 招生简章', contentText: 'Mixed Case BODY' })],
          T2,
        );
        expect(await matching('招生')).toEqual(['plain']);
        expect(await matching('special')).toEqual([]);
        expect(await matching('body')).toEqual(['plain']);
        await backend.applyRetention('s', { maxArticles: 1 }, T2);
        const kept = await ids('s');
        expect(kept).toHaveLength(1);
        expect(await matching('招生')).toEqual(kept.includes('plain') ? ['plain'] : []);
        expect(await matching('教育')).toEqual(kept.includes('chinese') ? ['chinese'] : []);
      });

      it('lists everything for an empty keyword', async () => {
        expect(await matching('')).toHaveLength(6);
      });

      it('orders and limits what matches', async () => {
        await backend.upsertArticles(
          's',
          [
            article({ id: 'newest-match', title: 'special', publishedAt: '2024-12-09T09:00:00+08:00' }),
            article({ id: 'newest-other', publishedAt: '2024-12-10T09:00:00+08:00' }),
          ],
          T2,
        );
        expect(await ids('s', { q: 'SPECIAL', limit: 1 })).toEqual(['newest-match']);
        expect(await ids('s', { q: 'special' })).toEqual(['newest-match', 'plain']);
      });
    });

    it('finds real articles by a keyword in their text', async () => {
      await backend.upsertArticles('tjjy', listing('index.html'), T1);
      const found = await backend.listArticles('tjjy', { q: '耀华中学' });
      expect(found.length).toBeGreaterThan(0);
      for (const each of found) expect(each.article.title + each.article.contentText).toContain('耀华中学');
    });
  });

  describe('getArticles', () => {
    it('returns the stored copies of the ids asked for, leaving out absent ones', async () => {
      await backend.upsertArticles(
        's',
        [article({ id: 'a' }), article({ id: 'b' }), article({ id: 'c' })],
        T1,
      );
      await backend.upsertArticles('other', [article({ id: 'x' })], T1);
      const found = await backend.getArticles('s', ['c', 'missing', 'a', 'x']);
      expect([...found.keys()].sort()).toEqual(['a', 'c']);
      expect(found.get('c')?.article).toEqual(article({ id: 'c' }));
      expect(await backend.getArticles('s', [])).toEqual(new Map());
    });
  });

  describe('publishedAt ranges (archive months)', () => {
    const ms = (iso: string) => Date.parse(iso);
    const DECEMBER = [ms('2024-12-01T00:00:00+08:00'), ms('2025-01-01T00:00:00+08:00')] as const;
    const rangeIds = async (sourceId: string, fromMs: number, toMs: number) =>
      (await backend.listPublishedBetween(sourceId, fromMs, toMs)).map((each) => each.article.id);

    beforeEach(async () => {
      await backend.upsertArticles(
        's',
        [
          article({ id: 'nov-30-late', publishedAt: '2024-11-30T23:59:00+08:00' }),
          // 2024-12-01 00:00 in Tianjin is still November in UTC: the range is instants, not dates.
          article({ id: 'dec-first-instant', publishedAt: '2024-11-30T16:00:00Z' }),
          article({ id: 'dec-15', publishedAt: '2024-12-15T09:00:00+08:00' }),
          article({ id: 'dec-31-late', publishedAt: '2024-12-31T23:59:59+08:00' }),
          article({ id: 'jan-first-instant', publishedAt: '2025-01-01T00:00:00+08:00' }),
          article({ id: 'undated', publishedAt: 'unknown' }),
        ],
        T1,
      );
      await backend.upsertArticles(
        'other',
        [article({ id: 'elsewhere', publishedAt: '2024-12-15T09:00:00+08:00' })],
        T1,
      );
    });

    it('lists [from, to) newest first, the start included and the end not, one source only', async () => {
      expect(await rangeIds('s', ...DECEMBER)).toEqual(['dec-31-late', 'dec-15', 'dec-first-instant']);
      expect(await rangeIds('s', ms('2024-11-01T00:00:00+08:00'), DECEMBER[0])).toEqual(['nov-30-late']);
      expect(await rangeIds('s', ms('2023-01-01T00:00:00Z'), ms('2023-02-01T00:00:00Z'))).toEqual([]);
      expect(await rangeIds('s', DECEMBER[0], DECEMBER[0])).toEqual([]);
      const [first] = await backend.listPublishedBetween('s', ...DECEMBER);
      expect(first).toEqual(await stored('s', 'dec-31-late'));
    });

    it('orders ties as listArticles does: by first seen, then id', async () => {
      const noon = '2024-12-20T12:00:00+08:00';
      await backend.upsertArticles(
        's',
        ['tie-b', 'tie-a'].map((id) => article({ id, publishedAt: noon })),
        T1,
      );
      await backend.upsertArticles('s', [article({ id: 'tie-later', publishedAt: noon })], T2);
      const listed = (await ids('s', { limit: 100 })).filter((id) => id.startsWith('tie'));
      expect(listed).toEqual(['tie-later', 'tie-a', 'tie-b']);
      expect((await rangeIds('s', ...DECEMBER)).filter((id) => id.startsWith('tie'))).toEqual(listed);
    });

    it('counts what was published at or after an instant, never an undated article', async () => {
      expect(await backend.countPublishedSince('s', DECEMBER[1])).toBe(1);
      expect(await backend.countPublishedSince('s', DECEMBER[0])).toBe(4);
      expect(await backend.countPublishedSince('s', ms('2000-01-01T00:00:00Z'))).toBe(5);
      expect(await backend.countPublishedSince('nobody', DECEMBER[0])).toBe(0);
    });

    it('finds the newest publishedAt strictly before an instant, skipping empty months and undated articles', async () => {
      expect(await backend.latestPublishedBefore('s', DECEMBER[1])).toBe(ms('2024-12-31T23:59:59+08:00'));
      expect(await backend.latestPublishedBefore('s', DECEMBER[0])).toBe(ms('2024-11-30T23:59:00+08:00'));
      expect(await backend.latestPublishedBefore('s', ms('2025-06-01T00:00:00Z'))).toBe(DECEMBER[1]);
      expect(await backend.latestPublishedBefore('s', ms('2024-11-30T23:59:00+08:00'))).toBeUndefined();
      expect(await backend.latestPublishedBefore('nobody', DECEMBER[1])).toBeUndefined();
    });

    it('follows edits: an article whose date moves leaves one range for another; retention empties them', async () => {
      await backend.upsertArticles(
        's',
        [article({ id: 'dec-15', publishedAt: '2024-11-15T09:00:00+08:00' })],
        T2,
      );
      expect(await rangeIds('s', ...DECEMBER)).toEqual(['dec-31-late', 'dec-first-instant']);
      expect(await rangeIds('s', ms('2024-11-01T00:00:00+08:00'), DECEMBER[0])).toEqual([
        'nov-30-late',
        'dec-15',
      ]);
      await backend.applyRetention('s', { maxArticles: 1 }, T3);
      expect(await rangeIds('s', ...DECEMBER)).toEqual([]);
      expect(await backend.latestPublishedBefore('s', DECEMBER[1])).toBeUndefined();
    });

    it('refuses bounds that are not finite, or a range that ends before it starts', async () => {
      await expect(backend.listPublishedBetween('s', Number.NaN, DECEMBER[1])).rejects.toThrow(StoreError);
      await expect(backend.listPublishedBetween('s', DECEMBER[1], DECEMBER[0])).rejects.toThrow(/from ≤ to/);
      await expect(backend.countPublishedSince('s', Number.POSITIVE_INFINITY)).rejects.toThrow(StoreError);
      await expect(backend.latestPublishedBefore('s', Number.NaN)).rejects.toThrow(StoreError);
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

    it('keeps the newest maxArticles', async () => {
      await backend.upsertArticles('s', days(10), T1);
      await backend.upsertArticles('other', days(10), T1);
      expect(await backend.applyRetention('s', { maxArticles: 4 }, T2)).toBe(6);
      expect(await ids('s')).toEqual(['d10', 'd9', 'd8', 'd7']);
      expect(await backend.countArticles('other')).toBe(10);
      expect(await backend.applyRetention('s', { maxArticles: 4 }, T2)).toBe(0);
    });

    it('keeps the same articles as the list shows when publishedAt ties', async () => {
      const day = '2024-12-02T00:00:00+08:00';
      await backend.upsertArticles(
        's',
        ['b', 'a', 'c'].map((id) => article({ id, publishedAt: day, datePrecision: 'day' })),
        T1,
      );
      await backend.upsertArticles('s', [article({ id: 'z', publishedAt: day, datePrecision: 'day' })], T2);
      expect(await backend.applyRetention('s', { maxArticles: 2 }, T3)).toBe(2);
      expect(await ids('s')).toEqual(['z', 'a']);
    });

    it('drops articles published longer ago than maxAgeMs, never an undated one', async () => {
      await backend.upsertArticles(
        's',
        [...days(10), article({ id: 'undated', publishedAt: 'unknown' })],
        T1,
      );
      const now = '2024-12-10T09:00:00+08:00';
      expect(await backend.applyRetention('s', { maxAgeMs: 3 * 86_400_000 }, now)).toBe(6);
      expect(await ids('s')).toEqual(['d10', 'd9', 'd8', 'd7', 'undated']);
    });

    it('applies both limits and reports the total', async () => {
      await backend.upsertArticles('s', days(10), T1);
      expect(
        await backend.applyRetention(
          's',
          { maxAgeMs: 5 * 86_400_000, maxArticles: 2 },
          '2024-12-10T09:00:00+08:00',
        ),
      ).toBe(8);
      expect(await ids('s')).toEqual(['d10', 'd9']);
    });

    it('drops nothing for an empty policy, and rejects a bad one', async () => {
      await backend.upsertArticles('s', days(3), T1);
      expect(await backend.applyRetention('s', {}, T2)).toBe(0);
      await expect(backend.applyRetention('s', { maxArticles: -1 }, T2)).rejects.toMatchObject({
        code: 'bad-policy',
      });
      await expect(backend.applyRetention('s', { maxAgeMs: Number.NaN }, T2)).rejects.toThrow(StoreError);
      expect(await backend.countArticles('s')).toBe(3);
    });
  });

  describe('status', () => {
    it('has defaults for a source never seen, and counts the stored articles', async () => {
      expect(await backend.getStatus('new')).toEqual({
        sourceId: 'new',
        consecutiveFailures: 0,
        articleCount: 0,
      });
      await backend.upsertArticles('s', [article({ id: 'a' }), article({ id: 'b' })], T1);
      expect((await backend.getStatus('s')).articleCount).toBe(2);
    });

    it('merges patches: absent keys keep their value, keys given as undefined are cleared', async () => {
      await backend.updateStatus('s', {
        lastAttemptAt: T1,
        lastError: 'FetchError: timeout',
        lastErrorAt: T1,
        consecutiveFailures: 2,
      });
      await backend.updateStatus('s', { lastAttemptAt: T2, etag: '"abc"' });
      expect(await backend.getStatus('s')).toEqual({
        sourceId: 's',
        lastAttemptAt: T2,
        lastError: 'FetchError: timeout',
        lastErrorAt: T1,
        consecutiveFailures: 2,
        etag: '"abc"',
        articleCount: 0,
      });

      await backend.updateStatus('s', {
        lastSuccessAt: T3,
        lastError: undefined,
        lastErrorAt: undefined,
        consecutiveFailures: undefined,
        nextRunAt: T3,
      });
      expect(await backend.getStatus('s')).toEqual({
        sourceId: 's',
        lastAttemptAt: T2,
        lastSuccessAt: T3,
        consecutiveFailures: 0,
        nextRunAt: T3,
        etag: '"abc"',
        articleCount: 0,
      });
    });

    it('keeps sources apart and rejects values of the wrong type', async () => {
      await backend.updateStatus('a', { etag: '"a"', consecutiveFailures: 1 });
      expect(await backend.getStatus('b')).toEqual({
        sourceId: 'b',
        consecutiveFailures: 0,
        articleCount: 0,
      });
      await expect(backend.updateStatus('a', { consecutiveFailures: -1 })).rejects.toThrow(StoreError);
      await expect(
        backend.updateStatus('a', { etag: 42 as unknown as string, lastError: 'x' }),
      ).rejects.toMatchObject({ code: 'bad-status' });
      expect(await backend.getStatus('a')).toMatchObject({ etag: '"a"', consecutiveFailures: 1 });
      expect((await backend.getStatus('a')).lastError).toBeUndefined();
    });
  });

  describe('refresh leases', () => {
    it('grants one lease at a time, then another with a higher fence once released', async () => {
      const first = granted(await backend.acquireRefresh('s', { ttlMs: 500, freshForMs: 0 }));
      expect(first.sourceId).toBe('s');
      const refused = await backend.acquireRefresh('s', { ttlMs: 500, freshForMs: 0 });
      expect(refused).toMatchObject({ refused: 'held' });
      expect((refused as { retryInMs: number }).retryInMs).toBeGreaterThan(0);
      expect((refused as { retryInMs: number }).retryInMs).toBeLessThanOrEqual(500);
      granted(await backend.acquireRefresh('other', { ttlMs: 500, freshForMs: 0 })).release();

      await first.release();
      await first.release();
      const second = granted(await backend.acquireRefresh('s', { ttlMs: 500, freshForMs: 0 }));
      expect(second.fence).toBeGreaterThan(first.fence);
      await second.release();
    });

    it('refuses a source refreshed less than freshForMs ago, then grants it', async () => {
      const lease = granted(await backend.acquireRefresh('s', { ttlMs: 500, freshForMs: 400 }));
      await lease.complete(new Date());
      await lease.release();
      const refused = await backend.acquireRefresh('s', { ttlMs: 500, freshForMs: 400 });
      expect(refused).toMatchObject({ refused: 'fresh' });
      const { retryInMs } = refused as { retryInMs: number };
      expect(retryInMs).toBeGreaterThan(0);
      expect(retryInMs).toBeLessThanOrEqual(400);
      expect('lease' in (await backend.acquireRefresh('s', { ttlMs: 500, freshForMs: 0 }))).toBe(true);
      await backend.close();
      backend = await openAgain();
      await sleep(retryInMs + 30);
      granted(await backend.acquireRefresh('s', { ttlMs: 500, freshForMs: 400 }));
    });
  });

  it('tells its own listeners about the changes it publishes', async () => {
    const heard: string[] = [];
    backend.onChange((sourceId) => heard.push(sourceId));
    await backend.publishChange('s');
    await backend.publishChange('t');
    await eventually(() => heard.length === 2);
    expect(heard).toEqual(['s', 't']);
  });

  describe('outbox', () => {
    const LEASE = 60_000;
    const hooks = (edited = false): OutboxTarget[] => [
      { destination: 's:webhook:1', feedId: 's', edited },
      { destination: 's:email:2', feedId: 's', edited: false },
    ];
    const claimAll = () => backend.claimDeliveries({ limit: 100, leaseMs: LEASE });
    const titles = (delivery: ClaimedDelivery) => delivery.items.map((item) => item.article.title);

    it('writes one entry per destination with the new articles, in the upsert', async () => {
      const items = listing('index.html');
      await backend.upsertArticles('tjjy', items, T1, undefined, { outbox: hooks() });
      const claimed = await claimAll();
      expect(claimed.map((each) => each.destination).sort()).toEqual(['s:email:2', 's:webhook:1']);
      for (const delivery of claimed) {
        expect(delivery).toMatchObject({ feedId: 's', createdAt: T1, attempts: 1 });
        expect(delivery.key).toMatch(/^[0-9a-f-]{36}$/);
        expect(delivery.items.map((item) => item.article)).toEqual(items);
        expect(delivery.items.every((item) => !item.edited && item.firstSeen === T1)).toBe(true);
      }
      expect(claimed[0]?.key).not.toBe(claimed[1]?.key);
      // Nothing new: nothing queued.
      await backend.upsertArticles('tjjy', items, T2, undefined, { outbox: hooks() });
      expect(await claimAll()).toEqual([]);
    });

    it('queues edited articles, flagged, only for destinations that ask, and only what a feed keeps', async () => {
      await backend.upsertArticles('s', [article({ id: 'a' }), article({ id: 'b' })], T1);
      const targets: OutboxTarget[] = [
        ...hooks(true),
        {
          destination: 'f:webhook:3',
          feedId: 'f',
          edited: true,
          keep: (each) => each.title.includes('招生'),
        },
      ];
      await backend.upsertArticles(
        's',
        [
          article({ id: 'a', title: '招生简章（更新）' }),
          article({ id: 'b' }),
          article({ id: 'c', title: '新闻' }),
        ],
        T2,
        undefined,
        { outbox: targets },
      );
      const byDestination = new Map((await claimAll()).map((each) => [each.destination, each]));
      expect(titles(byDestination.get('s:webhook:1')!)).toEqual(['招生简章（更新）', '新闻']);
      expect(
        byDestination.get('s:webhook:1')!.items.map((item) => [item.edited, item.firstSeen, item.updatedAt]),
      ).toEqual([
        [true, T1, T2],
        [false, T2, T2],
      ]);
      expect(titles(byDestination.get('s:email:2')!)).toEqual(['新闻']);
      expect(titles(byDestination.get('f:webhook:3')!)).toEqual(['招生简章（更新）']);
    });

    it('splits a big first write into entries of at most 100 articles', async () => {
      const many = Array.from({ length: 230 }, (_, index) => article({ id: `a${index}` }));
      await backend.upsertArticles('s', many, T1, undefined, { outbox: hooks().slice(0, 1) });
      const claimed = await claimAll();
      expect(claimed.map((each) => each.items.length).sort()).toEqual([100, 100, 30]);
      expect(new Set(claimed.flatMap((each) => each.items.map((item) => item.article.id))).size).toBe(230);
    });

    it('writes nothing when the upsert fails', async () => {
      await expect(
        backend.upsertArticles('s', [article({ id: 'a' }), article({ id: '' })], T1, undefined, {
          outbox: hooks(),
        }),
      ).rejects.toMatchObject({ code: 'bad-article' });
      expect(await claimAll()).toEqual([]);
      expect(await backend.deliveryStatus()).toEqual([]);
    });

    it('leases a claim: no second claim gets it; completing removes it and records the success', async () => {
      await backend.upsertArticles('s', [article({ id: 'a' })], T1, undefined, {
        outbox: hooks().slice(0, 1),
      });
      const [delivery] = await backend.claimDeliveries({ limit: 1, leaseMs: LEASE });
      expect(delivery).toBeDefined();
      expect(await claimAll()).toEqual([]);
      expect(await backend.deliveryStatus()).toEqual([
        { destination: 's:webhook:1', pending: 1, failed: 0, delivered: 0, consecutiveFailures: 0 },
      ]);
      await backend.completeDelivery(delivery!, T2);
      await backend.completeDelivery(delivery!, T3);
      expect(await backend.deliveryStatus()).toEqual([
        {
          destination: 's:webhook:1',
          pending: 0,
          failed: 0,
          delivered: 1,
          lastSuccessAt: T2,
          consecutiveFailures: 0,
        },
      ]);
      expect(await claimAll()).toEqual([]);
    });

    it('retries a failed entry at retryAt under the same key, then gives up and keeps it as failed', async () => {
      await backend.upsertArticles('s', [article({ id: 'a' })], T1, undefined, {
        outbox: hooks().slice(0, 1),
      });
      const [first] = await claimAll();
      const retryAt = new Date(Date.now() + 300).toISOString();
      await backend.failDelivery(first!, { error: 'HTTP 503', at: T2, retryAt });
      expect(await claimAll()).toEqual([]);
      expect((await backend.deliveryStatus())[0]).toMatchObject({
        pending: 1,
        lastError: 'HTTP 503',
        lastErrorAt: T2,
        consecutiveFailures: 1,
      });
      await sleep(350);
      const [second] = await claimAll();
      expect(second).toMatchObject({ key: first!.key, attempts: 2, items: first!.items });
      expect(second!.token).not.toBe(first!.token);
      // The first claim is over: its failure no longer counts.
      await backend.failDelivery(first!, { error: 'stale', at: T3 });
      await backend.failDelivery(second!, { error: 'HTTP 410', at: T3 });
      expect(await backend.deliveryStatus()).toEqual([
        {
          destination: 's:webhook:1',
          pending: 0,
          failed: 1,
          delivered: 0,
          lastError: 'HTTP 410',
          lastErrorAt: T3,
          consecutiveFailures: 2,
        },
      ]);
      expect(await claimAll()).toEqual([]);
    });

    it('takes over a claim whose lease ran out; the old claim can no longer fail it', async () => {
      await backend.upsertArticles('s', [article({ id: 'a' })], T1, undefined, {
        outbox: hooks().slice(0, 1),
      });
      const [first] = await backend.claimDeliveries({ limit: 5, leaseMs: 100 });
      expect(await backend.claimDeliveries({ limit: 5, leaseMs: 100 })).toEqual([]);
      await sleep(150);
      const [again] = await backend.claimDeliveries({ limit: 5, leaseMs: LEASE });
      expect(again).toMatchObject({ key: first!.key, attempts: 2 });
      await backend.failDelivery(first!, { error: 'late', at: T2 });
      expect((await backend.deliveryStatus())[0]).toMatchObject({ pending: 1, consecutiveFailures: 0 });
      await backend.completeDelivery(again!, T2);
      expect((await backend.deliveryStatus())[0]).toMatchObject({ pending: 0, delivered: 1 });
    });

    it('keeps pending entries, failures and successes across close and reopen', async () => {
      await backend.upsertArticles('s', [article({ id: 'a' })], T1, undefined, { outbox: hooks() });
      const claimed = await claimAll();
      await backend.completeDelivery(claimed.find((each) => each.destination === 's:email:2')!, T2);
      const hook = claimed.find((each) => each.destination === 's:webhook:1')!;
      await backend.failDelivery(hook, { error: 'timeout', at: T2, retryAt: T2 });
      await backend.close();
      backend = await openAgain();
      expect(await backend.deliveryStatus()).toEqual([
        {
          destination: 's:email:2',
          pending: 0,
          failed: 0,
          delivered: 1,
          lastSuccessAt: T2,
          consecutiveFailures: 0,
        },
        {
          destination: 's:webhook:1',
          pending: 1,
          failed: 0,
          delivered: 0,
          lastError: 'timeout',
          lastErrorAt: T2,
          consecutiveFailures: 1,
        },
      ]);
      const [again] = await claimAll();
      expect(again).toMatchObject({ key: hook.key, attempts: 2 });
    });

    it('rejects bad claims and times', async () => {
      await expect(backend.claimDeliveries({ limit: 0, leaseMs: LEASE })).rejects.toMatchObject({
        code: 'bad-claim',
      });
      await expect(backend.claimDeliveries({ limit: 1, leaseMs: 0 })).rejects.toThrow(StoreError);
      await expect(backend.completeDelivery({ key: 'k', token: 't' }, 'soon')).rejects.toMatchObject({
        code: 'bad-time',
      });
    });
  });

  it('keeps history and status across close and reopen', async () => {
    await backend.upsertArticles('tjjy', listing('index.html'), T1);
    await backend.updateStatus('tjjy', { lastSuccessAt: T1, etag: 'W/"1"' });
    await backend.close();

    const second = await openAgain();
    expect(await second.countArticles('tjjy')).toBe(15);
    await second.upsertArticles('tjjy', listing('index_1.html'), T2);
    await second.close();

    const third = await openAgain();
    expect(await third.countArticles('tjjy')).toBe(30);
    expect(await third.getStatus('tjjy')).toMatchObject({
      lastSuccessAt: T1,
      etag: 'W/"1"',
      articleCount: 30,
    });
    const oldest = (await third.getArticles('tjjy', [listing('index.html')[0]!.id])).values().next().value;
    expect(oldest).toMatchObject({ firstSeen: T1, lastSeen: T1 });
  });
});

describe('the redis backend across instances', () => {
  const TTL = 300;
  let server: TestRedis;
  let prefix: string;
  const opened: Backend[] = [];

  async function instance(name: string, keyPrefix = prefix) {
    const backend = await openRedisBackend(server.url, { keyPrefix, instanceId: name });
    opened.push(backend);
    return backend;
  }

  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    prefix = `across${++locations}:`;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((backend) => backend.close()));
  });

  it('lays its keys out as keys.ts documents', async () => {
    const backend = await instance('a');
    await backend.upsertArticles('s', [article({ id: 'a' })], T1);
    await backend.updateStatus('s', { etag: '"1"' });
    const lease = granted(await backend.acquireRefresh('s', { ttlMs: 5000, freshForMs: 0 }));
    await lease.complete(new Date());
    const raw = new Redis(server.url);
    try {
      expect((await raw.keys(`${prefix}*`)).sort()).toEqual(
        ['articles', 'completed', 'fence', 'lock', 'order', 'status'].map((name) => `${prefix}s:${name}`),
      );
      expect(await raw.type(`${prefix}s:articles`)).toBe('hash');
      expect(await raw.zscore(`${prefix}s:order`, 'a')).toBe(String(Date.parse('2024-12-01T09:00:00+08:00')));
      expect(await raw.hgetall(`${prefix}s:status`)).toEqual({ etag: '"1"' });
      expect(await raw.get(`${prefix}s:lock`)).toMatch(/^a:/);
      expect(await raw.pttl(`${prefix}s:lock`)).toBeLessThanOrEqual(5000);
    } finally {
      raw.disconnect();
    }
  });

  it('grants a source to one instance at a time, with growing fences', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const lease = granted(await a.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
    const refused = await b.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 });
    expect(refused).toMatchObject({ refused: 'held' });
    expect((refused as { retryInMs: number }).retryInMs).toBeLessThanOrEqual(TTL);
    await lease.release();
    const next = granted(await b.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
    expect(next.fence).toBe(lease.fence + 1);
    await next.release();
  });

  it('shares freshness: another instance skips a source just refreshed', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const lease = granted(await a.acquireRefresh('s', { ttlMs: TTL, freshForMs: 400 }));
    await lease.complete(new Date());
    await lease.release();
    expect(await b.acquireRefresh('s', { ttlMs: TTL, freshForMs: 400 })).toMatchObject({ refused: 'fresh' });
    await sleep(430);
    granted(await b.acquireRefresh('s', { ttlMs: TTL, freshForMs: 400 }));
  });

  it('renews a held lease past its ttl', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const lease = granted(await a.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
    await sleep(TTL * 3);
    expect(await b.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 })).toMatchObject({ refused: 'held' });
    expect((lease as RedisLease).lost).toBe(false);
    expect(await a.upsertArticles('s', [article({ id: 'a' })], T1, lease)).toMatchObject({ added: 1 });
    await lease.release();
  });

  it('fences out an instance whose lease expired while it stalled: it writes nothing', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const stale = granted(await a.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
    await a.upsertArticles('s', [article({ id: 'kept', title: 'Before' })], T1, stale);

    stall(TTL + 100);
    const fresh = granted(await b.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
    expect(fresh.fence).toBeGreaterThan(stale.fence);
    await eventually(() => (stale as RedisLease).lost);

    await expect(
      a.upsertArticles('s', [article({ id: 'kept', title: 'After' }), article({ id: 'new' })], T2, stale),
    ).rejects.toMatchObject({
      name: 'StoreError',
      code: 'fenced-out',
      message: expect.stringContaining('s'),
    });
    await expect(a.applyRetention('s', { maxArticles: 0 }, T2, stale)).rejects.toMatchObject({
      code: 'fenced-out',
    });
    await expect(a.upsertArticles('s', [], T2, stale)).rejects.toMatchObject({ code: 'fenced-out' });
    expect(await b.countArticles('s')).toBe(1);
    expect((await b.getArticles('s', ['kept'])).get('kept')).toMatchObject({
      lastSeen: T1,
      article: { title: 'Before' },
    });

    await stale.complete(new Date());
    await stale.release();
    expect(await a.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 })).toMatchObject({ refused: 'held' });
    expect(await b.upsertArticles('s', [article({ id: 'new' })], T3, fresh)).toMatchObject({ added: 1 });
    expect(await b.applyRetention('s', { maxArticles: 1 }, T3, fresh)).toBe(1);
    await fresh.release();
    // The stale completion was not recorded: the source is not fresh.
    granted(await b.acquireRefresh('s', { ttlMs: TTL, freshForMs: 60_000 }));
  });

  it('writes outbox entries only in the fenced script: a fenced-out writer queues nothing', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const outbox = [{ destination: 's:webhook:1', feedId: 's', edited: true }];
    const stale = granted(await a.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
    stall(TTL + 100);
    const fresh = granted(await b.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
    await expect(
      a.upsertArticles('s', [article({ id: 'late' })], T1, stale, { outbox }),
    ).rejects.toMatchObject({ code: 'fenced-out' });
    expect(await b.claimDeliveries({ limit: 10, leaseMs: 60_000 })).toEqual([]);
    expect(await b.deliveryStatus()).toEqual([]);

    await b.upsertArticles('s', [article({ id: 'on-time' })], T2, fresh, { outbox });
    const claimed = await a.claimDeliveries({ limit: 10, leaseMs: 60_000 });
    expect(claimed.map((each) => each.items.map((item) => item.article.id))).toEqual([['on-time']]);
    await fresh.release();
  });

  it('lays the outbox out as keys.ts documents', async () => {
    const a = await instance('a');
    await a.upsertArticles('s', [article({ id: 'a' })], T1, undefined, {
      outbox: [{ destination: 'd', feedId: 's', edited: false }],
    });
    const raw = new Redis(server.url);
    try {
      const outbox = `${prefix}_outbox:`;
      expect((await raw.keys(`${outbox}*`)).sort()).toEqual([
        `${outbox}due`,
        `${outbox}entries`,
        `${outbox}states`,
      ]);
      const [key] = await raw.zrange(`${outbox}due`, 0, -1);
      expect(JSON.parse((await raw.hget(`${outbox}states`, key!))!)).toEqual({
        destination: 'd',
        state: 'pending',
        attempts: 0,
      });
      const [claimed] = await a.claimDeliveries({ limit: 1, leaseMs: 60_000 });
      expect(await raw.zcard(`${outbox}due`)).toBe(0);
      expect(Number(await raw.zscore(`${outbox}claims`, key!))).toBeGreaterThan(Date.now());
      await a.failDelivery(claimed!, { error: 'gone', at: T2 });
      expect(await raw.zrange(`${outbox}failed`, 0, -1)).toEqual([key]);
      expect(JSON.parse((await raw.hget(`${outbox}status`, 'd'))!)).toEqual({
        consecutiveFailures: 1,
        lastError: 'gone',
        lastErrorAt: T2,
      });
    } finally {
      raw.disconnect();
    }
  });

  it('never hands one entry to two instances claiming at once', async () => {
    const instances = await Promise.all(['a', 'b', 'c'].map((name) => instance(name)));
    const outbox = Array.from({ length: 12 }, (_, index) => ({
      destination: `d${index}`,
      feedId: 's',
      edited: false,
    }));
    await instances[0]!.upsertArticles('s', [article({ id: 'a' })], T1, undefined, { outbox });
    const rounds = await Promise.all(
      instances.flatMap((each) => [1, 2, 3].map(() => each.claimDeliveries({ limit: 2, leaseMs: 60_000 }))),
    );
    const keys = rounds.flat().map((each) => each.key);
    expect(keys).toHaveLength(12);
    expect(new Set(keys).size).toBe(12);
  });

  it('fences out a lease that expired with nobody else holding the source', async () => {
    const a = await instance('a');
    const lease = granted(await a.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
    stall(TTL + 100);
    await expect(a.upsertArticles('s', [article({ id: 'a' })], T1, lease)).rejects.toMatchObject({
      code: 'fenced-out',
    });
    expect(await a.countArticles('s')).toBe(0);
  });

  it('refuses a lease for another source, or from another kind of backend', async () => {
    const a = await instance('a');
    const lease = granted(await a.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
    await expect(a.upsertArticles('t', [article({ id: 'a' })], T1, lease)).rejects.toMatchObject({
      code: 'bad-lease',
    });
    const foreign: RefreshLease = {
      sourceId: 's',
      fence: lease.fence,
      complete: async () => {},
      release: async () => {},
    };
    await expect(a.applyRetention('s', {}, T1, foreign)).rejects.toMatchObject({ code: 'bad-lease' });
    await lease.release();
  });

  it('delivers changes to every instance, the publisher included, within its key prefix', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const elsewhere = await instance('c', `${prefix}elsewhere:`);
    const heard = { a: [] as string[], b: [] as string[], elsewhere: [] as string[] };
    a.onChange((sourceId) => heard.a.push(sourceId));
    b.onChange((sourceId) => heard.b.push(sourceId));
    elsewhere.onChange((sourceId) => heard.elsewhere.push(sourceId));
    await a.publishChange('s');
    await b.publishChange('t');
    await eventually(() => heard.a.length === 2 && heard.b.length === 2);
    expect(heard).toEqual({ a: ['s', 't'], b: ['s', 't'], elsewhere: [] });
  });

  it('keeps instances with different key prefixes apart', async () => {
    const a = await instance('a');
    const other = await instance('b', `${prefix}other:`);
    await a.upsertArticles('s', [article({ id: 'a' })], T1);
    expect(await other.countArticles('s')).toBe(0);
    granted(await a.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
    granted(await other.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
  });

  it('releases its leases when closed, so others need not wait for them to expire', async () => {
    const a = await instance('a');
    const b = await instance('b');
    granted(await a.acquireRefresh('s', { ttlMs: 60_000, freshForMs: 0 }));
    await a.close();
    granted(await b.acquireRefresh('s', { ttlMs: 60_000, freshForMs: 0 }));
  });

  it('fails fast, naming the URL, when Redis is not there', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const started = Date.now();
    await expect(openRedisBackend(url)).rejects.toMatchObject({
      name: 'StoreError',
      code: 'cannot-connect',
      message: expect.stringContaining(url),
    });
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(openRedisBackend('redis://:secret@127.0.0.1:1')).rejects.toSatisfy(
      (error: Error) => !error.message.includes('secret'),
    );
  });

  it('fails calls instead of hanging when Redis goes away', async () => {
    const doomed = await startRedis();
    const backend = await openRedisBackend(doomed.url, { keyPrefix: prefix });
    await backend.upsertArticles('s', [article({ id: 'a' })], T1);
    doomed.kill();
    await expect(backend.countArticles('s')).rejects.toThrow();
    await backend.close();
  });
});

describe('the postgres backend across instances', () => {
  const TTL = 300;
  let server: TestPostgres;
  let url: string;
  const opened: Backend[] = [];

  async function instance(name: string, databaseUrl = url) {
    const backend = await openPostgresBackend(databaseUrl, { instanceId: name });
    opened.push(backend);
    return backend;
  }

  /** Runs SQL on the test database, as an operator would. */
  async function sql<Row extends pg.QueryResultRow>(text: string, values: unknown[] = [], on = url) {
    const client = new pg.Client({ connectionString: on });
    await client.connect();
    try {
      return (await client.query<Row>(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server.stop());
  beforeEach(async () => {
    url = await server.createDatabase();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((backend) => backend.close()));
  });

  it('lays its tables out as migrations.ts documents, times on the database clock', async () => {
    const backend = await instance('a');
    await backend.upsertArticles('s', [article({ id: 'a' })], T1);
    await backend.updateStatus('s', { etag: '"1"' });
    const lease = granted(await backend.acquireRefresh('s', { ttlMs: 5000, freshForMs: 0 }));
    const tables = await sql<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(tables.map((row) => row.table_name)).toEqual([
      'articles',
      'delivery_status',
      'leases',
      'outbox',
      'source_status',
      'tidings_migrations',
    ]);
    expect(await sql('SELECT version, name FROM tidings_migrations')).toEqual(
      MIGRATIONS.map((migration, index) => ({ version: index + 1, name: migration.name })),
    );
    const [row] = await sql<{ article: string; published_at: string; title: string }>(
      'SELECT article, published_at, title FROM articles',
    );
    expect(JSON.parse(row!.article)).toEqual(article({ id: 'a' }));
    expect(Number(row!.published_at)).toBe(Date.parse('2024-12-01T09:00:00+08:00'));
    expect(row!.title).toBe('title a');
    expect(await sql('SELECT source_id, etag, consecutive_failures FROM source_status')).toEqual([
      { source_id: 's', etag: '"1"', consecutive_failures: 0 },
    ]);
    const [held] = await sql<{ fence: string; holder: string; left_ms: number }>(
      `SELECT fence, holder, (extract(epoch FROM expires_at - clock_timestamp()) * 1000)::float8 AS left_ms
       FROM leases WHERE source_id = 's'`,
    );
    expect(Number(held!.fence)).toBe(lease.fence);
    expect(held!.holder).toMatch(/^a:[0-9a-f]{24}$/);
    expect(held!.left_ms).toBeGreaterThan(4000);
    expect(held!.left_ms).toBeLessThanOrEqual(5000);
    await lease.release();
    expect(await sql("SELECT holder, expires_at FROM leases WHERE source_id = 's'")).toEqual([
      { holder: null, expires_at: null },
    ]);
  });

  it('applies each migration once when several instances start at once, and refuses a newer schema', async () => {
    const instances = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((name) => instance(name)));
    expect(await sql('SELECT count(*)::int AS count FROM tidings_migrations')).toEqual([
      { count: SCHEMA_VERSION },
    ]);
    await instances[0]!.upsertArticles('s', [article({ id: 'a' })], T1);
    expect(await instances[5]!.countArticles('s')).toBe(1);

    await sql("INSERT INTO tidings_migrations (version, name) VALUES ($1, 'from the future')", [
      SCHEMA_VERSION + 1,
    ]);
    await expect(openPostgresBackend(url)).rejects.toMatchObject({
      name: 'StoreError',
      code: 'newer-schema',
      message: expect.stringContaining(`schema version ${SCHEMA_VERSION + 1}`),
    });
  });

  it('grants a source to one instance at a time, with growing fences', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const lease = granted(await a.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
    const refused = await b.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 });
    expect(refused).toMatchObject({ refused: 'held' });
    expect((refused as { retryInMs: number }).retryInMs).toBeLessThanOrEqual(TTL);
    await lease.release();
    const next = granted(await b.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
    expect(next.fence).toBe(lease.fence + 1);
    await next.release();
  });

  it('grants a source once however many instances ask at the same moment', async () => {
    const instances = await Promise.all(['a', 'b', 'c', 'd'].map((name) => instance(name)));
    const answers = await Promise.all(
      instances.flatMap((each) => [1, 2].map(() => each.acquireRefresh('s', { ttlMs: 5000, freshForMs: 0 }))),
    );
    expect(answers.filter((answer) => 'lease' in answer)).toHaveLength(1);
    expect(answers.filter((answer) => 'refused' in answer && answer.refused === 'held')).toHaveLength(7);
  });

  it('shares freshness: another instance skips a source just refreshed', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const lease = granted(await a.acquireRefresh('s', { ttlMs: TTL, freshForMs: 400 }));
    await lease.complete(new Date());
    await lease.release();
    expect(await b.acquireRefresh('s', { ttlMs: TTL, freshForMs: 400 })).toMatchObject({ refused: 'fresh' });
    await sleep(430);
    granted(await b.acquireRefresh('s', { ttlMs: TTL, freshForMs: 400 }));
  });

  it('renews a held lease past its ttl', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const lease = granted(await a.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
    await sleep(TTL * 3);
    expect(await b.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 })).toMatchObject({ refused: 'held' });
    expect((lease as PostgresLease).lost).toBe(false);
    expect(await a.upsertArticles('s', [article({ id: 'a' })], T1, lease)).toMatchObject({ added: 1 });
    await lease.release();
  });

  it('fences out an instance whose lease expired while it stalled: it writes nothing', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const stale = granted(await a.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
    await a.upsertArticles('s', [article({ id: 'kept', title: 'Before' })], T1, stale);

    stall(TTL + 100);
    const fresh = granted(await b.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
    expect(fresh.fence).toBeGreaterThan(stale.fence);
    await eventually(() => (stale as PostgresLease).lost);

    await expect(
      a.upsertArticles('s', [article({ id: 'kept', title: 'After' }), article({ id: 'new' })], T2, stale),
    ).rejects.toMatchObject({
      name: 'StoreError',
      code: 'fenced-out',
      message: expect.stringContaining('s'),
    });
    await expect(a.applyRetention('s', { maxArticles: 0 }, T2, stale)).rejects.toMatchObject({
      code: 'fenced-out',
    });
    await expect(a.upsertArticles('s', [], T2, stale)).rejects.toMatchObject({ code: 'fenced-out' });
    expect(await b.countArticles('s')).toBe(1);
    expect((await b.getArticles('s', ['kept'])).get('kept')).toMatchObject({
      lastSeen: T1,
      article: { title: 'Before' },
    });

    await stale.complete(new Date());
    await stale.release();
    expect(await a.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 })).toMatchObject({ refused: 'held' });
    expect(await b.upsertArticles('s', [article({ id: 'new' })], T3, fresh)).toMatchObject({ added: 1 });
    expect(await b.applyRetention('s', { maxArticles: 1 }, T3, fresh)).toBe(1);
    await fresh.release();
    // The stale completion was not recorded: the source is not fresh.
    granted(await b.acquireRefresh('s', { ttlMs: TTL, freshForMs: 60_000 }));
  });

  it('lands a write racing a hand-over whole, before the next grant, or not at all', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const lease = granted(await a.acquireRefresh('s', { ttlMs: 2000, freshForMs: 0 }));
    const many = Array.from({ length: 500 }, (_, index) => article({ id: `a${index}` }));
    const write = a.upsertArticles('s', many, T1, lease);
    await lease.release();
    const next = await b.acquireRefresh('s', { ttlMs: 2000, freshForMs: 0 });
    // Either the write saw the lease still held (and landed whole) or it was refused (and wrote nothing).
    const outcome = await write.then(
      () => 'landed',
      (error: StoreError) => error.code,
    );
    expect(['landed', 'fenced-out']).toContain(outcome);
    expect(await b.countArticles('s')).toBe(outcome === 'landed' ? 500 : 0);
    granted(next);
  });

  it('writes outbox entries only in the fenced transaction: a fenced-out writer queues nothing', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const outbox = [{ destination: 's:webhook:1', feedId: 's', edited: true }];
    const stale = granted(await a.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
    stall(TTL + 100);
    const fresh = granted(await b.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
    await expect(
      a.upsertArticles('s', [article({ id: 'late' })], T1, stale, { outbox }),
    ).rejects.toMatchObject({ code: 'fenced-out' });
    expect(await b.claimDeliveries({ limit: 10, leaseMs: 60_000 })).toEqual([]);
    expect(await b.deliveryStatus()).toEqual([]);

    await b.upsertArticles('s', [article({ id: 'on-time' })], T2, fresh, { outbox });
    const claimed = await a.claimDeliveries({ limit: 10, leaseMs: 60_000 });
    expect(claimed.map((each) => each.items.map((item) => item.article.id))).toEqual([['on-time']]);
    await fresh.release();
  });

  it('never hands one entry to two instances claiming at once', async () => {
    const instances = await Promise.all(['a', 'b', 'c'].map((name) => instance(name)));
    const outbox = Array.from({ length: 12 }, (_, index) => ({
      destination: `d${index}`,
      feedId: 's',
      edited: false,
    }));
    await instances[0]!.upsertArticles('s', [article({ id: 'a' })], T1, undefined, { outbox });
    const rounds = await Promise.all(
      instances.flatMap((each) => [1, 2, 3].map(() => each.claimDeliveries({ limit: 2, leaseMs: 60_000 }))),
    );
    const keys = rounds.flat().map((each) => each.key);
    expect(keys).toHaveLength(12);
    expect(new Set(keys).size).toBe(12);
  });

  it('fences out a lease that expired with nobody else holding the source', async () => {
    const a = await instance('a');
    const lease = granted(await a.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
    stall(TTL + 100);
    await expect(a.upsertArticles('s', [article({ id: 'a' })], T1, lease)).rejects.toMatchObject({
      code: 'fenced-out',
    });
    expect(await a.countArticles('s')).toBe(0);
  });

  it('refuses a lease for another source, or from another kind of backend', async () => {
    const a = await instance('a');
    const lease = granted(await a.acquireRefresh('s', { ttlMs: TTL, freshForMs: 0 }));
    await expect(a.upsertArticles('t', [article({ id: 'a' })], T1, lease)).rejects.toMatchObject({
      code: 'bad-lease',
    });
    const foreign: RefreshLease = {
      sourceId: 's',
      fence: lease.fence,
      complete: async () => {},
      release: async () => {},
    };
    await expect(a.applyRetention('s', {}, T1, foreign)).rejects.toMatchObject({ code: 'bad-lease' });
    await lease.release();
  });

  it('delivers changes to every instance, the publisher included, within its database', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const elsewhere = await instance('c', await server.createDatabase());
    const heard = { a: [] as string[], b: [] as string[], elsewhere: [] as string[] };
    a.onChange((sourceId) => heard.a.push(sourceId));
    b.onChange((sourceId) => heard.b.push(sourceId));
    elsewhere.onChange((sourceId) => heard.elsewhere.push(sourceId));
    await a.publishChange('s');
    await b.publishChange('t');
    await eventually(() => heard.a.length === 2 && heard.b.length === 2);
    expect(heard).toEqual({ a: ['s', 't'], b: ['s', 't'], elsewhere: [] });
  });

  it('reconnects its notice connection when it drops, and then counts every source as changed', async () => {
    const a = await instance('listener');
    const b = await instance('publisher');
    await b.updateStatus('s', { etag: '"1"' });
    granted(await b.acquireRefresh('t', { ttlMs: 5000, freshForMs: 0 }));
    const heard: string[] = [];
    a.onChange((sourceId) => heard.push(sourceId));
    const [terminated] = await sql<{ count: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS count FROM pg_stat_activity
       WHERE application_name = 'tidings:listener:changes'`,
    );
    expect(terminated?.count).toBe(1);
    await eventually(() => a.unreachable() !== undefined);
    expect(a.unreachable()).toMatch(/change-notice connection/);
    await eventually(() => heard.includes('s') && heard.includes('t'), 5000);
    expect(a.unreachable()).toBeUndefined();
    heard.length = 0;
    await b.publishChange('u');
    await eventually(() => heard.includes('u'));
  });

  it('releases its leases when closed, so others need not wait for them to expire', async () => {
    const a = await instance('a');
    const b = await instance('b');
    granted(await a.acquireRefresh('s', { ttlMs: 60_000, freshForMs: 0 }));
    await a.close();
    granted(await b.acquireRefresh('s', { ttlMs: 60_000, freshForMs: 0 }));
  });

  it('fails fast, naming the URL without its password, when PostgreSQL is not there', async () => {
    const nowhere = `postgres://tidings:secret@127.0.0.1:${await freePort()}/tidings`;
    const started = Date.now();
    const error = await openPostgresBackend(nowhere).then(
      () => undefined,
      (reason: StoreError) => reason,
    );
    expect(error).toMatchObject({ name: 'StoreError', code: 'cannot-connect' });
    expect(error?.message).toContain(nowhere.replace('secret', '***'));
    expect(error?.message).not.toContain('secret');
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(openPostgresBackend(`${server.url}_missing`)).rejects.toMatchObject({
      code: 'cannot-connect',
      message: expect.stringContaining('does not exist'),
    });
  });

  it('fails calls instead of hanging when PostgreSQL goes away, and says it is unreachable', async () => {
    const doomed = await startPostgres();
    const backend = await openPostgresBackend(await doomed.createDatabase());
    opened.push(backend);
    await backend.upsertArticles('s', [article({ id: 'a' })], T1);
    expect(backend.unreachable()).toBeUndefined();
    doomed.kill();
    await expect(backend.countArticles('s')).rejects.toThrow();
    await eventually(() => backend.unreachable() !== undefined);
    expect(backend.unreachable()).toMatch(/PostgreSQL/);
  });
});
