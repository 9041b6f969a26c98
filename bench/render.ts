// Render time of @tidings/feeds for 15, 100 and 1,000 articles per format, against a
// JSON.stringify of the same articles (the floor of any serialization) and, for reference,
// feed@6 (whose output has the gaps listed in packages/feeds/README.md), in the same process.
import { type FeedArticle, type FeedChannel, type FeedFormat, renderFeed } from '@tidings/feeds';
import type { Article } from '@tidings/parser';
import { Feed } from 'feed';
import { clearSanitizeCache } from '../packages/feeds/src/sanitize-cache.js';
import { snapshotArticles } from '../test/support/fixtures.js';

export const RENDER_SIZES = [15, 100, 1000] as const;
const FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];

const channel: FeedChannel = {
  title: '天津教育 – 天津市教育委员会',
  selfUrl: 'http://127.0.0.1:3000/feeds/demo.rss',
  homeUrl: 'https://jy.tj.gov.cn/JYXW/TJJY/',
  author: { name: '天津市教育委员会' },
  refreshMinutes: 30,
};

/** `count` real articles (full article pages, 37 distinct, repeated under distinct ids and bodies, as no two articles share one). */
export function articles(count: number): FeedArticle[] {
  const pool = snapshotArticles();
  return Array.from({ length: count }, (_, i) => {
    const article = pool[i % pool.length] as Article;
    const url = `${article.url}?copy=${i}`;
    return { ...article, id: url, url, contentHtml: `${article.contentHtml}\n<p>${i}</p>` };
  });
}

function withFeed6(list: readonly FeedArticle[], format: FeedFormat): string {
  const feed = new Feed({ title: channel.title, id: channel.homeUrl, link: channel.homeUrl, copyright: '' });
  for (const article of list) {
    feed.addItem({
      title: article.title,
      id: article.id,
      link: article.url as string,
      date: new Date(article.publishedAt),
      description: article.summary,
      content: article.contentHtml,
    });
  }
  return format === 'rss' ? feed.rss2() : format === 'atom' ? feed.atom1() : feed.json1();
}

export interface RenderRow {
  articles: number;
  format: FeedFormat;
  /** First render of these articles: every body sanitized. */
  tidingsMs: number;
  /** Rendering them again (another format, or after a refresh that changed little): sanitized bodies remembered. */
  warmMs: number;
  stringifyMs: number;
  feed6Ms: number;
  bytes: number;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export function renderBench(progress: (line: string) => void): RenderRow[] {
  const rows: RenderRow[] = [];
  for (const size of RENDER_SIZES) {
    const list = articles(size);
    const runs = size >= 1000 ? 15 : size >= 100 ? 60 : 300;
    for (const format of FORMATS) {
      progress(`render: ${size} articles, ${format}`);
      const contenders = {
        tidings: () => {
          clearSanitizeCache();
          return renderFeed(channel, list, format);
        },
        warm: () => renderFeed(channel, list, format),
        stringify: () => JSON.stringify(list),
        feed6: () => withFeed6(list, format),
      };
      const times: Record<keyof typeof contenders, number[]> = {
        tidings: [],
        warm: [],
        stringify: [],
        feed6: [],
      };
      // Warm up, then take turns run by run so noise lands on all three alike.
      for (let i = 0; i < Math.max(3, runs / 10); i++) for (const run of Object.values(contenders)) run();
      for (let i = 0; i < runs; i++) {
        for (const [name, run] of Object.entries(contenders) as [keyof typeof contenders, () => string][]) {
          const start = performance.now();
          run();
          times[name].push(performance.now() - start);
        }
      }
      rows.push({
        articles: size,
        format,
        tidingsMs: median(times.tidings),
        warmMs: median(times.warm),
        stringifyMs: median(times.stringify),
        feed6Ms: median(times.feed6),
        bytes: Buffer.byteLength(contenders.tidings()),
      });
    }
  }
  return rows;
}

export function renderTable(rows: readonly RenderRow[]): string {
  return [
    '| articles | format | tidings ms (cold) | articles/s | tidings ms (warm) | × JSON.stringify (cold) | feed@6 ms | cold × feed@6 | output KiB |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((row) =>
      [
        '',
        row.articles.toLocaleString('en'),
        row.format,
        row.tidingsMs.toFixed(2),
        Math.round(row.articles / (row.tidingsMs / 1000)).toLocaleString('en'),
        row.warmMs.toFixed(2),
        (row.tidingsMs / row.stringifyMs).toFixed(1),
        row.feed6Ms.toFixed(2),
        (row.tidingsMs / row.feed6Ms).toFixed(2),
        (row.bytes / 1024).toFixed(0),
        '',
      ]
        .join(' | ')
        .trim(),
    ),
  ].join('\n');
}
