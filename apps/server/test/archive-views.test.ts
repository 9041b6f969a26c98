import type { Article } from '@tidings/parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../src/config/types.js';
import { Metrics } from '../src/metrics.js';
import { openSqliteBackend, type SqliteBackend } from '../src/store/sqlite-backend.js';
import { NoArchiveError } from '../src/views/archive-document.js';
import type { ArchiveMonth } from '../src/views/archive-months.js';
import { ArchiveViews } from '../src/views/archive-views.js';
import type { Prepared } from '../src/views/prepared.js';

// A source read in China time (a site with no profile is read by `auto`, in Asia/Shanghai).
const SOURCE: SourceConfig = {
  id: 'news',
  url: 'https://example.org/news/',
  enabled: true,
  pages: 1,
  refreshMs: 3_600_000,
  fullText: false,
  retention: {},
  allowPrivateNetwork: false,
  feedSize: 3,
};

function article(id: string, publishedAt: string): Article {
  return {
    id: `https://example.org/news/${id}.html`,
    url: `https://example.org/news/${id}.html`,
    title: `Title ${id}`,
    publishedAt,
    datePrecision: 'minute',
    summary: '',
    contentText: 'Text.',
    contentHtml: '<p>Text.</p>',
    images: [],
    attachments: [],
    language: 'zh-CN',
  };
}

/** Two articles a month, January to June 2024, none in March; the feed holds the newest 3. */
const ARTICLES = ['01', '02', '04', '05', '06'].flatMap((month) => [
  article(`${month}-a`, `2024-${month}-10T09:00:00+08:00`),
  article(`${month}-b`, `2024-${month}-20T09:00:00+08:00`),
]);

describe('ArchiveViews', () => {
  let backend: SqliteBackend;
  let metrics: Metrics;
  let now: number;
  const views = (limits?: { entries: number; bytes: number }) =>
    new ArchiveViews({
      backend,
      metrics,
      publicBase: 'https://feeds.example.org',
      now: () => now,
      ...(limits && { limits }),
    });
  const read = async (archives: ArchiveViews, month: ArchiveMonth, source = SOURCE) => {
    const view: Prepared = await archives.get(source, month, 'json');
    const body = JSON.parse(view.body.toString()) as { items: { id: string }[]; next_url?: string };
    return {
      ids: body.items.map((item) => item.id.replace(/^https:\/\/example.org\/news\/|\.html$/g, '')),
      previous: body.next_url,
      cacheControl: view.notModified['Cache-Control'],
    };
  };
  const renders = async () =>
    (await metrics.renders.get()).values.find((value) => value.labels.kind === 'archive')?.value ?? 0;

  beforeEach(async () => {
    backend = openSqliteBackend(':memory:');
    metrics = new Metrics();
    now = Date.parse('2024-08-01T00:00:00Z');
    await backend.upsertArticles(SOURCE.id, ARTICLES, '2024-07-01T00:00:00.000Z');
  });
  afterEach(() => backend.close());

  it('partitions what the feed leaves out by month, each linking the next older month that holds one', async () => {
    const archives = views();
    // The feed holds 06-b, 06-a, 05-b: May keeps the rest of its month, March holds nothing.
    expect(await read(archives, '2024-05')).toEqual({
      ids: ['05-a'],
      previous: 'https://feeds.example.org/feeds/news/archive/2024-04.json',
      cacheControl: expect.stringContaining('stale-while-revalidate'),
    });
    expect((await read(archives, '2024-04')).previous).toBe(
      'https://feeds.example.org/feeds/news/archive/2024-02.json',
    );
    expect(await read(archives, '2024-02')).toMatchObject({ ids: ['02-b', '02-a'] });
    expect(await read(archives, '2024-01')).toMatchObject({ ids: ['01-b', '01-a'], previous: undefined });
    await expect(archives.get(SOURCE, '2024-03', 'json')).rejects.toThrow(NoArchiveError);
    await expect(archives.get(SOURCE, '2024-06', 'json')).rejects.toThrow(/still in the feed/);
  });

  it('follows feedSize: a bigger feed leaves May out of the archive altogether', async () => {
    const archives = views();
    const bigger = { ...SOURCE, feedSize: 4 };
    await expect(archives.get(bigger, '2024-05', 'json')).rejects.toThrow(/still in the feed/);
    expect(await read(archives, '2024-04', bigger)).toMatchObject({ ids: ['04-b', '04-a'] });
  });

  it('serves a month as immutable once it is over, rendering it again when it ends while held', async () => {
    now = Date.parse('2024-04-25T00:00:00+08:00');
    const archives = views();
    expect((await read(archives, '2024-04')).cacheControl).toContain('stale-while-revalidate');
    expect((await read(archives, '2024-04')).cacheControl).toContain('stale-while-revalidate');
    now = Date.parse('2024-05-01T00:00:00+08:00');
    expect((await read(archives, '2024-04')).cacheControl).toBe('public, max-age=31536000, immutable');
    expect(await renders()).toBe(2);
  });

  it('holds a bounded number of months, least recently used out, and renders a dropped one again', async () => {
    const archives = views({ entries: 2, bytes: 1024 * 1024 });
    for (const month of ['2024-01', '2024-02', '2024-04'] as const) await archives.get(SOURCE, month, 'atom');
    expect(archives.count).toBe(2);
    expect(await renders()).toBe(3);
    await archives.get(SOURCE, '2024-04', 'atom');
    expect(await renders()).toBe(3);
    await archives.get(SOURCE, '2024-01', 'atom');
    expect(await renders()).toBe(4);
    expect(archives.bytes).toBeLessThanOrEqual(1024 * 1024);
  });

  it('drops a source’s months when it changes, so an edit is rendered on the next request', async () => {
    const archives = views();
    const before = await archives.get(SOURCE, '2024-02', 'atom');
    await backend.upsertArticles(
      SOURCE.id,
      [{ ...ARTICLES[2]!, title: 'Edited' }],
      '2024-07-02T00:00:00.000Z',
    );
    expect(await archives.get(SOURCE, '2024-02', 'atom')).toBe(before);
    archives.invalidate(SOURCE.id);
    const after = await archives.get(SOURCE, '2024-02', 'atom');
    expect(after.etag).not.toBe(before.etag);
    expect(after.body.toString()).toContain('<title type="text">Edited</title>');
  });
});
