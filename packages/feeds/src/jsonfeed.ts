import type { FeedEntry, PreparedFeed } from './entries.js';
import { HISTORY_SPEC } from './history.js';

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1). Keys in a fixed order: same input, same bytes. */
export function renderJsonFeed(feed: PreparedFeed): string {
  const { channel } = feed;
  const author = channel.author ?? { name: channel.title };
  const document = {
    version: 'https://jsonfeed.org/version/1.1',
    title: channel.title,
    home_page_url: channel.homeUrl,
    ...(channel.selfUrl ? { feed_url: channel.selfUrl } : {}),
    // JSON Feed's paging field: the older items, which is what RFC 5005's prev-archive holds.
    ...(channel.prevArchiveUrl ? { next_url: channel.prevArchiveUrl } : {}),
    description: feed.description,
    language: channel.language,
    authors: [author.url ? { name: author.name, url: author.url } : { name: author.name }],
    ...(channel.hub ? { hubs: [{ type: 'WebSub', url: channel.hub }] } : {}),
    ...archiveExtension(channel),
    items: feed.entries.map(item),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** RFC 5005's links and flag as a JSON Feed extension object, for readers that walk archives. */
function archiveExtension(channel: PreparedFeed['channel']) {
  const { archive, currentUrl, prevArchiveUrl, nextArchiveUrl } = channel;
  if (!archive && !currentUrl && !prevArchiveUrl && !nextArchiveUrl) return {};
  return {
    _archive: {
      about: HISTORY_SPEC,
      ...(archive ? { archive: true } : {}),
      ...(currentUrl ? { current: currentUrl } : {}),
      ...(prevArchiveUrl ? { prev_archive: prevArchiveUrl } : {}),
      ...(nextArchiveUrl ? { next_archive: nextArchiveUrl } : {}),
    },
  };
}

function item(entry: FeedEntry) {
  return {
    id: entry.id,
    ...(entry.url ? { url: entry.url } : {}),
    title: entry.title,
    // At least one content field is required; an article without a body still has its title.
    content_html: entry.contentHtml,
    content_text: entry.contentText,
    ...(entry.summary ? { summary: entry.summary } : {}),
    ...(entry.image ? { image: entry.image } : {}),
    date_published: entry.published,
    ...(entry.updated !== entry.published ? { date_modified: entry.updated } : {}),
    ...(entry.author ? { authors: [{ name: entry.author }] } : {}),
    ...(entry.category ? { tags: [entry.category] } : {}),
    ...(entry.language ? { language: entry.language } : {}),
    ...(entry.attachments.length > 0
      ? {
          attachments: entry.attachments.map((attachment) => ({
            url: attachment.url,
            mime_type: attachment.mimeType,
            title: attachment.title,
          })),
        }
      : {}),
  };
}
