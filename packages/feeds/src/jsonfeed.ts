import type { FeedEntry, PreparedFeed } from './entries.js';

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1). Keys in a fixed order: same input, same bytes. */
export function renderJsonFeed(feed: PreparedFeed): string {
  const { channel } = feed;
  const author = channel.author ?? { name: channel.title };
  const document = {
    version: 'https://jsonfeed.org/version/1.1',
    title: channel.title,
    home_page_url: channel.homeUrl,
    ...(channel.selfUrl ? { feed_url: channel.selfUrl } : {}),
    description: feed.description,
    language: channel.language,
    authors: [author.url ? { name: author.name, url: author.url } : { name: author.name }],
    ...(channel.hub ? { hubs: [{ type: 'WebSub', url: channel.hub }] } : {}),
    items: feed.entries.map(item),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
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
