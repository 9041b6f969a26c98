import { type FeedFormat, feedStylesheet } from '@tidings/feeds';
import type { SourceConfig } from '../config/types.js';
import type { FeedLanguage } from '../filter/chinese-script.js';
import { activeFilters, articlesToRead, presentArticles, selectArticles } from '../filter/feed-content.js';
import type { FeedDefinition } from '../filter/feed-definition.js';
import { type FeedFilter, filterClock, filterKey } from '../filter/feed-filter.js';
import type { Metrics } from '../metrics.js';
import type { Backend } from '../store/backend.js';
import type { StoredArticle } from '../store/types.js';
import { ArchiveViews } from './archive-views.js';
import { titleOfFeed } from './channel.js';
import { FeedCache } from './feed-cache.js';
import { FEED_PAGE_ARTICLES, FEED_PAGE_HEADERS, renderFeedPage } from './feed-page.js';
import { type DeliveryHealth, renderDegradedHealth, renderHealth } from './health.js';
import { HTML_SECURITY_HEADERS } from './html.js';
import { renderIndexPage, summarize, summarizeFeeds } from './index-page.js';
import { renderOpml } from './opml.js';
import { Prepared } from './prepared.js';
import { SiteView } from './site-view.js';
import { ViewCache, type ViewCacheLimits } from './view-cache.js';
import { renderWidgetPage, type WidgetPageOptions } from './widget-page.js';

/** A feed view other than the default, from the feed URL's options (normalized: equal options, equal views). */
export interface FeedQuery {
  /** The newest `limit` of what the view keeps. */
  limit: number;
  /** A literal keyword (the store's search). */
  q?: string;
  /** `include=`, `exclude=`, `days=`: applied on top of the feed's own filter. */
  filter?: FeedFilter;
  /** Summary and text cut to this many graphemes. */
  brief?: number;
  /** Converted to Traditional Chinese. */
  lang?: FeedLanguage;
}

export type WidgetQuery = Pick<
  WidgetPageOptions,
  'limit' | 'theme' | 'layout' | 'summary' | 'date' | 'image'
>;

export interface ViewsOptions {
  sources: ReadonlyMap<string, SourceConfig>;
  /** Every feed by id: each source's own and the derived ones, kept current by `LiveSources`. */
  feeds: ReadonlyMap<string, FeedDefinition>;
  backend: Backend;
  metrics: Metrics;
  /** Base of self links, e.g. https://feeds.example.org (no trailing slash). */
  publicBase: string;
  hub: string | undefined;
  /** The embed script (`@tidings/widget`'s dist/widget.js), when built. */
  widgetScript: Prepared | undefined;
  /** Each push destination's status, for /healthz (throws like the store when it is down). */
  deliveries?: () => Promise<DeliveryHealth[]>;
}

/**
 * Bounds on what the views hold. Variants (`limit`, widget options) come from a small space per
 * source; searches (`q`) from as many words as clients invent, so they get a cache of their own and
 * a flood of new words only pushes out other searches.
 */
export const VIEW_LIMITS: { variants: ViewCacheLimits; searches: ViewCacheLimits } = {
  variants: { entries: 1000, bytes: 32 * 1024 * 1024 },
  searches: { entries: 500, bytes: 16 * 1024 * 1024 },
};

/** How stale a site view may be for what changes elsewhere (another instance, the store). */
const SITE_VIEW_MAX_AGE_MS = 5_000;
const HEALTH_MAX_AGE_MS = 1_000;

// The iframe page is meant to be framed by any site: its CSP allows that and nothing else.
const WIDGET_PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src http: https:; base-uri 'none'; form-action 'none'; frame-ancestors *",
  'Referrer-Policy': 'no-referrer',
};

/**
 * Every public view, rendered when its data changes and held ready to serve: the default feeds
 * (`FeedCache`), their `limit`/`q` variants and widget pages (bounded caches, rendered on first
 * request), and the site's pages. Requests only read from here; refreshes tell it what changed.
 */
export class Views {
  readonly feeds: FeedCache;
  /** Each source's monthly archives (RFC 5005), rendered on first request, held until the source changes. */
  readonly archives: ArchiveViews;
  readonly index: SiteView;
  readonly opml: SiteView;
  readonly health: SiteView;
  readonly stylesheet: Prepared;
  readonly widgetScript: Prepared | undefined;
  readonly #variants = new ViewCache(VIEW_LIMITS.variants);
  readonly #searches = new ViewCache(VIEW_LIMITS.searches);
  readonly #degraded = new Map<string, Prepared>();
  /** /feeds/<id> pages: one per feed, each rendered when asked after a change. */
  readonly #feedPages = new Map<string, { feed: FeedDefinition; view: SiteView }>();

  constructor(private readonly options: ViewsOptions) {
    const { backend, publicBase } = options;
    this.feeds = new FeedCache(options);
    this.archives = new ArchiveViews(options);
    const summaries = () => summarize([...options.sources.values()], backend);
    const feedSummaries = () => summarizeFeeds([...options.feeds.values()], backend);
    this.index = new SiteView(
      async () =>
        new Prepared(Buffer.from(renderIndexPage(await feedSummaries(), publicBase)), {
          contentType: 'text/html; charset=utf-8',
          cacheControl: 'no-cache',
          headers: HTML_SECURITY_HEADERS,
          compress: 'lazy',
        }),
      SITE_VIEW_MAX_AGE_MS,
    );
    this.opml = new SiteView(
      async () =>
        new Prepared(Buffer.from(renderOpml(await feedSummaries(), publicBase)), {
          contentType: 'text/x-opml; charset=utf-8',
          cacheControl: 'public, max-age=300',
          compress: 'lazy',
        }),
      SITE_VIEW_MAX_AGE_MS,
    );
    this.health = new SiteView(async () => {
      let body: string;
      try {
        body = renderHealth(await summaries(), (await options.deliveries?.()) ?? []);
      } catch (error) {
        body = renderDegradedHealth([...options.sources.values()], error);
      }
      return json(body, 'no-store');
    }, HEALTH_MAX_AGE_MS);
    this.stylesheet = new Prepared(Buffer.from(feedStylesheet), {
      contentType: 'text/xsl; charset=utf-8',
      cacheControl: 'public, max-age=86400',
      compress: 'eager',
    });
    this.widgetScript = options.widgetScript;
  }

  /** /healthz while the store says it cannot be reached: answered without asking it. */
  degradedHealth(reason: string): Prepared {
    let view = this.#degraded.get(reason);
    if (!view) {
      if (this.#degraded.size >= 16) this.#degraded.clear();
      view = json(renderDegradedHealth([...this.options.sources.values()], new Error(reason)), 'no-store');
      this.#degraded.set(reason, view);
    }
    return view;
  }

  /**
   * A feed with URL options: held when asked before, else one store query and one render. Views
   * with words clients invent (`q`, `include`, `exclude`) share the searches' cache, so a flood of
   * new words pushes out only other such views; the rest (numbers and a language) are variants.
   * A view that counts `days` is keyed by the hour too: it is rendered again in the next one.
   */
  feed(feed: FeedDefinition, format: FeedFormat, query: FeedQuery): Prepared | Promise<Prepared> {
    const { filter } = query;
    const worded = query.q !== undefined || (filter && filter.include.length + filter.exclude.length > 0);
    const cache = worded ? this.#searches : this.#variants;
    const days = filter?.days !== undefined || feed.filter.days !== undefined;
    const key = [
      feed.id,
      format,
      query.limit,
      query.q ?? '',
      filter ? filterKey(filter) : '',
      query.brief ?? '',
      query.lang ?? '',
      days ? filterClock().getTime() : '',
    ].join('\n');
    return (
      cache.peek(key) ?? cache.get(key, feed.source.id, () => this.feeds.renderQuery(feed, format, query))
    );
  }

  /** The newest `limit` articles of a feed as its page and widget show them: filtered, converted. */
  async #articlesOf(feed: FeedDefinition, limit: number): Promise<StoredArticle[]> {
    const filters = activeFilters(feed.filter);
    const stored = await this.options.backend.listArticles(feed.source.id, {
      limit: articlesToRead(filters, limit),
    });
    const selected = selectArticles(stored, filters, filterClock(), limit);
    return presentArticles(selected, feed.lang ? { lang: feed.lang } : {});
  }

  /** /widget/<id> with these options: held when asked before, else rendered once. */
  widget(feed: FeedDefinition, query: WidgetQuery): Prepared | Promise<Prepared> {
    const { source } = feed;
    const days = feed.filter.days !== undefined ? filterClock().getTime() : '';
    const key = `${feed.id}\nwidget\n${query.limit}\n${query.theme}\n${query.layout}\n${+query.summary}${+query.date}${+query.image}\n${days}`;
    return (
      this.#variants.peek(key) ??
      this.#variants.get(key, source.id, async () => {
        const articles = await this.#articlesOf(feed, query.limit);
        this.options.metrics.renders.inc({ source: source.id, kind: 'widget' });
        const page = renderWidgetPage(articles, {
          ...query,
          title: titleOfFeed(feed, articles[0]?.article),
          homeUrl: source.url,
          ...(feed.lang && { lang: feed.lang }),
        });
        return new Prepared(Buffer.from(page), {
          contentType: 'text/html; charset=utf-8',
          cacheControl: 'public, max-age=300',
          headers: WIDGET_PAGE_HEADERS,
          compress: 'lazy',
        });
      })
    );
  }

  /** /feeds/<id>, the feed's page for people: held until its source's articles or status change. */
  feedPage(feed: FeedDefinition): Prepared | Promise<Prepared> {
    let held = this.#feedPages.get(feed.id);
    if (held?.feed !== feed) {
      for (const id of this.#feedPages.keys()) if (!this.options.feeds.has(id)) this.#feedPages.delete(id);
      held = { feed, view: new SiteView(() => this.#renderFeedPage(feed), SITE_VIEW_MAX_AGE_MS) };
      this.#feedPages.set(feed.id, held);
    }
    return held.view.peek() ?? held.view.get();
  }

  async #renderFeedPage(feed: FeedDefinition): Promise<Prepared> {
    const { backend, metrics, publicBase } = this.options;
    const { source } = feed;
    const [articles, status] = await Promise.all([
      this.#articlesOf(feed, FEED_PAGE_ARTICLES),
      backend.getStatus(source.id),
    ]);
    metrics.renders.inc({ source: source.id, kind: 'page' });
    return new Prepared(Buffer.from(renderFeedPage({ feed, source, articles, status, publicBase })), {
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'no-cache',
      headers: FEED_PAGE_HEADERS,
      compress: 'lazy',
    });
  }

  /** Every feed made from this source (its own, then the derived ones). */
  feedsOf(sourceId: string): FeedDefinition[] {
    return [...this.options.feeds.values()].filter((feed) => feed.source.id === sourceId);
  }

  /**
   * A source's articles changed (here, or announced by another instance): the default view of
   * every feed made from it is rendered again and every other view of it is dropped, to be
   * rendered on its next request. Returns whether a default feed's bytes changed.
   */
  async sourceChanged(source: SourceConfig): Promise<boolean> {
    this.#variants.invalidate(source.id);
    this.#searches.invalidate(source.id);
    this.archives.invalidate(source.id);
    const feeds = this.feedsOf(source.id);
    for (const id of this.feeds.heldOf(source.id)) {
      if (!feeds.some((feed) => feed.id === id)) this.feeds.drop(id);
    }
    let changed = false;
    for (const feed of feeds) if (await this.feeds.rebuild(feed)) changed = true;
    this.statusChanged();
    return changed;
  }

  /** A source's settings (or its derived feeds) changed: every view of it is rendered again, even from the same data. */
  sourceReplaced(source: SourceConfig): Promise<boolean> {
    for (const feed of this.feedsOf(source.id)) this.feeds.markStale(feed.id);
    return this.sourceChanged(source);
  }

  /** A source left the config: none of its feeds' views is held or served any more (its history stays in the store). */
  sourceRemoved(sourceId: string): void {
    this.#variants.invalidate(sourceId);
    this.#searches.invalidate(sourceId);
    this.archives.invalidate(sourceId);
    for (const id of this.feeds.heldOf(sourceId)) this.feeds.drop(id);
    this.statusChanged();
  }

  /** A source's status changed (a refresh ran, a run was scheduled): the site's pages are rendered anew. */
  statusChanged(): void {
    this.index.invalidate();
    this.opml.invalidate();
    this.health.invalidate();
    for (const [id, { view }] of this.#feedPages) {
      if (this.options.feeds.has(id)) view.invalidate();
      else this.#feedPages.delete(id);
    }
  }

  /** What the caches hold, for /metrics. */
  held(): { views: number; bytes: number } {
    return {
      views: this.#variants.count + this.#searches.count + this.archives.count,
      bytes: this.#variants.bytes + this.#searches.bytes + this.archives.bytes,
    };
  }
}

function json(body: string, cacheControl: string): Prepared {
  return new Prepared(Buffer.from(body), {
    contentType: 'application/json; charset=utf-8',
    cacheControl,
    compress: 'lazy',
  });
}
