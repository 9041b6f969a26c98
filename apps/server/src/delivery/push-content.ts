import type { FeedChannel } from '@tidings/feeds';
import { convertArticle, converterFor } from '../filter/chinese-script.js';
import type { FeedDefinition } from '../filter/feed-definition.js';
import type { DeliveryItem, OutboxEntry } from '../store/outbox.js';
import { channelFor, feedPagePath, feedPath, titleOfFeed } from '../views/channel.js';

/** What one push says, whatever carries it: the feed, and its items as the feed shows them. */
export interface PushContent {
  key: string;
  feedId: string;
  channel: FeedChannel;
  /** The feed's page for people, `<publicBase>/feeds/<id>`. */
  pageUrl: string;
  /** Newest first; converted to the feed's script (`lang`) where it has one. */
  items: DeliveryItem[];
}

/** The entry's articles under its feed's channel (title, links), rendered as its feed would. */
export async function pushContent(
  entry: OutboxEntry,
  feed: FeedDefinition,
  publicBase: string,
  hub: string | undefined,
): Promise<PushContent> {
  const convert = feed.lang ? await converterFor(feed.lang) : undefined;
  const lang = feed.lang;
  const items = [...entry.items]
    .sort(newestFirst)
    .map((item) =>
      convert && lang ? { ...item, article: convertArticle(item.article, convert, lang) } : item,
    );
  const articles = items.map((item) => item.article);
  const base = channelFor(feed.source, articles, 'json', publicBase, hub);
  const title = titleOfFeed(feed, articles[0]);
  return {
    key: entry.key,
    feedId: feed.id,
    channel: {
      ...base,
      title: convert ? convert(title) : title,
      description: convert ? convert(base.description ?? title) : (base.description ?? title),
      selfUrl: `${publicBase}${feedPath(feed.id, 'json')}`,
      ...(lang !== undefined && { language: lang }),
    },
    pageUrl: `${publicBase}${feedPagePath(feed.id)}`,
    items,
  };
}

/** The feeds' order: published (undated last), then first seen, newest first, then id. */
function newestFirst(a: DeliveryItem, b: DeliveryItem): number {
  const published = (item: DeliveryItem) => {
    const ms = Date.parse(item.article.publishedAt);
    return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
  };
  return (
    published(b) - published(a) ||
    (a.firstSeen < b.firstSeen ? 1 : a.firstSeen > b.firstSeen ? -1 : 0) ||
    (a.article.id < b.article.id ? -1 : a.article.id > b.article.id ? 1 : 0)
  );
}
