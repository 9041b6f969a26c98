import type { FeedEntry, PreparedFeed } from './entries.js';
import { HISTORY_NAMESPACE, historyLinks } from './history.js';
import { emptyElement, parentElement, textElement, xmlDocument } from './xml.js';

/** Atom 1.0 (RFC 4287). */
export function renderAtom(feed: PreparedFeed): string {
  const { channel } = feed;
  const author = channel.author ?? { name: channel.title };
  const namespaces = {
    xmlns: 'http://www.w3.org/2005/Atom',
    'xmlns:fh': channel.archive ? HISTORY_NAMESPACE : undefined,
  };
  const root = parentElement('feed', { ...namespaces, 'xml:lang': channel.language }, [
    textElement('id', feed.id),
    textElement('title', channel.title, { type: 'text' }),
    channel.description ? textElement('subtitle', channel.description, { type: 'text' }) : undefined,
    textElement('updated', feed.updated),
    channel.selfUrl
      ? emptyElement('link', { rel: 'self', type: 'application/atom+xml', href: channel.selfUrl })
      : undefined,
    emptyElement('link', { rel: 'alternate', type: 'text/html', href: channel.homeUrl }),
    channel.hub ? emptyElement('link', { rel: 'hub', href: channel.hub }) : undefined,
    ...historyLinks(channel).map((link) => emptyElement('link', { ...link, type: 'application/atom+xml' })),
    channel.archive ? emptyElement('fh:archive', {}) : undefined,
    // A feed-level author makes every entry valid, whether or not it names its own.
    parentElement('author', {}, [textElement('name', author.name), textElement('uri', author.url)]),
    textElement('generator', 'Tidings'),
    ...feed.entries.map(entry),
  ]);
  return xmlDocument(root, channel.stylesheet);
}

function entry(item: FeedEntry): string {
  return parentElement('entry', item.language ? { 'xml:lang': item.language } : {}, [
    textElement('id', item.id),
    textElement('title', item.title, { type: 'text' }),
    item.url ? emptyElement('link', { rel: 'alternate', type: 'text/html', href: item.url }) : undefined,
    textElement('published', item.published),
    textElement('updated', item.updated),
    item.author ? parentElement('author', {}, [textElement('name', item.author)]) : undefined,
    item.category ? emptyElement('category', { term: item.category }) : undefined,
    ...item.attachments.map((attachment) =>
      emptyElement('link', {
        rel: 'enclosure',
        type: attachment.mimeType,
        href: attachment.url,
        title: attachment.title,
      }),
    ),
    item.summary ? textElement('summary', item.summary, { type: 'text' }) : undefined,
    item.contentHtml ? textElement('content', item.contentHtml, { type: 'html' }) : undefined,
  ]);
}
