import { createHash } from 'node:crypto';
import { FEED_CONTENT_TYPES, type FeedChannel, type FeedFormat, renderFeed } from '@tidings/feeds';
import type { Article } from '@tidings/parser';
import { feedSizeOf } from '../config/types.js';
import { converterFor, type FeedLanguage } from '../filter/chinese-script.js';
import {
  activeFilters,
  articlesToRead,
  type Presentation,
  presentArticles,
  selectArticles,
} from '../filter/feed-content.js';
import type { FeedDefinition } from '../filter/feed-definition.js';
import { filterClock } from '../filter/feed-filter.js';
import type { Metrics } from '../metrics.js';
import type { Backend } from '../store/backend.js';
import type { StoredArticle } from '../store/types.js';
import { feedWindow, newestArchiveMonth, prevArchiveLink } from './archive-links.js';
import type { ArchiveMonth } from './archive-months.js';
import { channelFor, feedCacheControl, feedPath, titleOfFeed } from './channel.js';
import { Prepared } from './prepared.js';
import type { FeedQuery } from './views.js';

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

/** A feed's three formats as rendered last, and from what. */
interface HeldFeed {
  feed: FeedDefinition;
  formats: Map<FeedFormat, Prepared>;
  /** What they were rendered from, to skip rendering the same data again ('' after `markStale`). */
  from: string;
  /** The hour (`filterClock`) a feed with `days` was rendered at: it is rendered again in the next one. */
  clock: number;
}

/**
 * Renders each feed's three formats (every `FeedDefinition`: a source's own, and derived ones)
 * when its source's data changes, and keeps the bytes, compressed, ready.
 */
export class FeedCache {
  // Per feed id, per format: no key string to build on the hot path.
  readonly #feeds = new Map<string, HeldFeed>();
  /** Rebuilds of a feed run one after another, so an older read never replaces a newer one. */
  readonly #rebuilding = new Map<string, Promise<boolean>>();

  constructor(private readonly options: FeedCacheOptions) {}

  get(feedId: string, format: FeedFormat): Prepared | undefined {
    const held = this.#feeds.get(feedId);
    if (held?.feed.filter.days !== undefined) this.#renewDaily(held);
    return held?.formats.get(format);
  }

  /**
   * Renders the default view (newest 50 that its filter keeps) of a feed in every format.
   * Returns whether any body changed. Rendering is deterministic, so instances reading the same
   * data hold the same bytes and ETags.
   */
  rebuild(feed: FeedDefinition): Promise<boolean> {
    const previous = this.#rebuilding.get(feed.id) ?? Promise.resolve(false);
    const next = previous.catch(() => false).then(() => this.#rebuildNow(feed));
    this.#rebuilding.set(feed.id, next);
    const forget = () => {
      if (this.#rebuilding.get(feed.id) === next) this.#rebuilding.delete(feed.id);
    };
    next.then(forget, forget);
    return next;
  }

  /** The next `rebuild` renders even if the data is the same: the feed's settings (title, interval) changed. */
  markStale(feedId: string): void {
    const held = this.#feeds.get(feedId);
    if (held) held.from = '';
  }

  /** A feed removed from the config (or its source): it is no longer held. */
  drop(feedId: string): void {
    this.#feeds.delete(feedId);
  }

  /** The ids of the held feeds made from this source. */
  heldOf(sourceId: string): string[] {
    return [...this.#feeds.values()]
      .filter((held) => held.feed.source.id === sourceId)
      .map((held) => held.feed.id);
  }

  /** A feed whose filter counts days is rendered again once its hour has passed (served as held meanwhile). */
  #renewDaily(held: HeldFeed): void {
    const clock = filterClock().getTime();
    if (held.clock === clock) return;
    held.clock = clock;
    this.rebuild(held.feed).catch(() => {});
  }

  async #rebuildNow(feed: FeedDefinition): Promise<boolean> {
    const clock = filterClock();
    const filters = activeFilters(feed.filter);
    // A source's own feed holds its feedSize, and reads one more: the newest archived article,
    // whose month it links as prev-archive.
    const size = feed.derived ? DEFAULT_LIMIT : feedSizeOf(feed.source);
    const stored = await this.options.backend.listArticles(feed.source.id, {
      limit: feed.derived ? articlesToRead(filters, size) : feedWindow(feed.source),
    });
    const selected = selectArticles(stored, filters, clock, size);
    const archive = feed.derived ? undefined : newestArchiveMonth(feed.source, stored);
    const from = `${fingerprint(selected)} ${archive ?? ''}`;
    const held = this.#feeds.get(feed.id);
    if (held && held.feed === feed && held.from === from) {
      held.clock = clock.getTime();
      return false;
    }
    const presented = await presentArticles(selected, { lang: feed.lang });
    let changed = false;
    const formats = held?.formats ?? new Map<FeedFormat, Prepared>();
    for (const format of FORMATS) {
      const next = await this.#render(feed, presented, format, feed.lang, 'eager', archive);
      if (formats.get(format)?.etag !== next.etag) changed = true;
      formats.set(format, next);
    }
    this.#feeds.set(feed.id, { feed, formats, from, clock: clock.getTime() });
    this.options.metrics.renders.inc({ source: feed.source.id, kind: 'change' }, FORMATS.length);
    return changed;
  }

  /**
   * A view with `limit`, `q`, URL filters, `brief` or `lang`, read and rendered now (the caller
   * keeps it in a bounded cache): at most `articlesToRead` stored articles read, at most `limit` rendered.
   */
  async renderQuery(feed: FeedDefinition, format: FeedFormat, query: FeedQuery): Promise<Prepared> {
    this.options.metrics.renders.inc({ source: feed.source.id, kind: 'query' });
    const filters = activeFilters(feed.filter, query.filter);
    const stored = await this.options.backend.listArticles(feed.source.id, {
      limit: articlesToRead(filters, query.limit),
      ...(query.q !== undefined && { q: query.q }),
    });
    const selected = selectArticles(stored, filters, filterClock(), query.limit);
    const lang = query.lang ?? feed.lang;
    const presentation: Presentation = {
      ...(query.brief !== undefined && { brief: query.brief }),
      ...(lang !== undefined && { lang }),
    };
    return this.#render(feed, await presentArticles(selected, presentation), format, lang, 'lazy');
  }

  async #render(
    feed: FeedDefinition,
    stored: StoredArticle[],
    format: FeedFormat,
    lang: FeedLanguage | undefined,
    compress: 'eager' | 'lazy',
    archive?: ArchiveMonth,
  ): Promise<Prepared> {
    const { source } = feed;
    const articles = stored.map((entry) => ({ ...entry.article, updatedAt: entry.updatedAt }));
    const channel = {
      ...(await this.#channel(feed, articles, format, lang)),
      ...prevArchiveLink(this.options.publicBase, source, archive, format),
    };
    const body = Buffer.from(renderFeed(channel, articles, format));
    // The stored instants are ISO strings in UTC: they compare as strings.
    let newest = '1970-01-01T00:00:00.000Z';
    for (const entry of stored) if (entry.updatedAt > newest) newest = entry.updatedAt;
    return new Prepared(body, {
      contentType: FEED_CONTENT_TYPES[format],
      lastModified: new Date(newest).toUTCString(),
      cacheControl: feedCacheControl(source),
      headers: this.#headers(feed, format),
      compress,
    });
  }

  /** The source's channel, with the feed's own title, description, self link (and so Atom id) and language. */
  async #channel(
    feed: FeedDefinition,
    articles: readonly Article[],
    format: FeedFormat,
    lang: FeedLanguage | undefined,
  ): Promise<FeedChannel> {
    const base = channelFor(feed.source, articles, format, this.options.publicBase, this.options.hub);
    if (!feed.derived && lang === undefined) return base;
    const convert = lang ? await converterFor(lang) : (text: string) => text;
    const title = convert(titleOfFeed(feed, articles[0]));
    const description = feed.description
      ? convert(feed.description)
      : feed.derived
        ? `${title}: articles of ${feed.source.url} chosen by Tidings`
        : convert(base.description ?? title);
    return {
      ...base,
      title,
      description,
      selfUrl: `${this.options.publicBase}${feedPath(feed.id, format)}`,
      ...(lang !== undefined && { language: lang }),
    };
  }

  /** CORS for JSON (the widget reads it from other sites); WebSub links when there is a hub. */
  #headers(feed: FeedDefinition, format: FeedFormat): Record<string, string> {
    const headers: Record<string, string> = {};
    if (format === 'json') headers['Access-Control-Allow-Origin'] = '*';
    if (this.options.hub) {
      headers.Link = `<${this.options.hub}>; rel="hub", <${this.options.publicBase}${feedPath(feed.id, format)}>; rel="self"`;
    }
    return headers;
  }
}

/** Everything a view is rendered from (a millisecond or two for 50 articles): equal fingerprints render equal bytes. */
function fingerprint(stored: readonly StoredArticle[]): string {
  return createHash('sha256').update(JSON.stringify(stored)).digest('base64url');
}
