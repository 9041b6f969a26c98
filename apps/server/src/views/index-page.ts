import type { FeedFormat } from '@tidings/feeds';
import type { Article } from '@tidings/parser';
import type { SourceConfig } from '../config/types.js';
import type { FeedDefinition } from '../filter/feed-definition.js';
import type { Backend } from '../store/backend.js';
import type { SourceStatus } from '../store/types.js';
import { feedPagePath, feedPath, titleOfFeed } from './channel.js';
import { escapeHtml } from './html.js';
import { formatStatusTime, sourceTimeZone } from './times.js';

const FORMAT_LABELS: Record<FeedFormat, [label: string, type: string]> = {
  rss: ['RSS', 'application/rss+xml'],
  atom: ['Atom', 'application/atom+xml'],
  json: ['JSON Feed', 'application/feed+json'],
};

/** What the last refresh did, with its time in the source's zone (`zone`). */
export function statusLine(status: SourceStatus, enabled: boolean, zone: string): string {
  if (!enabled) return '已停用 · disabled';
  if (status.lastError && status.consecutiveFailures > 0) {
    return `上次更新失败 · last refresh failed (${status.consecutiveFailures}×): ${status.lastError}`;
  }
  if (status.lastSuccessAt) return `更新于 · refreshed ${formatStatusTime(status.lastSuccessAt, zone)}`;
  return '等待首次更新 · waiting for the first refresh';
}

/** What the index page and the OPML list show of a source. */
export interface SourceSummary {
  source: SourceConfig;
  newest: Article | undefined;
  status: SourceStatus;
}

/** Each source's newest article and status, read from the backend. */
export function summarize(sources: readonly SourceConfig[], backend: Backend): Promise<SourceSummary[]> {
  return Promise.all(
    sources.map(async (source) => ({
      source,
      newest: (await backend.listArticles(source.id, { limit: 1 }))[0]?.article,
      status: await backend.getStatus(source.id),
    })),
  );
}

/** What the index page and the OPML list show of a feed (a source's own, or a derived one). */
export interface FeedSummary {
  feed: FeedDefinition;
  /** The title as the feed shows it. */
  title: string;
  /** Its source's status. */
  status: SourceStatus;
}

/** Each feed's title (from its source's newest article) and its source's status, read once per source. */
export async function summarizeFeeds(
  feeds: readonly FeedDefinition[],
  backend: Backend,
): Promise<FeedSummary[]> {
  const sources = [...new Map(feeds.map((feed) => [feed.source.id, feed.source])).values()];
  const bySource = new Map(
    (await summarize(sources, backend)).map((summary) => [summary.source.id, summary]),
  );
  return feeds.flatMap((feed) => {
    const summary = bySource.get(feed.source.id);
    return summary ? [{ feed, title: titleOfFeed(feed, summary.newest), status: summary.status }] : [];
  });
}

/** GET /: every feed, its status, subscribe links, and autodiscovery links for readers. */
export function renderIndexPage(summaries: readonly FeedSummary[], publicBase: string): string {
  const formats = Object.keys(FORMAT_LABELS) as FeedFormat[];
  const enabled = summaries.filter(({ feed }) => feed.source.enabled);
  const alternates = enabled
    .flatMap(({ feed, title }) =>
      formats.map((format) => {
        const [label, type] = FORMAT_LABELS[format];
        return `<link rel="alternate" type="${type}" title="${escapeHtml(`${title} (${label})`)}" href="${escapeHtml(publicBase + feedPath(feed.id, format))}">`;
      }),
    )
    .join('\n');
  const rows = summaries
    .map(({ feed, title, status }) => {
      const { source } = feed;
      const links = source.enabled
        ? formats
            .map(
              (format) =>
                `<a href="${escapeHtml(feedPath(feed.id, format))}">${FORMAT_LABELS[format][0]}</a>`,
            )
            .join(' · ')
        : '';
      const derivedFrom = feed.derived
        ? `<p class="meta">${escapeHtml(`选自 · from ${source.id}${feed.lang ? ` · ${feed.lang}` : ''}`)}</p>\n  `
        : '';
      return `<li>
  <h2><a href="${escapeHtml(feedPagePath(feed.id))}">${escapeHtml(title)}</a></h2>
  <p>${links}</p>
  ${derivedFrom}<p class="meta">${escapeHtml(String(status.articleCount))} 篇 · articles · <a href="${escapeHtml(source.url)}" rel="noreferrer">${escapeHtml(source.url)}</a></p>
  <p class="meta">${escapeHtml(statusLine(status, source.enabled, sourceTimeZone(source)))}</p>
</li>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tidings · 订阅源</title>
${alternates}
<link rel="icon" href="data:,">
<style>
body { font: 16px/1.6 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
ul { list-style: none; padding: 0; } li { border-top: 1px solid #ddd; padding: .5rem 0; }
h2 { font-size: 1.15rem; margin: .5rem 0 .25rem; } .meta { color: #555; font-size: .9rem; margin: .2rem 0; }
a { color: #0b57d0; } a:focus-visible { outline: 2px solid; outline-offset: 2px; }
@media (prefers-color-scheme: dark) { body { background: #121212; color: #e6e6e6; } .meta { color: #aaa; } a { color: #8ab4f8; } li { border-color: #333; } }
</style>
</head>
<body>
<h1>Tidings</h1>
<p>没有订阅源的新闻栏目，在这里变成订阅源。复制下面的链接到您的阅读器。<br>
News sections without feeds, as feeds. Copy a link below into your reader. <a href="/opml">OPML</a></p>
<ul>
${rows}
</ul>
</body>
</html>
`;
}
