import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fetcher } from '@tidings/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstream, type Upstream } from '../../../test/support/upstream.js';
import type { SourceConfig } from '../src/config/types.js';
import { createLogger } from '../src/logger.js';
import { Metrics } from '../src/metrics.js';
import { refreshSource } from '../src/refresh/refresh-source.js';
import type { SqliteBackend } from '../src/store/sqlite-backend.js';
import { openSqliteBackend } from '../src/store/sqlite-backend.js';

const SITE = 'https://jy.tj.gov.cn';
const SECTION_URL = `${SITE}/JYXW/TJJY/`;
const STUB = "javascript:alert('u1')";
// Page 1's second item and page 2's first: one link a CMS stubbed out, one date it lost.
const STUBBED = `${SECTION_URL}202412/t20241204_6797093.html`;

const source: SourceConfig = {
  id: 'tjjy',
  url: SECTION_URL,
  enabled: true,
  pages: 3,
  refreshMs: 3_600_000,
  fullText: false,
  retention: {},
  allowPrivateNetwork: true,
};

/** Edits one file of the stand-in site, failing loudly when the text to replace is not there. */
function editSite(upstream: Upstream, path: string, from: string | RegExp, to: string): void {
  const file = join(upstream.root, path);
  const html = readFileSync(file, 'utf8');
  const edited = html.replace(from, to);
  expect(edited, `${path} holds ${from}`).not.toBe(html);
  writeFileSync(file, edited);
}

describe('a refresh over listing pages with an unusable item each', () => {
  let upstream: Upstream;
  let dataDir: string;
  let backend: SqliteBackend;
  let fetcher: Fetcher;
  const metrics = new Metrics();
  const logLines: Record<string, unknown>[] = [];
  const logger = createLogger('info', { write: (line: string) => logLines.push(JSON.parse(line)) });

  beforeAll(async () => {
    upstream = await startUpstream();
    editSite(upstream, 'JYXW/TJJY/index.html', "isDownLoad(this,'./202412/t20241204_6797093.html')", STUB);
    editSite(
      upstream,
      'JYXW/TJJY/index_1.html',
      /<p class="list-date">[^<]*<\/p>/,
      '<p class="list-date">待定</p>',
    );
    dataDir = mkdtempSync(join(tmpdir(), 'tidings-skipped-'));
    backend = openSqliteBackend(join(dataDir, 'tidings.db'));
    fetcher = new Fetcher({
      // The site's own URLs, answered by the local copy.
      resolveUrl: (url) => (url.origin === SITE ? new URL(url.pathname + url.search, upstream.origin) : url),
      perHostDelayMs: 0,
      retries: 0,
    });
  });

  afterAll(async () => {
    await fetcher?.close();
    await backend?.close();
    await upstream?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores the other articles, counts the skipped ones and logs them in the refreshed line', async () => {
    const outcome = await refreshSource(source, { backend, fetcher, logger, metrics });
    expect(outcome).toMatchObject({ outcome: 'ok', pages: 3, listed: 35, itemsSkipped: 2, added: 35 });

    expect(await backend.countArticles('tjjy')).toBe(35);
    const stored = await backend.getArticles('tjjy', [
      STUBBED,
      `${SECTION_URL}202412/t20241204_6797100.html`,
      `${SECTION_URL}202412/t20241204_6797086.html`,
    ]);
    expect([...stored.keys()].sort()).toEqual([
      `${SECTION_URL}202412/t20241204_6797086.html`,
      `${SECTION_URL}202412/t20241204_6797100.html`,
    ]);

    const counter = await metrics.itemsSkipped.get();
    expect(counter.values.map(({ labels, value }) => ({ labels, value }))).toEqual([
      { labels: { source: 'tjjy', reason: 'bad-link' }, value: 1 },
      { labels: { source: 'tjjy', reason: 'bad-date' }, value: 1 },
    ]);
    expect(await metrics.registry.metrics()).toContain(
      'tidings_items_skipped_total{source="tjjy",reason="bad-link"} 1',
    );

    const refreshed = logLines.filter((line) => line.msg === 'refreshed');
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).toMatchObject({
      source: 'tjjy',
      itemsSkipped: 2,
      firstSkippedItems: [
        { url: SECTION_URL, index: 1, field: 'link', reason: 'bad-link', value: STUB },
        { url: `${SECTION_URL}index_1.html`, index: 0, field: 'date', reason: 'bad-date', value: '待定' },
      ],
    });
  });

  it('counts them again on the next refresh that reads the pages', async () => {
    // The site answers 304 for page 1 when nothing changed; a changed page is read again.
    editSite(upstream, 'JYXW/TJJY/index.html', '</body>', '<!-- edited --></body>');
    const outcome = await refreshSource(source, { backend, fetcher, logger, metrics });
    expect(outcome).toMatchObject({ outcome: 'ok', itemsSkipped: 2, added: 0 });
    expect(await metrics.registry.metrics()).toContain(
      'tidings_items_skipped_total{source="tjjy",reason="bad-link"} 2',
    );
  });
});
