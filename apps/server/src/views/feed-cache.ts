import { createHash } from 'node:crypto';
import { FEED_CONTENT_TYPES, type FeedFormat, renderFeed } from '@tidings/feeds';
import type { SourceConfig } from '../config/types.js';
import type { Metrics } from '../metrics.js';
import type { Backend } from '../store/backend.js';
import type { ListOptions, StoredArticle } from '../store/types.js';
import { channelFor, feedPath } from './channel.js';
import { Prepared } from './prepared.js';

export const FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

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
  readonly #feeds = new Map<string, Map<FeedFormat, Prepared>>();
  /** What each source's feeds were rendered from, to skip rendering the same data again. */
  readonly #renderedFrom = new Map<string, string>();
  /** Rebuilds of a source run one after another, so an older read never replaces a newer one. */
  readonly #rebuilding = new Map<string, Promise<boolean>>();

  constructor(private readonly options: FeedCacheOptions) {}

  get(sourceId: string, format: FeedFormat): Prepared | undefined {
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

  /** The next `rebuild` renders even if the data is the same: the source's settings (title, interval) changed. */
  markStale(sourceId: string): void {
    this.#renderedFrom.delete(sourceId);
  }

  /** A source removed from the config: its feeds are no longer held. */
  drop(sourceId: string): void {
    this.#feeds.delete(sourceId);
    this.#renderedFrom.delete(sourceId);
  }

  async #rebuildNow(source: SourceConfig): Promise<boolean> {
    const stored = await this.options.backend.listArticles(source.id, { limit: DEFAULT_LIMIT });
    const from = fingerprint(stored);
    if (this.#renderedFrom.get(source.id) === from && this.#feeds.has(source.id)) return false;
    this.#renderedFrom.set(source.id, from);
    let changed = false;
    const feeds = this.#feeds.get(source.id) ?? new Map<FeedFormat, Prepared>();
    for (const format of FORMATS) {
      const next = this.#render(source, stored, format, 'eager');
      if (feeds.get(format)?.etag !== next.etag) changed = true;
      feeds.set(format, next);
    }
    this.#feeds.set(source.id, feeds);
    this.options.metrics.renders.inc({ source: source.id, kind: 'change' }, FORMATS.length);
    return changed;
  }

  /** A view with `limit` or `q`, read and rendered now (the caller keeps it in a bounded cache). */
  async renderQuery(source: SourceConfig, format: FeedFormat, query: ListOptions): Promise<Prepared> {
    this.options.metrics.renders.inc({ source: source.id, kind: 'query' });
    return this.#render(source, await this.options.backend.listArticles(source.id, query), format, 'lazy');
  }

  #render(
    source: SourceConfig,
    stored: StoredArticle[],
    format: FeedFormat,
    compress: 'eager' | 'lazy',
  ): Prepared {
    const articles = stored.map((entry) => ({ ...entry.article, updatedAt: entry.updatedAt }));
    const channel = channelFor(source, articles, format, this.options.publicBase, this.options.hub);
    const body = Buffer.from(renderFeed(channel, articles, format));
    // The stored instants are ISO strings in UTC: they compare as strings.
    let newest = '1970-01-01T00:00:00.000Z';
    for (const entry of stored) if (entry.updatedAt > newest) newest = entry.updatedAt;
    const refreshSeconds = Math.round(source.refreshMs / 1000);
    return new Prepared(body, {
      contentType: FEED_CONTENT_TYPES[format],
      lastModified: new Date(newest).toUTCString(),
      // Readers may reuse a copy for half a refresh interval, revalidate in the background for a
      // whole one, and fall back on it for a day if we are down.
      cacheControl: `public, max-age=${Math.max(60, Math.floor(refreshSeconds / 2))}, stale-while-revalidate=${refreshSeconds}, stale-if-error=86400`,
      headers: this.#headers(source, format),
      compress,
    });
  }

  /** CORS for JSON (the widget reads it from other sites); WebSub links when there is a hub. */
  #headers(source: SourceConfig, format: FeedFormat): Record<string, string> {
    const headers: Record<string, string> = {};
    if (format === 'json') headers['Access-Control-Allow-Origin'] = '*';
    if (this.options.hub) {
      headers.Link = `<${this.options.hub}>; rel="hub", <${this.options.publicBase}${feedPath(source.id, format)}>; rel="self"`;
    }
    return headers;
  }
}

/** Everything a view is rendered from (a millisecond or two for 50 articles): equal fingerprints render equal bytes. */
function fingerprint(stored: readonly StoredArticle[]): string {
  return createHash('sha256').update(JSON.stringify(stored)).digest('base64url');
}
