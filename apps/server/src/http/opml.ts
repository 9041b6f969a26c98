import type { SourceConfig } from '../config/types.js';
import { feedPath, feedTitle } from '../feeds/channel.js';
import type { Store } from '../store/types.js';
import { escapeHtml } from './html.js';

/** OPML 2.0 listing every enabled feed (RSS), for importing all of them into a reader at once. */
export function renderOpml(sources: readonly SourceConfig[], store: Store, publicBase: string): string {
  const outlines = sources
    .filter((source) => source.enabled)
    .map((source) => {
      const title = escapeHtml(feedTitle(source, store.listArticles(source.id, { limit: 1 })[0]?.article));
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
