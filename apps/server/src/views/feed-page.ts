import type { FeedFormat } from '@tidings/feeds';
import type { SourceConfig } from '../config/types.js';
import { type FeedDefinition, sourceFeed } from '../filter/feed-definition.js';
import type { SourceStatus, StoredArticle } from '../store/types.js';
import { feedPath, titleOfFeed } from './channel.js';
import { FEED_PAGE_SCRIPT, FEED_PAGE_SCRIPT_HASH } from './feed-page-script.js';
import { escapeHtml, HTML_SECURITY_HEADERS } from './html.js';
import { formatInZone, formatStatusTime, sourceTimeZone } from './times.js';

/** What a feed's page shows: read from the store once per change, never per request. */
export interface FeedPageData {
  source: SourceConfig;
  /** The feed shown (its id names the links); default the source's own. */
  feed?: FeedDefinition;
  /** Newest first, as the default feed lists them. */
  articles: readonly StoredArticle[];
  status: SourceStatus;
  /** Base of the URLs shown before the page's script makes them absolute against its own address. */
  publicBase: string;
}

/** How many articles the page lists: the default feed's count. */
export const FEED_PAGE_ARTICLES = 50;

/** Like every HTML page here, but with its one script (by hash) and the widget preview (same origin) allowed. */
export const FEED_PAGE_HEADERS: Record<string, string> = {
  ...HTML_SECURITY_HEADERS,
  'Content-Security-Policy': `default-src 'none'; script-src ${FEED_PAGE_SCRIPT_HASH}; style-src 'unsafe-inline'; img-src 'self' https: data:; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
};

const FORMATS: readonly [FeedFormat, label: string, type: string][] = [
  ['rss', 'RSS', 'application/rss+xml'],
  ['atom', 'Atom', 'application/atom+xml'],
  ['json', 'JSON Feed', 'application/feed+json'],
];

const WIDGET_DEFAULT_LIMIT = 10;

function isHttp(url: string | undefined): url is string {
  return url !== undefined && /^https?:\/\//i.test(url);
}

/** What a derived feed keeps of its source, said on its page. */
function derivedLine(feed: FeedDefinition): string {
  if (!feed.derived) return '';
  const { include, exclude, days } = feed.filter;
  const parts = [
    include.length > 0 ? `含 · with ${include.join('、')}` : '',
    exclude.length > 0 ? `不含 · without ${exclude.join('、')}` : '',
    days !== undefined ? `${days} 天内 · last ${days} days` : '',
    feed.lang ?? '',
  ].filter(Boolean);
  return `<p class="meta">选自 · Chosen from <a href="${escapeHtml(`/feeds/${encodeURIComponent(feed.source.id)}`)}">${escapeHtml(feed.source.id)}</a>${parts.length > 0 ? `: ${escapeHtml(parts.join(' · '))}` : ''}</p>
`;
}

function feedIdOf(data: FeedPageData): string {
  return data.feed?.id ?? data.source.id;
}

function statusRows({ source, status }: FeedPageData, zone: string): string {
  const rows: [label: string, value: string, className?: string][] = [];
  if (!source.enabled) rows.push(['状态 · State', '已停用 · disabled']);
  rows.push([
    '上次更新 · Last refresh',
    status.lastSuccessAt ? formatStatusTime(status.lastSuccessAt, zone) : '尚未成功 · not yet',
  ]);
  if (status.lastError && status.consecutiveFailures > 0) {
    const at = status.lastErrorAt ? ` · ${formatStatusTime(status.lastErrorAt, zone)}` : '';
    rows.push([
      '上次失败 · Last run failed',
      `${status.lastError} (${status.consecutiveFailures}×${at})`,
      'error',
    ]);
  }
  if (source.enabled && status.nextRunAt) {
    rows.push(['下次更新 · Next refresh', formatStatusTime(status.nextRunAt, zone)]);
  }
  rows.push(['文章 · Articles', String(status.articleCount)]);
  return rows
    .map(
      ([label, value, className]) =>
        `<dt>${escapeHtml(label)}</dt><dd${className ? ` class="${className}"` : ''}>${escapeHtml(value)}</dd>`,
    )
    .join('\n');
}

function subscribeRows(data: FeedPageData): string {
  return FORMATS.map(([format, label]) => {
    const path = feedPath(feedIdOf(data), format);
    return `<li><label for="url-${format}">${label}</label>
<input id="url-${format}" class="url" readonly value="${escapeHtml(data.publicBase + path)}" data-path="${escapeHtml(path)}">
<button type="button" data-copy="url-${format}" data-status="copied-${format}">复制 · Copy</button>
<span id="copied-${format}" class="copied" role="status"></span></li>`;
  }).join('\n');
}

/** The embed code for the widget's default options, as the page's script writes it (for readers without script). */
function defaultEmbedCode(data: FeedPageData, title: string): { iframe: string; element: string } {
  const base = data.publicBase;
  const id = encodeURIComponent(feedIdOf(data));
  return {
    iframe: `<iframe src="${escapeHtml(`${base}/widget/${id}?limit=${WIDGET_DEFAULT_LIMIT}`)}" title="${escapeHtml(title)}" style="width: 100%; height: 26rem; border: 0" loading="lazy"></iframe>`,
    element: `<script src="${escapeHtml(`${base}/widget.js`)}" async></script>
<tidings-feed src="${escapeHtml(`${base}/feeds/${id}.json`)}" limit="${WIDGET_DEFAULT_LIMIT}">
  <a href="${escapeHtml(data.source.url)}">${escapeHtml(title)}</a>
</tidings-feed>`,
  };
}

function embedSection(data: FeedPageData, title: string): string {
  const code = defaultEmbedCode(data, title);
  const id = feedIdOf(data);
  return `<section id="embed" aria-labelledby="embed-heading" data-feed="${escapeHtml(id)}" data-title="${escapeHtml(title)}" data-home="${escapeHtml(data.source.url)}">
<h2 id="embed-heading">嵌入网页 · Embed on a page</h2>
<fieldset id="widget-options">
<legend>选项 · Options</legend>
<label>条数 · Items <input name="limit" type="number" min="1" max="100" value="${WIDGET_DEFAULT_LIMIT}"></label>
<label>主题 · Theme <select name="theme"><option value="auto">自动 · auto</option><option value="light">浅色 · light</option><option value="dark">深色 · dark</option></select></label>
<label>布局 · Layout <select name="layout"><option value="list">列表 · list</option><option value="cards">卡片 · cards</option></select></label>
<label><input name="summary" type="checkbox"> 摘要 · summary</label>
<label><input name="date" type="checkbox" checked> 日期 · date</label>
<label><input name="image" type="checkbox"> 图片 · image</label>
</fieldset>
<h3>iframe（无需脚本 · no script）</h3>
<pre><code id="code-iframe">${escapeHtml(code.iframe)}</code></pre>
<p><button type="button" data-copy="code-iframe" data-status="copied-iframe">复制代码 · Copy code</button> <span id="copied-iframe" class="copied" role="status"></span></p>
<h3>&lt;tidings-feed&gt;（脚本 · script）</h3>
<pre><code id="code-element">${escapeHtml(code.element)}</code></pre>
<p><button type="button" data-copy="code-element" data-status="copied-element">复制代码 · Copy code</button> <span id="copied-element" class="copied" role="status"></span></p>
<h3>预览 · Preview</h3>
<iframe id="preview" src="${escapeHtml(`/widget/${encodeURIComponent(id)}?limit=${WIDGET_DEFAULT_LIMIT}`)}" title="${escapeHtml(`${title} · 预览 · preview`)}"></iframe>
</section>`;
}

function articleItems(articles: readonly StoredArticle[], zone: string): string {
  if (articles.length === 0) return '<li>暂无文章 · No articles yet</li>';
  return articles
    .map(({ article }) => {
      const title = escapeHtml(article.title);
      const heading = isHttp(article.url)
        ? `<a href="${escapeHtml(article.url)}" rel="noreferrer">${title}</a>`
        : title;
      const shown = formatInZone(article.publishedAt, zone, article.datePrecision) ?? article.publishedAt;
      const summary = article.summary ? `\n<p>${escapeHtml(article.summary)}</p>` : '';
      return `<li><h3>${heading}</h3>
<time datetime="${escapeHtml(article.publishedAt)}">${escapeHtml(shown)}</time>${summary}</li>`;
    })
    .join('\n');
}

/**
 * GET /feeds/<id>: the feed for people. Its title and status, the newest articles, copyable
 * subscribe links, and the widget's embed code with a live preview; `<link rel="alternate">` for
 * readers given this page. Depends only on its data (no clock), so equal data gives equal bytes.
 */
export function renderFeedPage(data: FeedPageData): string {
  const { source, articles } = data;
  const feed = data.feed ?? sourceFeed(source);
  const title = titleOfFeed(feed, articles[0]?.article);
  const zone = sourceTimeZone(source);
  const alternates = FORMATS.map(
    ([format, label, type]) =>
      `<link rel="alternate" type="${type}" title="${escapeHtml(`${title} (${label})`)}" href="${escapeHtml(feedPath(feed.id, format))}">`,
  ).join('\n');
  return `<!doctype html>
<html lang="${escapeHtml(feed.lang ?? 'zh-CN')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Tidings</title>
${alternates}
<link rel="icon" href="data:,">
<style>
body { font: 16px/1.6 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.6rem; margin: .5rem 0; } h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-top: 1px solid #ddd; padding-top: 1rem; } h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
a { color: #0b57d0; } a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible { outline: 2px solid #0b57d0; outline-offset: 2px; }
.meta, time, .items p { color: #555; font-size: .9rem; margin: .2rem 0; } time { display: block; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; } dt { color: #555; } dd { margin: 0; } .error { color: #b3261e; }
.links { list-style: none; padding: 0; } .links li { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; margin: .4rem 0; } .links label { min-width: 6rem; }
.url { flex: 1 1 20rem; font: .9rem ui-monospace, monospace; padding: .3rem; }
button { font: inherit; padding: .25rem .75rem; cursor: pointer; } button[data-state="copied"] { background: #d3f3d8; } .copied { color: #1e7a34; font-size: .9rem; }
fieldset { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; border: 1px solid #ddd; } fieldset input[type="number"] { width: 4.5rem; }
pre { background: #f5f5f5; padding: .75rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; font-size: .85rem; }
#preview { width: 100%; height: 26rem; border: 1px solid #ddd; }
.items { list-style: none; padding: 0; } .items li { border-top: 1px solid #eee; padding: .5rem 0; } .items h3 { margin: .25rem 0; }
@media (prefers-color-scheme: dark) { body { background: #121212; color: #e6e6e6; } .meta, time, .items p, dt { color: #aaa; } a { color: #8ab4f8; } h2, fieldset, #preview { border-color: #333; } .items li { border-color: #2a2a2a; } pre { background: #1e1e1e; } .error { color: #f2b8b5; } .copied { color: #8fd19e; } button[data-state="copied"] { background: #1e4d2b; color: #e6e6e6; } }
</style>
</head>
<body>
<p class="meta"><a href="/">← Tidings · 全部订阅源 · all feeds</a></p>
<h1>${escapeHtml(title)}</h1>
<p class="meta">来源 · Source: <a href="${escapeHtml(source.url)}" rel="noreferrer">${escapeHtml(source.url)}</a></p>
${derivedLine(feed)}<section aria-labelledby="status-heading">
<h2 id="status-heading">状态 · Status</h2>
<dl>
${statusRows(data, zone)}
</dl>
</section>
<section aria-labelledby="subscribe-heading">
<h2 id="subscribe-heading">订阅 · Subscribe</h2>
<p>把链接复制到您的阅读器 · Copy a link into your reader.</p>
<ul class="links">
${subscribeRows(data)}
</ul>
<p><a href="/opml">OPML</a>：所有订阅源，一次导入 · every feed, to import at once</p>
</section>
<section aria-labelledby="items-heading">
<h2 id="items-heading">最新文章 · Newest articles</h2>
<p class="meta">时间 · Times: ${escapeHtml(zone)}</p>
<ol class="items">
${articleItems(articles, zone)}
</ol>
</section>
${embedSection(data, title)}
<script>${FEED_PAGE_SCRIPT}</script>
</body>
</html>
`;
}
