// A derived feed that counts days changes with the clock, not only with its source: the feed
// cache renders it again once its hour has passed, and serves the held copy meanwhile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Article } from '@tidings/parser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SourceConfig } from '../src/config/types.js';
import { derivedFeed, sourceFeed } from '../src/filter/feed-definition.js';
import { Metrics } from '../src/metrics.js';
import type { Backend } from '../src/store/backend.js';
import { openSqliteBackend } from '../src/store/sqlite-backend.js';
import { FeedCache } from '../src/views/feed-cache.js';

const DAY_MS = 86_400_000;
const NOW = Date.parse('2026-12-02T10:30:00.000Z');

const source: SourceConfig = {
  id: 'school',
  url: 'https://www.example.edu.cn/news/',
  enabled: true,
  pages: 1,
  refreshMs: 3_600_000,
  fullText: false,
  retention: {},
  allowPrivateNetwork: false,
};

function article(n: number, daysAgo: number): Article {
  const url = `https://www.example.edu.cn/news/${n}.html`;
  return {
    id: url,
    url,
    title: `通知 ${n}`,
    publishedAt: new Date(NOW - daysAgo * DAY_MS).toISOString(),
    datePrecision: 'minute',
    summary: '',
    contentText: `第 ${n} 条`,
    contentHtml: `<p>第 ${n} 条</p>`,
    images: [],
    attachments: [],
    language: 'zh-CN',
  };
}

const items = (cache: FeedCache, id: string) =>
  (
    JSON.parse(cache.get(id, 'json')?.body.toString() ?? '{"items":[]}') as { items: { title: string }[] }
  ).items.map((item) => item.title);

describe('a derived feed with days', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-days-'));
  let backend: Backend;
  let cache: FeedCache;
  const recent = derivedFeed(
    { id: 'school-recent', source: 'school', filter: { include: [], exclude: [], days: 2 } },
    source,
  );

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    backend = openSqliteBackend(join(dir, 'tidings.db'));
    await backend.upsertArticles(
      'school',
      [article(1, 3), article(2, 1.5), article(3, 0.5)],
      new Date(NOW).toISOString(),
    );
    cache = new FeedCache({
      backend,
      metrics: new Metrics(),
      publicBase: 'http://127.0.0.1:3000',
      hub: undefined,
    });
    await cache.rebuild(sourceFeed(source));
    await cache.rebuild(recent);
  });

  afterAll(async () => {
    vi.useRealTimers();
    await backend?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds what was published in its last N days', () => {
    expect(items(cache, 'school')).toEqual(['通知 3', '通知 2', '通知 1']);
    expect(items(cache, 'school-recent')).toEqual(['通知 3', '通知 2']);
  });

  it('is the same view within the hour, and rendered again in the next one', async () => {
    const first = cache.get('school-recent', 'json')?.etag;
    vi.setSystemTime(NOW + 20 * 60_000);
    expect(cache.get('school-recent', 'json')?.etag).toBe(first);
    expect(await cache.rebuild(recent)).toBe(false);

    // A day later, article 2 is 2.5 days old: the first request of the hour still gets the held
    // copy, and starts the render the next one gets.
    vi.setSystemTime(NOW + DAY_MS);
    expect(cache.get('school-recent', 'json')?.etag).toBe(first);
    await vi.waitFor(() => expect(cache.get('school-recent', 'json')?.etag).not.toBe(first));
    expect(items(cache, 'school-recent')).toEqual(['通知 3']);
    expect(items(cache, 'school')).toEqual(['通知 3', '通知 2', '通知 1']);
  });
});
