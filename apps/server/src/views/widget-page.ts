import type { StoredArticle } from '../store/types.js';
import { escapeHtml } from './html.js';

export interface WidgetPageOptions {
  title: string;
  homeUrl: string;
  limit: number;
  theme: 'auto' | 'light' | 'dark';
  layout: 'list' | 'cards';
  summary: boolean;
  date: boolean;
  image: boolean;
  /** BCP 47 of the items (default zh-CN). */
  lang?: string;
}

const LIGHT = '--bg:#fff;--fg:#1b1b1b;--muted:#5f6368;--link:#0b57d0;--border:#dadce0';
const DARK = '--bg:#121212;--fg:#e6e6e6;--muted:#9aa0a6;--link:#8ab4f8;--border:#3c4043';

// One formatter for the process: each Intl.DateTimeFormat holds ICU memory outside the JS heap
// that the GC neither sees nor hurries to free, so one built per item per request grew RSS by about
// 17 KB a call and never gave it back.
const DAY_FORMAT = new Intl.DateTimeFormat('zh-CN', {
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  timeZone: 'UTC',
});

/** The source's own calendar day, as the widget shows it: 2024年12月4日. */
function formatDay(iso: string): string {
  const [year, month, day] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  return DAY_FORMAT.format(Date.UTC(year, month - 1, day));
}

function isHttp(url: string | undefined): url is string {
  return url !== undefined && /^https?:\/\//i.test(url);
}

/**
 * /widget/<id>: the widget's list as a small self-contained HTML page, for sites whose
 * Content-Security-Policy forbids third-party scripts. No script at all; links open in a new tab.
 */
export function renderWidgetPage(articles: readonly StoredArticle[], options: WidgetPageOptions): string {
  const items = articles
    .map(({ article }) => {
      const title = escapeHtml(article.title);
      const link = isHttp(article.url)
        ? `<a href="${escapeHtml(article.url)}" target="_blank" rel="noopener noreferrer">${title}</a>`
        : `<span>${title}</span>`;
      const image =
        options.image && isHttp(article.images[0]?.url)
          ? `<img src="${escapeHtml(article.images[0]?.url ?? '')}" alt="" loading="lazy" referrerpolicy="no-referrer">`
          : '';
      const date = options.date
        ? `<time datetime="${escapeHtml(article.publishedAt)}">${escapeHtml(formatDay(article.publishedAt))}</time>`
        : '';
      const summary = options.summary && article.summary ? `<p>${escapeHtml(article.summary)}</p>` : '';
      return `<li>${image}${link}${date}${summary}</li>`;
    })
    .join('\n');
  const colors =
    options.theme === 'dark'
      ? `:root{${DARK}}`
      : options.theme === 'light'
        ? `:root{${LIGHT}}`
        : `:root{${LIGHT}}@media (prefers-color-scheme:dark){:root{${DARK}}}`;
  return `<!doctype html>
<html lang="${escapeHtml(options.lang ?? 'zh-CN')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>
${colors}
body{margin:0;padding:.5rem;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,"PingFang SC","Microsoft YaHei",sans-serif}
ul{list-style:none;margin:0;padding:0}${options.layout === 'cards' ? 'ul{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.75rem}li{border:1px solid var(--border);border-radius:8px;padding:.75rem}' : 'li{padding:.5rem 0;border-bottom:1px solid var(--border)}'}
a{color:var(--link)}a:focus-visible{outline:2px solid var(--link);outline-offset:2px}
time{display:block;color:var(--muted);font-size:.85em}p{margin:.25rem 0 0;color:var(--muted)}
img{display:block;max-width:100%;height:auto;margin-bottom:.5rem}
.source{margin-top:.5rem;font-size:.85em}
</style>
</head>
<body>
<ul>
${items || '<li>暂无内容</li>'}
</ul>
<p class="source"><a href="${escapeHtml(options.homeUrl)}" target="_blank" rel="noopener noreferrer">${escapeHtml(options.title)}</a></p>
</body>
</html>
`;
}
