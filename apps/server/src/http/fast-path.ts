import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FeedFormat } from '@tidings/feeds';
import type { SourceConfig } from '../config/types.js';
import type { FeedCache } from '../feeds/feed-cache.js';
import type { Metrics } from '../metrics.js';
import type { FeedHeaders } from './feed-headers.js';
import { sendFeed } from './send-feed.js';

const FEED_PATH = /^\/feeds\/([a-z0-9][a-z0-9-]{0,63})\.(rss|atom|json)$/;

/**
 * Cached feed requests (GET/HEAD of /feeds/<id>.<format> with no query) answered straight from
 * node:http, before Express builds its request objects and walks its router: a cache hit costs a
 * regex and a few header writes. Returns false for anything else, which goes on to Express.
 */
export function createFastPath(options: {
  cache: FeedCache;
  sources: ReadonlyMap<string, SourceConfig>;
  metrics: Metrics;
  headers: FeedHeaders;
}): (request: IncomingMessage, response: ServerResponse) => boolean {
  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const match = FEED_PATH.exec(request.url ?? '');
    if (!match) return false;
    const [, id, format] = match as unknown as [string, string, FeedFormat];
    const source = options.sources.get(id);
    const feed = source ? options.cache.get(id, format) : undefined;
    if (!source || !feed) return false;
    const answer = sendFeed(request, response, feed, options.headers(source, format));
    options.metrics.countFeedRequest(format, answer);
    return true;
  };
}
