import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, startServer } from '@tidings/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstream, type Upstream } from '../support/upstream.js';

describe('limits on what one refresh reads', () => {
  let upstream: Upstream;
  let dataDir: string;

  beforeAll(async () => {
    upstream = await startUpstream();
    dataDir = mkdtempSync(join(tmpdir(), 'tidings-limits-'));
  });

  afterAll(async () => {
    await upstream.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fetches at most articlePagesPerRun article pages per run and the rest on later runs; keeps articlesPerPage items', async () => {
    const server = await startServer(
      {
        sources: [
          {
            id: 'tjjy',
            url: 'https://jy.tj.gov.cn/JYXW/TJJY/',
            enabled: true,
            pages: 3,
            refreshMs: 3_600_000,
            fullText: true,
            retention: {},
            allowPrivateNetwork: true,
          },
        ],
        port: 0,
        dataDir,
        limits: {
          pageBytes: 1024 * 1024,
          fetchTimeoutMs: 2_000,
          redirects: 2,
          articlesPerPage: 10,
          articlePagesPerRun: 12,
          articleTextChars: 1000,
        },
      },
      {
        logger: createLogger('silent'),
        schedule: false,
        host: '127.0.0.1',
        fetcher: {
          resolveUrl: (url) =>
            url.origin === 'https://jy.tj.gov.cn' ? new URL(url.pathname, upstream.origin) : url,
          perHostDelayMs: 0,
        },
      },
    );
    try {
      // 3 pages × at most 10 items = 30 listed (page 3 has 7).
      const first = await server.refresh('tjjy');
      expect(first).toMatchObject({ outcome: 'ok', listed: 27, articlePages: 12 });
      const second = await server.refresh('tjjy');
      expect(second).toMatchObject({ outcome: 'ok', articlePages: 12 });
      const third = await server.refresh('tjjy');
      expect(third).toMatchObject({ outcome: 'ok', articlePages: 3 });
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/tidings_limits_hit_total\{source="tjjy",limit="articlePagesPerRun"\} 2/);
      expect(metrics).toMatch(/tidings_limits_hit_total\{source="tjjy",limit="articlesPerPage"\} [1-9]/);
      // Article bodies over 1,000 characters were cut at a paragraph and marked.
      expect(metrics).toMatch(/tidings_limits_hit_total\{source="tjjy",limit="articleTextChars"\} [1-9]/);
      const long = (await (await fetch(`${server.url}/feeds/tjjy.json?limit=500`)).json()) as {
        items: { content_text: string }[];
      };
      expect(long.items.every((item) => item.content_text.length <= 1000 + 5)).toBe(true);
      expect(long.items.some((item) => item.content_text.endsWith('[…]'))).toBe(true);
      const json = (await (await fetch(`${server.url}/feeds/tjjy.json`)).json()) as {
        items: { date_published: string }[];
      };
      expect(json.items).toHaveLength(27);
      // Every article has its page's exact time by now.
      expect(
        json.items.every(
          (item) =>
            /T\d\d:\d\d:00\+08:00$/.test(item.date_published) && !item.date_published.includes('T00:00:00'),
        ),
      ).toBe(true);
    } finally {
      await server.close();
    }
  });
});
