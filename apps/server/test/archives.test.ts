import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEED_CONTENT_TYPES, type FeedFormat } from '@tidings/feeds';
import { parseFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkJsonFeedSchema, readers, xmllint } from '../../../test/conformance/readers.js';
import { startRedis, type TestRedis } from '../../../test/support/redis.js';
import { freePort } from '../../../test/support/server.js';
import { bundledConfigPath, readConfigFile } from '../src/config/load.js';
import type { SourceConfig } from '../src/config/types.js';
import { createLogger } from '../src/logger.js';
import { startServer, type TidingsServer } from '../src/server.js';

const FEED_SIZE = 10;
const DEMO_ARTICLES = 37;

/** The bundled config's demo source (the snapshot of 天津教育), holding the newest 10 in its feed. */
function demoSource(): SourceConfig {
  const demo = readConfigFile(bundledConfigPath()).sources.find((source) => source.id === 'demo');
  if (!demo) throw new Error('the bundled config has no demo source');
  return { ...demo, feedSize: FEED_SIZE };
}

/** One document as a reader saw it: its items' ids and its RFC 5005 links and flag. */
interface ReadDocument {
  ids: string[];
  links: Record<string, string>;
  archive: boolean;
}

// Python's feedparser (as test/conformance/readers.ts runs it), asked for what a walker needs:
// the feed's links with their rel, RFC 5005's fh:archive, and every entry's id.
const FEEDPARSER_HISTORY = `
import json, sys, feedparser
parsed = feedparser.parse(sys.stdin.buffer.read(), response_headers={"content-type": sys.argv[1]})
print(json.dumps({
  "bozo": bool(parsed.bozo), "error": str(parsed.get("bozo_exception", "")), "version": parsed.version,
  "links": [{"rel": link.get("rel"), "href": link.get("href")} for link in parsed.feed.get("links", [])],
  "archive": "fh_archive" in parsed.feed,
  "ids": [entry.get("id") for entry in parsed.entries],
}))
`;

function readWithFeedparser(body: string, format: FeedFormat): ReadDocument {
  const run = spawnSync('/usr/bin/python3', ['-c', FEEDPARSER_HISTORY, FEED_CONTENT_TYPES[format]], {
    input: body,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`feedparser failed: ${run.stderr}`);
  const read = JSON.parse(run.stdout) as ReadDocument & {
    bozo: boolean;
    error: string;
    version: string;
    links: { rel: string; href: string }[];
  };
  if (read.bozo || !read.version) throw new Error(`feedparser rejected the document: ${read.error}`);
  return {
    ids: read.ids,
    archive: read.archive,
    links: Object.fromEntries(read.links.map((l) => [l.rel, l.href])),
  };
}

/** JSON Feed through feedsmith: `next_url` is its paging link (older items), `_archive` the flag. */
function readWithFeedsmith(body: string): ReadDocument {
  const { feed } = parseFeed(body) as { feed: { next_url?: string; items?: { id: string }[] } };
  const extension = (JSON.parse(body) as { _archive?: { archive?: boolean; current?: string } })._archive;
  return {
    ids: (feed.items ?? []).map((item) => item.id),
    archive: extension?.archive === true,
    links: {
      ...(feed.next_url && { 'prev-archive': feed.next_url }),
      ...(extension?.current && { current: extension.current }),
    },
  };
}

const WALKERS = { atom: 'python feedparser', rss: 'python feedparser', json: 'feedsmith' } as const;

interface Walked {
  url: string;
  body: string;
  read: ReadDocument;
}

describe.each(['sqlite', 'redis'] as const)('complete archives of the demo, feedSize 10 (%s)', (store) => {
  let redis: TestRedis | undefined;
  let dataDir: string;
  let server: TidingsServer;
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(path.startsWith('http') ? path : server.url + path, { headers });

  /** Follows prev-archive from the feed, as a reader fetching the whole history would. */
  async function walk(format: FeedFormat): Promise<Walked[]> {
    const walked: Walked[] = [];
    let url: string | undefined = `${server.url}/feeds/demo.${format}`;
    while (url) {
      if (walked.length > 24) throw new Error(`no end to the chain after ${walked.length} documents`);
      const response = await get(url);
      expect(response.status, url).toBe(200);
      const body = await response.text();
      const read = format === 'json' ? readWithFeedsmith(body) : readWithFeedparser(body, format);
      walked.push({ url, body, read });
      url = read.links['prev-archive'];
    }
    return walked;
  }

  beforeAll(async () => {
    redis = store === 'redis' ? await startRedis() : undefined;
    dataDir = mkdtempSync(join(tmpdir(), 'tidings-archives-'));
    // A real port, not 0: the links a reader follows name the server's own address.
    const port = await freePort();
    server = await startServer(
      { sources: [demoSource()], port, dataDir, ...(redis && { store: redis.url }) },
      { logger: createLogger('silent'), schedule: false, host: '127.0.0.1' },
    );
    expect(await server.refresh('demo')).toMatchObject({ outcome: 'ok', added: DEMO_ARTICLES });
  });

  afterAll(async () => {
    await server?.close();
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(['atom', 'rss', 'json'] as const)(
    `${'%s'}: a reader walking prev-archive from the feed collects all 37 articles, each once`,
    async (format) => {
      const walked = await walk(format);
      const [feed, ...archives] = walked;
      expect(feed?.read.ids).toHaveLength(FEED_SIZE);
      expect(feed?.read.archive).toBe(false);
      // The snapshot's articles span November and December 2024 (Tianjin time).
      expect(archives.map((document) => document.url)).toEqual([
        `${server.url}/feeds/demo/archive/2024-12.${format}`,
        `${server.url}/feeds/demo/archive/2024-11.${format}`,
      ]);
      for (const archive of archives) {
        expect(archive.read.archive, `${WALKERS[format]} sees ${archive.url} as an archive`).toBe(true);
        expect(archive.read.links.current).toBe(`${server.url}/feeds/demo.${format}`);
        expect(archive.read.ids.length).toBeGreaterThan(0);
      }
      const collected = walked.flatMap((document) => document.read.ids);
      const stored = await server.backend.listArticles('demo', { limit: 100 });
      expect(stored).toHaveLength(DEMO_ARTICLES);
      expect(collected).toHaveLength(DEMO_ARTICLES);
      expect(new Set(collected)).toEqual(new Set(stored.map((each) => each.article.url)));
    },
  );

  it.each(['atom', 'rss', 'json'] as const)(
    '%s: every document of the chain is valid and every conformance reader reads all its items',
    async (format) => {
      for (const { url, body, read } of await walk(format)) {
        if (format === 'json') checkJsonFeedSchema(body);
        else xmllint(body);
        for (const reader of readers.filter((candidate) => candidate.formats.includes(format))) {
          const items = await reader.read(body, format);
          expect(
            items.map((item) => item.id),
            `${reader.name} on ${url}`,
          ).toEqual(read.ids);
        }
      }
    },
  );

  it('serves a finished month with nothing left in the feed as immutable, with a strong ETag and 304s', async () => {
    for (const format of ['atom', 'rss', 'json'] as const) {
      const path = `/feeds/demo/archive/2024-11.${format}`;
      const first = await get(path);
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(first.headers.get('content-type')).toBe(FEED_CONTENT_TYPES[format]);
      const etag = first.headers.get('etag') as string;
      expect(etag).toMatch(/^"[\w-]+"$/);
      const again = await get(path, { 'If-None-Match': etag });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
    }
    // December still shares articles with the feed: it can still grow, so it has the feed's short cache.
    const open = await get('/feeds/demo/archive/2024-12.atom');
    expect(open.headers.get('cache-control')).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+/);
    expect(open.headers.get('cache-control')).toBe(
      (await get('/feeds/demo.atom')).headers.get('cache-control'),
    );
    expect((await get('/feeds/demo/archive/2024-12.json')).headers.get('access-control-allow-origin')).toBe(
      '*',
    );
  });

  it('renders a month once and then serves it held', async () => {
    const renders = async () => {
      const text = await (await get('/metrics')).text();
      const line = text
        .split('\n')
        .find((each) => each.startsWith('tidings_feed_renders_total{source="demo",kind="archive"}'));
      return Number(line?.split(' ')[1] ?? 0);
    };
    await get('/feeds/demo/archive/2024-11.rss');
    const before = await renders();
    for (let i = 0; i < 5; i++) expect((await get('/feeds/demo/archive/2024-11.rss')).status).toBe(200);
    expect(await renders()).toBe(before);
  });

  it('moves the ETag of the month of an article edited later, and of no other document', async () => {
    const paths = [
      ...(['atom', 'rss', 'json'] as const).map((format) => `/feeds/demo.${format}`),
      '/feeds/demo/archive/2024-12.atom',
      '/feeds/demo/archive/2024-11.atom',
      '/feeds/demo/archive/2024-11.json',
    ];
    const etags = async () =>
      Object.fromEntries(
        await Promise.all(paths.map(async (path) => [path, (await get(path)).headers.get('etag')])),
      );
    const before = await etags();
    const november = readWithFeedparser(await (await get('/feeds/demo/archive/2024-11.atom')).text(), 'atom');
    const [edited] = await server.backend.getArticles('demo', november.ids.slice(-1));
    if (!edited) throw new Error('the oldest November article is not stored');
    const [id, stored] = edited;
    await server.backend.upsertArticles(
      'demo',
      [{ ...stored.article, title: `${stored.article.title}（更正）` }],
      new Date().toISOString(),
    );
    await server.backend.publishChange('demo');

    let after = before;
    for (
      let tries = 0;
      after['/feeds/demo/archive/2024-11.atom'] === before['/feeds/demo/archive/2024-11.atom'];
      tries++
    ) {
      if (tries > 100) throw new Error('the November archive never changed');
      await new Promise((resolve) => setTimeout(resolve, 20));
      after = await etags();
    }
    const moved = paths.filter((path) => after[path] !== before[path]);
    expect(moved).toEqual(['/feeds/demo/archive/2024-11.atom', '/feeds/demo/archive/2024-11.json']);
    const body = await (await get('/feeds/demo/archive/2024-11.atom')).text();
    expect(body).toContain(`${stored.article.title}（更正）`);
    expect(body).toContain(`<id>${id}</id>`);
    // Still a valid, immutable archive: an edit changes its bytes, not what it is.
    xmllint(body);
    expect((await get('/feeds/demo/archive/2024-11.atom')).headers.get('cache-control')).toContain(
      'immutable',
    );
  });

  it('answers 404 in JSON for a malformed path, an unknown feed and a month without archived articles', async () => {
    const cases = {
      '/feeds/demo/archive/2024-13.atom': 'unknown-archive',
      '/feeds/demo/archive/24-11.atom': 'unknown-archive',
      '/feeds/demo/archive/1899-12.atom': 'unknown-archive',
      '/feeds/demo/archive/2023-01.atom': 'no-archive',
      '/feeds/demo/archive/2025-01.json': 'no-archive',
      '/feeds/nobody/archive/2024-11.rss': 'unknown-feed',
      '/feeds/demo/archive/2024-11.xml': 'unknown-feed',
      '/feeds/demo/archive/2024-11': 'unknown-feed',
    };
    for (const [path, code] of Object.entries(cases)) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(((await response.json()) as { error: string }).error, path).toBe(code);
    }
  });
});
