import { rfc822 } from './dates.js';
import type { FeedEntry, PreparedFeed } from './entries.js';
import { HISTORY_NAMESPACE, historyLinks } from './history.js';
import { emptyElement, parentElement, textElement, xmlDocument } from './xml.js';

const NAMESPACES = {
  version: '2.0',
  'xmlns:atom': 'http://www.w3.org/2005/Atom',
  'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
};

/**
 * RSS 2.0 with the Atom (self, hub, RFC 5005 archive links), content (full HTML) and Dublin Core
 * (creator) modules, and RFC 5005's `fh:archive` on archive documents.
 */
export function renderRss(feed: PreparedFeed): string {
  const { channel } = feed;
  const body = parentElement('channel', {}, [
    textElement('title', channel.title),
    textElement('link', channel.homeUrl),
    textElement('description', feed.description),
    textElement('language', channel.language),
    feed.entries.length > 0 ? textElement('lastBuildDate', rfc822(feed.updated)) : undefined,
    channel.refreshMinutes
      ? textElement('ttl', String(Math.max(1, Math.round(channel.refreshMinutes))))
      : undefined,
    textElement('generator', 'Tidings'),
    channel.selfUrl
      ? emptyElement('atom:link', { rel: 'self', type: 'application/rss+xml', href: channel.selfUrl })
      : undefined,
    channel.hub ? emptyElement('atom:link', { rel: 'hub', href: channel.hub }) : undefined,
    ...historyLinks(channel).map((link) =>
      emptyElement('atom:link', { ...link, type: 'application/rss+xml' }),
    ),
    channel.archive ? emptyElement('fh:archive', {}) : undefined,
    ...feed.entries.map(item),
  ]);
  const namespaces = channel.archive ? { ...NAMESPACES, 'xmlns:fh': HISTORY_NAMESPACE } : NAMESPACES;
  return xmlDocument(parentElement('rss', namespaces, [body]), channel.stylesheet);
}

function item(entry: FeedEntry): string {
  return parentElement('item', {}, [
    textElement('title', entry.title),
    entry.url ? textElement('link', entry.url) : undefined,
    textElement('guid', entry.id, { isPermaLink: entry.isPermaLink ? 'true' : 'false' }),
    textElement('pubDate', rfc822(entry.published)),
    // RSS <author> must be an e-mail address; a name goes in dc:creator.
    entry.author ? textElement('dc:creator', entry.author) : undefined,
    entry.category ? textElement('category', entry.category) : undefined,
    textElement('description', entry.summary || entry.contentText),
    entry.contentHtml ? textElement('content:encoded', entry.contentHtml) : undefined,
  ]);
}
