import { type FeedFormat, feedStylesheet } from '@tidings/feeds';
import type { SourceConfig } from '../config/types.js';
import type { Metrics } from '../metrics.js';
import type { Backend } from '../store/backend.js';
import { feedTitle } from './channel.js';
import { FeedCache } from './feed-cache.js';
import { FEED_PAGE_ARTICLES, FEED_PAGE_HEADERS, renderFeedPage } from './feed-page.js';
import { renderDegradedHealth, renderHealth } from './health.js';
import { HTML_SECURITY_HEADERS } from './html.js';
import { renderIndexPage, summarize } from './index-page.js';
import { renderOpml } from './opml.js';
import { Prepared } from './prepared.js';
import { SiteView } from './site-view.js';
import { ViewCache, type ViewCacheLimits } from './view-cache.js';
import { renderWidgetPage, type WidgetPageOptions } from './widget-page.js';

/** A feed view other than the default: `limit` newest, or those matching `q`. */
export interface FeedQuery {
  limit: number;
  q?: string;
}

export type WidgetQuery = Pick<
  WidgetPageOptions,
  'limit' | 'theme' | 'layout' | 'summary' | 'date' | 'image'
>;

export interface ViewsOptions {
  sources: ReadonlyMap<string, SourceConfig>;
  backend: Backend;
  metrics: Metrics;
  /** Base of self links, e.g. https://feeds.example.org (no trailing slash). */
  publicBase: string;
  hub: string | undefined;
  /** The embed script (`@tidings/widget`'s dist/widget.js), when built. */
  widgetScript: Prepared | undefined;
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
  readonly index: SiteView;
  readonly opml: SiteView;
  readonly health: SiteView;
  readonly stylesheet: Prepared;
  readonly widgetScript: Prepared | undefined;
  readonly #variants = new ViewCache(VIEW_LIMITS.variants);
  readonly #searches = new ViewCache(VIEW_LIMITS.searches);
  readonly #degraded = new Map<string, Prepared>();
  /** /feeds/<id> pages: one per configured source, each rendered when asked after a change. */
  readonly #feedPages = new Map<string, { source: SourceConfig; view: SiteView }>();

  constructor(private readonly options: ViewsOptions) {
    const { backend, publicBase } = options;
    this.feeds = new FeedCache(options);
    const summaries = () => summarize([...options.sources.values()], backend);
    this.index = new SiteView(
      async () =>
        new Prepared(Buffer.from(renderIndexPage(await summaries(), publicBase)), {
          contentType: 'text/html; charset=utf-8',
          cacheControl: 'no-cache',
          headers: HTML_SECURITY_HEADERS,
          compress: 'lazy',
        }),
      SITE_VIEW_MAX_AGE_MS,
    );
    this.opml = new SiteView(
      async () =>
        new Prepared(Buffer.from(renderOpml(await summaries(), publicBase)), {
          contentType: 'text/x-opml; charset=utf-8',
          cacheControl: 'public, max-age=300',
          compress: 'lazy',
        }),
      SITE_VIEW_MAX_AGE_MS,
    );
    this.health = new SiteView(async () => {
      let body: string;
      try {
        body = renderHealth(await summaries());
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

  /** A feed with `limit` or `q`: held when asked before, else one store query and one render. */
  feed(source: SourceConfig, format: FeedFormat, query: FeedQuery): Prepared | Promise<Prepared> {
    const cache = query.q === undefined ? this.#variants : this.#searches;
    const key = `${source.id}\n${format}\n${query.limit}\n${query.q ?? ''}`;
    return cache.peek(key) ?? cache.get(key, source.id, () => this.feeds.renderQuery(source, format, query));
  }

  /** /widget/<id> with these options: held when asked before, else rendered once. */
  widget(source: SourceConfig, query: WidgetQuery): Prepared | Promise<Prepared> {
    const key = `${source.id}\nwidget\n${query.limit}\n${query.theme}\n${query.layout}\n${+query.summary}${+query.date}${+query.image}`;
    return (
      this.#variants.peek(key) ??
      this.#variants.get(key, source.id, async () => {
        const articles = await this.options.backend.listArticles(source.id, { limit: query.limit });
        this.options.metrics.renders.inc({ source: source.id, kind: 'widget' });
        const page = renderWidgetPage(articles, {
          ...query,
          title: feedTitle(source, articles[0]?.article),
          homeUrl: source.url,
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

  /** /feeds/<id>, the feed's page for people: held until the source's articles or status change. */
  feedPage(source: SourceConfig): Prepared | Promise<Prepared> {
    let held = this.#feedPages.get(source.id);
    if (held?.source !== source) {
      for (const id of this.#feedPages.keys()) if (!this.options.sources.has(id)) this.#feedPages.delete(id);
      held = { source, view: new SiteView(() => this.#renderFeedPage(source), SITE_VIEW_MAX_AGE_MS) };
      this.#feedPages.set(source.id, held);
    }
    return held.view.peek() ?? held.view.get();
  }

  async #renderFeedPage(source: SourceConfig): Promise<Prepared> {
    const { backend, metrics, publicBase } = this.options;
    const [articles, status] = await Promise.all([
      backend.listArticles(source.id, { limit: FEED_PAGE_ARTICLES }),
      backend.getStatus(source.id),
    ]);
    metrics.renders.inc({ source: source.id, kind: 'page' });
    return new Prepared(Buffer.from(renderFeedPage({ source, articles, status, publicBase })), {
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'no-cache',
      headers: FEED_PAGE_HEADERS,
      compress: 'lazy',
    });
  }

  /**
   * A source's articles changed (here, or announced by another instance): its default feeds are
   * rendered again and every other view of it is dropped, to be rendered on its next request.
   * Returns whether a default feed's bytes changed.
   */
  async sourceChanged(source: SourceConfig): Promise<boolean> {
    this.#variants.invalidate(source.id);
    this.#searches.invalidate(source.id);
    const changed = await this.feeds.rebuild(source);
    this.statusChanged();
    return changed;
  }

  /** A source's settings changed: every view of it is rendered again, even from the same data. */
  sourceReplaced(source: SourceConfig): Promise<boolean> {
    this.feeds.markStale(source.id);
    return this.sourceChanged(source);
  }

  /** A source left the config: none of its views is held or served any more (its history stays in the store). */
  sourceRemoved(sourceId: string): void {
    this.#variants.invalidate(sourceId);
    this.#searches.invalidate(sourceId);
    this.feeds.drop(sourceId);
    this.statusChanged();
  }

  /** A source's status changed (a refresh ran, a run was scheduled): the site's pages are rendered anew. */
  statusChanged(): void {
    this.index.invalidate();
    this.opml.invalidate();
    this.health.invalidate();
    for (const [id, { view }] of this.#feedPages) {
      if (this.options.sources.has(id)) view.invalidate();
      else this.#feedPages.delete(id);
    }
  }

  /** What the caches hold, for /metrics. */
  held(): { views: number; bytes: number } {
    return {
      views: this.#variants.count + this.#searches.count,
      bytes: this.#variants.bytes + this.#searches.bytes,
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
