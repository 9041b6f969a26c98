import { feedPath } from './channel.js';
import { escapeHtml } from './html.js';
import type { FeedSummary } from './index-page.js';

/** OPML 2.0 listing every enabled feed (RSS), derived ones too, for importing all of them into a reader at once. */
export function renderOpml(summaries: readonly FeedSummary[], publicBase: string): string {
  const outlines = summaries
    .filter(({ feed }) => feed.source.enabled)
    .map(({ feed, title: shown }) => {
      const title = escapeHtml(shown);
      return `    <outline type="rss" text="${title}" title="${title}" xmlUrl="${escapeHtml(publicBase + feedPath(feed.id, 'rss'))}" htmlUrl="${escapeHtml(feed.source.url)}"/>`;
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
