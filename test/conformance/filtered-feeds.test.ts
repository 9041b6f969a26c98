// The feeds the server makes from URL options — filtered, cut short, converted to Traditional
// Chinese — are as valid as the default ones: xmllint, the JSON Feed schema and every real reader.
import type { FeedFormat } from '@tidings/feeds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sectionSource, siteFrom, startTestServer, type TestServer } from '../support/server.js';
import { startUpstream, type Upstream } from '../support/upstream.js';
import { checkJsonFeedSchema, readers, xmllint } from './readers.js';

const FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];
const VARIANTS = {
  filtered: 'include=大学,天津&exclude=通知&limit=50',
  'zh-Hant': 'lang=zh-Hant&limit=50',
  'filtered, brief and zh-HK': 'exclude=大学&brief=40&lang=zh-HK&limit=50',
};

describe('feeds with URL options, read by real readers', () => {
  let upstream: Upstream;
  let server: TestServer;
  const text = async (path: string) => {
    const response = await fetch(server.url + path);
    expect(response.status).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    upstream = await startUpstream();
    server = await startTestServer(
      { sources: [sectionSource({ pages: 3, fullText: true })] },
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

  for (const [name, query] of Object.entries(VARIANTS)) {
    describe(name, () => {
      /** What the server's own JSON says the view holds: the titles every reader must find. */
      const expected = async () =>
        (
          (await JSON.parse(await text(`/feeds/tjjy.json?${query}`))) as { items: { title: string }[] }
        ).items.map((item) => item.title);

      it.each(FORMATS)('%s is well-formed and valid', async (format) => {
        const body = await text(`/feeds/tjjy.${format}?${query}`);
        if (format === 'json') checkJsonFeedSchema(body);
        else xmllint(body);
      });

      for (const reader of readers) {
        it.each(reader.formats)(`${reader.name} reads every item of the %s feed`, async (format) => {
          const titles = await expected();
          expect(titles.length).toBeGreaterThan(0);
          expect(titles.length).toBeLessThanOrEqual(37);
          const read = await reader.read(await text(`/feeds/tjjy.${format}?${query}`), format);
          expect(read.map((item) => item.title)).toEqual(titles);
          for (const item of read) {
            expect(item.link).toMatch(/^https:\/\/jy\.tj\.gov\.cn\//);
            expect(Number.isFinite(item.instant)).toBe(true);
          }
        });
      }
    });
  }
});
