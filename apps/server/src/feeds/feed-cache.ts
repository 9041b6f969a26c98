import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { FEED_CONTENT_TYPES, type FeedFormat, renderFeed } from '@tidings/feeds';
import type { SourceConfig } from '../config/types.js';
import type { Metrics } from '../metrics.js';
import type { ListOptions, Store, StoredArticle } from '../store/types.js';
import { channelFor } from './channel.js';

export const FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** A rendered feed: a value computed once per change and served many times. */
export interface RenderedFeed {
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
  /** Strong validator: a hash of the body, so unchanged data gives the same ETag across restarts. */
  etag: string;
  /** HTTP date of the newest change among the articles shown. */
  lastModified: string;
  contentType: string;
  cacheControl: string;
}

export interface FeedCacheOptions {
  store: Store;
  metrics: Metrics;
  /** Base of self links, e.g. https://feeds.example.org (no trailing slash). */
  publicBase: string;
  hub: string | undefined;
}

/** Renders each source's three feeds when its data changes and keeps the bytes, compressed, ready. */
export class FeedCache {
  // Per source, per format: no key string to build on the hot path.
  readonly #feeds = new Map<string, Map<FeedFormat, RenderedFeed>>();

  constructor(private readonly options: FeedCacheOptions) {}

  get(sourceId: string, format: FeedFormat): RenderedFeed | undefined {
    return this.#feeds.get(sourceId)?.get(format);
  }

  /** Renders the default view (newest 50) of a source in every format. Returns whether any body changed. */
  rebuild(source: SourceConfig): boolean {
    const stored = this.options.store.listArticles(source.id, { limit: DEFAULT_LIMIT });
    let changed = false;
    const feeds = this.#feeds.get(source.id) ?? new Map<FeedFormat, RenderedFeed>();
    for (const format of FORMATS) {
      const next = this.#render(source, stored, format, true);
      if (feeds.get(format)?.etag !== next.etag) changed = true;
      feeds.set(format, next);
    }
    this.#feeds.set(source.id, feeds);
    this.options.metrics.renders.inc({ source: source.id, kind: 'change' }, FORMATS.length);
    return changed;
  }

  /** A view with `limit` or `q`: rendered for the request, compressed lazily by the caller. */
  renderQuery(source: SourceConfig, format: FeedFormat, query: ListOptions): RenderedFeed {
    this.options.metrics.renders.inc({ source: source.id, kind: 'query' });
    return this.#render(source, this.options.store.listArticles(source.id, query), format, false);
  }

  #render(
    source: SourceConfig,
    stored: StoredArticle[],
    format: FeedFormat,
    compress: boolean,
  ): RenderedFeed {
    const articles = stored.map((entry) => ({ ...entry.article, updatedAt: entry.updatedAt }));
    const channel = channelFor(source, articles, format, this.options.publicBase, this.options.hub);
    const body = Buffer.from(renderFeed(channel, articles, format));
    // The stored instants are ISO strings in UTC: they compare as strings.
    let newest = '1970-01-01T00:00:00.000Z';
    for (const entry of stored) if (entry.updatedAt > newest) newest = entry.updatedAt;
    const refreshSeconds = Math.round(source.refreshMs / 1000);
    return {
      body,
      gzip: compress ? gzipSync(body, { level: 9 }) : Buffer.alloc(0),
      br: compress
        ? brotliCompressSync(body, {
            params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
          })
        : Buffer.alloc(0),
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`,
      lastModified: new Date(newest).toUTCString(),
      contentType: FEED_CONTENT_TYPES[format],
      // Readers may reuse a copy for half a refresh interval, revalidate in the background for a
      // whole one, and fall back on it for a day if we are down.
      cacheControl: `public, max-age=${Math.max(60, Math.floor(refreshSeconds / 2))}, stale-while-revalidate=${refreshSeconds}, stale-if-error=86400`,
    };
  }
}
