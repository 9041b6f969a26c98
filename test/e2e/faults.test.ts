import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type ServerConfig, startServer, type TidingsServer } from '@tidings/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultMode, type FaultyUpstream, startFaultyUpstream } from '../support/faulty-upstream.js';
import { sectionSource, siteFrom } from '../support/server.js';

const SITE = 'https://jy.tj.gov.cn';
const SECTION = `${SITE}/JYXW/TJJY/`;
const LISTING = '/JYXW/TJJY/';
const TIMEOUT_MS = 500;
const MAX_BYTES = 2 * 1024 * 1024;

interface JsonFeed {
  items: { id: string; title: string }[];
}
interface FeedStatus {
  id: string;
  articles: number;
  lastError: string | null;
  consecutiveFailures: number;
}

/** The value of one Prometheus sample, 0 when it is not there yet. */
function sample(metrics: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of metrics.split('\n')) {
    const match = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] as string).split(',');
    if (wanted.every((label) => have.includes(label))) return Number(match[3]);
  }
  return 0;
}

describe('fault injection: the listing page fails in the ways real sites fail', () => {
  let upstream: FaultyUpstream;
  let dataDir: string;
  let server: TidingsServer;
  const source = sectionSource({ pages: 3, fullText: true });

  const get = (path: string) => fetch(server.url + path);
  const feed = async () => (await (await get('/feeds/tjjy.json')).json()) as JsonFeed;
  const health = async () =>
    ((await (await get('/healthz')).json()) as { feeds: FeedStatus[] }).feeds.find(
      (status) => status.id === 'tjjy',
    );
  const counters = async () => {
    const text = await (await get('/metrics')).text();
    return {
      refreshErrors: sample(text, 'tidings_refreshes_total', { source: 'tjjy', outcome: 'error' }),
      listingFetchErrors: sample(text, 'tidings_fetches_total', {
        source: 'tjjy',
        kind: 'listing',
        outcome: 'error',
      }),
    };
  };
  const etags = async () => ({
    rss: (await get('/feeds/tjjy.rss')).headers.get('etag'),
    json: (await get('/feeds/tjjy.json')).headers.get('etag'),
    atom: (await get('/feeds/tjjy.atom')).headers.get('etag'),
  });
  /** Requests for page 1 since `from`, and how each was answered. */
  const pageOneAnswers = (from: number) =>
    upstream.requests
      .slice(from)
      .filter((request) => request.path === LISTING)
      .map((request) => request.answer);

  let goodTitles: string[] = [];

  beforeAll(async () => {
    upstream = await startFaultyUpstream();
    dataDir = mkdtempSync(join(tmpdir(), 'tidings-faults-'));
    // This file reads the feeds, /healthz and /metrics far more than a client would: no 429s here.
    const config: ServerConfig = { sources: [source], port: 0, dataDir, rateLimit: false };
    server = await startServer(config, {
      logger: createLogger('silent'),
      schedule: false,
      host: '127.0.0.1',
      fetcher: {
        resolveUrl: siteFrom(upstream.origin),
        timeoutMs: TIMEOUT_MS,
        connectTimeoutMs: TIMEOUT_MS,
        maxBytes: MAX_BYTES,
        retries: 1,
        retryBaseMs: 5,
        perHostDelayMs: 0,
        perHostConcurrency: 4,
      },
    });
  });

  afterAll(async () => {
    await server?.close();
    await upstream?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a good first refresh stores the 37 articles', async () => {
    const outcome = await server.refresh('tjjy');
    expect(outcome).toMatchObject({ outcome: 'ok', pages: 3, listed: 37, added: 37, articlePageErrors: 0 });
    const json = await feed();
    expect(json.items).toHaveLength(37);
    goodTitles = json.items.map((item) => `${item.id} ${item.title}`);
    expect(json.items.find((item) => item.id === `${SECTION}202412/t20241204_6797100.html`)?.title).toBe(
      '我市基础教育扩优提质高质量发展',
    );
    expect(await health()).toMatchObject({ articles: 37, lastError: null, consecutiveFailures: 0 });
  });

  // [fault, the error's code, what the message (and /healthz lastError) must say, whether the fetch fails]
  const faults: [FaultMode, string, RegExp, boolean][] = [
    ['slow-headers', 'timeout', /timed out after 500 ms \(2 attempts\)/, true],
    ['slow-body', 'timeout', /timed out after 500 ms \(2 attempts\)/, true],
    ['error-500', 'http-status', /answered 500 .*\(2 attempts\)/, true],
    ['unavailable-retry-after', 'http-status', /answered 503 .*\(2 attempts\).*wait 1 s/, true],
    ['truncated', 'network', /other side closed .*\(2 attempts\)/, true],
    // GB18030 bytes read as the UTF-8 the header claims are mostly U+FFFD: refused, never stored.
    ['wrong-charset', 'undecodable', /DecodeError: .*does not read as text in UTF-8/, false],
    ['redirect-loop', 'too-many-redirects', /redirects in a loop/, true],
    ['huge-streamed', 'too-large', /sent more than 2\.0 MiB, the limit/, true],
    ['huge-declared', 'too-large', /announced 10\.0 MiB \(Content-Length\), over the 2\.0 MiB limit/, true],
    ['redesign', 'no-articles', /LayoutError: /, false],
  ];

  it.each(faults)(
    '%s: the refresh fails, the last good feeds stay, the status and metrics say so, and it recovers',
    async (mode, code, message, fetchFails) => {
      const before = { etags: await etags(), counters: await counters(), requests: upstream.requests.length };
      upstream.mode = mode;
      let outcome: Awaited<ReturnType<TidingsServer['refresh']>>;
      const started = Date.now();
      try {
        outcome = await server.refresh('tjjy');
      } finally {
        upstream.mode = 'normal';
      }
      const elapsed = Date.now() - started;
      expect(outcome.outcome).toBe('error');
      expect((outcome.error as { code?: string } | undefined)?.code).toBe(code);
      expect(`${outcome.error?.name}: ${outcome.error?.message}`).toMatch(message);
      expect(outcome).toMatchObject({ added: 0, updated: 0, changed: false });
      // Bounded by the timeouts, never by the site: generous for a noisy machine.
      expect(elapsed).toBeLessThan(15_000);

      const answers = pageOneAnswers(before.requests);
      expect(answers.length).toBeGreaterThanOrEqual(1);
      // The fault was really served (not a stale 304 from the normal site).
      expect(answers.every((answer) => answer !== 'normal')).toBe(true);
      if (mode === 'unavailable-retry-after') {
        // One retry after the second the site asked for, and the error says it was tried twice.
        expect(answers).toEqual(['503', '503']);
        expect(elapsed).toBeGreaterThanOrEqual(900);
      }

      const status = await health();
      expect(status?.lastError).toMatch(message);
      expect(status?.consecutiveFailures).toBeGreaterThanOrEqual(1);
      expect(status?.articles).toBe(37);

      // The feeds keep serving the last good articles, byte for byte (same ETags).
      const json = await feed();
      expect(json.items.map((item) => `${item.id} ${item.title}`)).toEqual(goodTitles);
      expect(json.items.every((item) => !item.title.includes('\ufffd'))).toBe(true);
      expect(await etags()).toEqual(before.etags);

      const after = await counters();
      expect(after.refreshErrors).toBe(before.counters.refreshErrors + 1);
      if (fetchFails) expect(after.listingFetchErrors).toBe(before.counters.listingFetchErrors + 1);
      else expect(after.listingFetchErrors).toBe(before.counters.listingFetchErrors);

      // The site is back: the next refresh succeeds and clears the error.
      const recovered = await server.refresh('tjjy');
      expect(['ok', 'not_modified']).toContain(recovered.outcome);
      expect(await health()).toMatchObject({ articles: 37, lastError: null, consecutiveFailures: 0 });
      expect((await feed()).items.map((item) => `${item.id} ${item.title}`)).toEqual(goodTitles);
      expect(await etags()).toEqual(before.etags);
    },
  );

  it('503 with Retry-After: 1 once: the fetcher waits, retries, and the second answer counts', async () => {
    const from = upstream.requests.length;
    const fetchErrors = (await counters()).listingFetchErrors;
    upstream.failuresLeft = 1;
    upstream.mode = 'unavailable-retry-after';
    const started = Date.now();
    let outcome: Awaited<ReturnType<TidingsServer['refresh']>>;
    try {
      outcome = await server.refresh('tjjy');
    } finally {
      upstream.mode = 'normal';
      upstream.failuresLeft = Number.POSITIVE_INFINITY;
    }
    const elapsed = Date.now() - started;
    // The second request carries the stored validators: the unchanged page answers 304.
    expect(outcome.outcome).toBe('not_modified');
    expect(pageOneAnswers(from)).toEqual(['503', 'normal']);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(15_000);
    expect(await health()).toMatchObject({ articles: 37, lastError: null, consecutiveFailures: 0 });
    // One fetch, retried inside the fetcher: no fetch error counted.
    expect((await counters()).listingFetchErrors).toBe(fetchErrors);
  });

  it('failures count up across refreshes and one success resets them', async () => {
    upstream.mode = 'error-500';
    try {
      for (let i = 1; i <= 3; i++) {
        expect((await server.refresh('tjjy')).outcome).toBe('error');
        expect((await health())?.consecutiveFailures).toBe(i);
      }
      const metrics = await (await get('/metrics')).text();
      expect(sample(metrics, 'tidings_source_consecutive_failures', { source: 'tjjy' })).toBe(3);
    } finally {
      upstream.mode = 'normal';
    }
    expect(['ok', 'not_modified']).toContain((await server.refresh('tjjy')).outcome);
    expect(await health()).toMatchObject({ lastError: null, consecutiveFailures: 0 });
    const metrics = await (await get('/metrics')).text();
    expect(sample(metrics, 'tidings_source_consecutive_failures', { source: 'tjjy' })).toBe(0);
    expect((await feed()).items).toHaveLength(37);
  });
});
