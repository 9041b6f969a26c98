import { feedPath, feedTitle } from './channel.js';
import { escapeHtml } from './html.js';
import type { SourceSummary } from './index-page.js';

/** OPML 2.0 listing every enabled feed (RSS), for importing all of them into a reader at once. */
export function renderOpml(summaries: readonly SourceSummary[], publicBase: string): string {
  const outlines = summaries
    .filter(({ source }) => source.enabled)
    .map(({ source, newest }) => {
      const title = escapeHtml(feedTitle(source, newest));
      return `    <outline type="rss" text="${title}" title="${title}" xmlUrl="${escapeHtml(publicBase + feedPath(source.id, 'rss'))}" htmlUrl="${escapeHtml(source.url)}"/>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0">
  <head>
    <title>Tidings</title>
  </head>
  <body>
${outlines}
  </body>
</opml>
`;
}
