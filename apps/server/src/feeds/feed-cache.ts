import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { FEED_CONTENT_TYPES, type FeedFormat, renderFeed } from '@tidings/feeds';
import type { SourceConfig } from '../config/types.js';
import type { Metrics } from '../metrics.js';
import type { Backend } from '../store/backend.js';
import type { ListOptions, StoredArticle } from '../store/types.js';
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
  backend: Backend;
  metrics: Metrics;
  /** Base of self links, e.g. https://feeds.example.org (no trailing slash). */
  publicBase: string;
  hub: string | undefined;
}

/** Renders each source's three feeds when its data changes and keeps the bytes, compressed, ready. */
export class FeedCache {
  // Per source, per format: no key string to build on the hot path.
  readonly #feeds = new Map<string, Map<FeedFormat, RenderedFeed>>();
  /** What each source's feeds were rendered from, to skip rendering the same data again. */
  readonly #renderedFrom = new Map<string, string>();
  /** Rebuilds of a source run one after another, so an older read never replaces a newer one. */
  readonly #rebuilding = new Map<string, Promise<boolean>>();

  constructor(private readonly options: FeedCacheOptions) {}

  get(sourceId: string, format: FeedFormat): RenderedFeed | undefined {
    return this.#feeds.get(sourceId)?.get(format);
  }

  /**
   * Renders the default view (newest 50) of a source in every format. Returns whether any body
   * changed. Rendering is deterministic, so instances reading the same data hold the same bytes
   * and ETags.
   */
  rebuild(source: SourceConfig): Promise<boolean> {
    const previous = this.#rebuilding.get(source.id) ?? Promise.resolve(false);
    const next = previous.catch(() => false).then(() => this.#rebuildNow(source));
    this.#rebuilding.set(source.id, next);
    const forget = () => {
      if (this.#rebuilding.get(source.id) === next) this.#rebuilding.delete(source.id);
    };
    next.then(forget, forget);
    return next;
  }

  async #rebuildNow(source: SourceConfig): Promise<boolean> {
    const stored = await this.options.backend.listArticles(source.id, { limit: DEFAULT_LIMIT });
    const from = fingerprint(stored);
    if (this.#renderedFrom.get(source.id) === from && this.#feeds.has(source.id)) return false;
    this.#renderedFrom.set(source.id, from);
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
  async renderQuery(source: SourceConfig, format: FeedFormat, query: ListOptions): Promise<RenderedFeed> {
    this.options.metrics.renders.inc({ source: source.id, kind: 'query' });
    return this.#render(source, await this.options.backend.listArticles(source.id, query), format, false);
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

/** Everything a view is rendered from (a millisecond or two for 50 articles): equal fingerprints render equal bytes. */
function fingerprint(stored: readonly StoredArticle[]): string {
  return createHash('sha256').update(JSON.stringify(stored)).digest('base64url');
}
