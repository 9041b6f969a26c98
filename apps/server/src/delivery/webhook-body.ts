import { renderFeed } from '@tidings/feeds';
import type { PushContent } from './push-content.js';

/**
 * A webhook's body: a JSON Feed 1.1 document of the push's items, each with a `_tidings`
 * extension (`edited`: stored before and changed since; `first_seen`, `updated_at`), and one on
 * the document naming the delivery (its idempotency key) and the feed.
 */
export function webhookBody(content: PushContent): string {
  const articles = content.items.map((item) => ({ ...item.article, updatedAt: item.updatedAt }));
  const document = JSON.parse(renderFeed(content.channel, articles, 'json')) as {
    items: Record<string, unknown>[];
  };
  // renderFeed keeps one item per article, in order.
  document.items.forEach((entry, index) => {
    const item = content.items[index];
    if (!item) return;
    entry._tidings = { edited: item.edited, first_seen: item.firstSeen, updated_at: item.updatedAt };
  });
  const edited = content.items.filter((item) => item.edited).length;
  return JSON.stringify({
    ...document,
    _tidings: {
      delivery: content.key,
      feed: content.feedId,
      feed_page: content.pageUrl,
      new: content.items.length - edited,
      edited,
    },
  });
}
