import type { FeedChannel } from './types.js';

/** RFC 5005 (Feed Paging and Archiving): the namespace of `<fh:archive/>`. */
export const HISTORY_NAMESPACE = 'http://purl.org/syndication/history/1.0';

/** Where JSON Feed's `_archive` extension points readers for its meaning. */
export const HISTORY_SPEC = 'https://www.rfc-editor.org/rfc/rfc5005#section-4';

export interface HistoryLink {
  rel: 'current' | 'prev-archive' | 'next-archive';
  href: string;
}

/** The RFC 5005 links a channel carries, in a fixed order (same input, same bytes). */
export function historyLinks(channel: FeedChannel): HistoryLink[] {
  const links: HistoryLink[] = [];
  if (channel.currentUrl) links.push({ rel: 'current', href: channel.currentUrl });
  if (channel.prevArchiveUrl) links.push({ rel: 'prev-archive', href: channel.prevArchiveUrl });
  if (channel.nextArchiveUrl) links.push({ rel: 'next-archive', href: channel.nextArchiveUrl });
  return links;
}
