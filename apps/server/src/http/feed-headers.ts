import type { FeedFormat } from '@tidings/feeds';
import type { SourceConfig } from '../config/types.js';
import { feedPath } from '../feeds/channel.js';

export type FeedHeaders = (source: SourceConfig, format: FeedFormat) => Record<string, string>;

/** Per-feed response headers, built once per feed: CORS for JSON (the widget reads it from other sites), WebSub links. */
export function createFeedHeaders(publicBase: string, hub: string | undefined): FeedHeaders {
  const built = new Map<string, Record<string, string>>();
  return (source, format) => {
    const key = `${source.id}.${format}`;
    let headers = built.get(key);
    if (!headers) {
      headers = {};
      if (format === 'json') headers['Access-Control-Allow-Origin'] = '*';
      if (hub)
        headers.Link = `<${hub}>; rel="hub", <${publicBase}${feedPath(source.id, format)}>; rel="self"`;
      built.set(key, headers);
    }
    return headers;
  };
}
