import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sectionSource, siteFrom, startTestServer } from '../support/server.js';
import { startUpstream, type Upstream } from '../support/upstream.js';

describe('limits on what one refresh reads', () => {
  let upstream: Upstream;

  beforeAll(async () => {
    upstream = await startUpstream();
  });

  afterAll(async () => {
    await upstream.close();
  });

  it('fetches at most articlePagesPerRun article pages per run and the rest on later runs; keeps articlesPerPage items; caps text', async () => {
    const server = await startTestServer(
      {
        sources: [sectionSource({ pages: 3, fullText: true })],
        limits: {
          pageBytes: 1024 * 1024,
          fetchTimeoutMs: 2_000,
          redirects: 2,
          articlesPerPage: 10,
          articlePagesPerRun: 12,
          articleTextChars: 1000,
        },
      },
      { fetcher: { resolveUrl: siteFrom(upstream.origin), perHostDelayMs: 0 } },
    );
    try {
      // 3 pages × at most 10 items = 27 listed (page 3 has 7).
      expect(await server.refresh('tjjy')).toMatchObject({ outcome: 'ok', listed: 27, articlePages: 12 });
      expect(await server.refresh('tjjy')).toMatchObject({ outcome: 'ok', articlePages: 12 });
      expect(await server.refresh('tjjy')).toMatchObject({ outcome: 'ok', articlePages: 3 });
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/tidings_limits_hit_total\{source="tjjy",limit="articlePagesPerRun"\} 2/);
      expect(metrics).toMatch(/tidings_limits_hit_total\{source="tjjy",limit="articlesPerPage"\} [1-9]/);
      // Article bodies over 1,000 characters were cut at a paragraph and marked.
      expect(metrics).toMatch(/tidings_limits_hit_total\{source="tjjy",limit="articleTextChars"\} [1-9]/);
      const json = (await (await fetch(`${server.url}/feeds/tjjy.json?limit=500`)).json()) as {
        items: { date_published: string; content_text: string }[];
      };
      expect(json.items).toHaveLength(27);
      // Every article has its page's exact time by now.
      expect(json.items.every((item) => !item.date_published.includes('T00:00:00'))).toBe(true);
      expect(json.items.every((item) => item.content_text.length <= 1000 + 5)).toBe(true);
      expect(json.items.some((item) => item.content_text.endsWith('[…]'))).toBe(true);
    } finally {
      await server.dispose();
    }
  });
});
