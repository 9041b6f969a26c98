import { renderAtom } from './atom.js';
import { prepareFeed } from './entries.js';
import { FeedError } from './errors.js';
import { renderJsonFeed } from './jsonfeed.js';
import { renderRss } from './rss.js';
import type { FeedArticle, FeedChannel, FeedFormat } from './types.js';

const RENDERERS = { rss: renderRss, atom: renderAtom, json: renderJsonFeed } as const;

/** The `Content-Type` to serve each format with. */
export const FEED_CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/**
 * A channel and its articles as an RSS 2.0, Atom 1.0 or JSON Feed 1.1 document. Deterministic:
 * the same input gives the same bytes (nothing reads the clock), so ETags can hash the body.
 *
 * @throws {FeedError} an unknown format, a relative channel URL, or an unreadable date
 */
export function renderFeed(
  channel: FeedChannel,
  articles: readonly FeedArticle[],
  format: FeedFormat,
): string {
  const render = RENDERERS[format];
  if (!render) throw new FeedError('bad-format', `Unknown feed format "${format}": use rss, atom or json.`);
  return render(prepareFeed(channel, articles));
}
