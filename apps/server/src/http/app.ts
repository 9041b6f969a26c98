import { type FeedFormat, feedStylesheet } from '@tidings/feeds';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { SourceConfig } from '../config/types.js';
import { feedTitle } from '../feeds/channel.js';
import { DEFAULT_LIMIT, type FeedCache, MAX_LIMIT, type RenderedFeed } from '../feeds/feed-cache.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Backend } from '../store/backend.js';
import type { ListOptions } from '../store/types.js';
import type { FeedHeaders } from './feed-headers.js';
import { HTML_SECURITY_HEADERS } from './html.js';
import { renderIndexPage, summarize } from './index-page.js';
import { renderOpml } from './opml.js';
import { sendFeed } from './send-feed.js';
import { renderWidgetPage, type WidgetPageOptions } from './widget-page.js';

export interface AppOptions {
  sources: ReadonlyMap<string, SourceConfig>;
  backend: Backend;
  cache: FeedCache;
  metrics: Metrics;
  logger: Logger;
  publicBase: string;
  headers: FeedHeaders;
  /** The embed script (`@tidings/widget`'s dist/widget.js), when built. */
  widgetScript?: RenderedFeed | undefined;
}

const MAX_QUERY_LENGTH = 200;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Everything but cached feed hits (those never reach Express; see fast-path.ts). */
export function createApp(options: AppOptions): Express {
  const { sources, backend, cache, metrics, publicBase } = options;
  const summaries = () => summarize([...sources.values()], backend);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.get('/', async (_request, response) => {
    const page = renderIndexPage(await summaries(), publicBase);
    response.set(HTML_SECURITY_HEADERS).type('html').send(page);
  });

  app.get('/feeds/:file', async (request, response) => {
    const match = /^([a-z0-9][a-z0-9-]{0,63})\.(rss|atom|json)$/.exec(request.params.file ?? '');
    const source = match ? sources.get(match[1] as string) : undefined;
    if (!match || !source) {
      throw new HttpError(
        404,
        'unknown-feed',
        `No feed at ${request.path}. The feeds are listed at ${publicBase}/.`,
      );
    }
    const format = match[2] as FeedFormat;
    const query = readQuery(request);
    const feed =
      query.limit === DEFAULT_LIMIT && query.q === undefined
        ? cache.get(source.id, format)
        : await cache.renderQuery(source, format, query);
    if (!feed)
      throw new HttpError(503, 'not-ready', 'This feed has not been rendered yet; try again shortly.');
    const answer = sendFeed(request, response, feed, options.headers(source, format));
    metrics.countFeedRequest(format, answer === 'hit' && feed.gzip.length === 0 ? 'rendered' : answer);
  });

  app.get('/widget.js', (request, response) => {
    if (!options.widgetScript) {
      throw new HttpError(
        503,
        'widget-not-built',
        'The widget script is not built: run `pnpm build` and restart.',
      );
    }
    sendFeed(request, response, options.widgetScript, WIDGET_SCRIPT_HEADERS);
  });

  app.get('/widget/:id', async (request, response) => {
    const source = sources.get(request.params.id ?? '');
    if (!source)
      throw new HttpError(
        404,
        'unknown-feed',
        `No feed "${request.params.id}". The feeds are listed at ${publicBase}/.`,
      );
    const query = readWidgetQuery(request);
    const articles = await backend.listArticles(source.id, { limit: query.limit });
    response
      .set(WIDGET_PAGE_HEADERS)
      .type('html')
      .send(
        renderWidgetPage(articles, {
          ...query,
          title: feedTitle(source, articles[0]?.article),
          homeUrl: source.url,
        }),
      );
  });

  app.get('/feed.xsl', (_request, response) => {
    response.type('text/xsl').set('Cache-Control', 'public, max-age=86400').send(feedStylesheet);
  });

  app.get('/opml', async (_request, response) => {
    response.type('text/x-opml; charset=utf-8').send(renderOpml(await summaries(), publicBase));
  });

  app.get('/healthz', async (_request, response) => {
    let found: Awaited<ReturnType<typeof summaries>>;
    try {
      found = await summaries();
    } catch (error) {
      // The store is unreachable (Redis down), but cached feeds are still served from memory: this
      // instance stays in the load balancer's rotation and says what is wrong.
      options.logger.warn({ err: String(error) }, 'healthz: the store is unreachable');
      response.set('Cache-Control', 'no-store').json({
        status: 'degraded',
        store: `unreachable: ${error instanceof Error ? error.message : String(error)}`,
        feeds: [...sources.values()].map((source) => ({ id: source.id, enabled: source.enabled })),
      });
      return;
    }
    const feeds = found.map(({ source, status }) => {
      return {
        id: source.id,
        enabled: source.enabled,
        articles: status.articleCount,
        lastSuccessAt: status.lastSuccessAt ?? null,
        lastError: status.lastError ?? null,
        consecutiveFailures: status.consecutiveFailures,
        nextRunAt: status.nextRunAt ?? null,
      };
    });
    response.set('Cache-Control', 'no-store').json({ status: 'ok', feeds });
  });

  app.get('/metrics', async (_request, response) => {
    response.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.use((request: Request) => {
    throw new HttpError(404, 'not-found', `Nothing at ${request.path}.`);
  });

  // Errors answer in JSON and reveal no stack or path; unexpected ones are logged in full.
  app.use((error: unknown, request: Request, response: Response, _next: NextFunction) => {
    if (error instanceof HttpError) {
      response.status(error.status).json({ error: error.code, message: error.message });
      return;
    }
    options.logger.error({ err: error, path: request.path }, 'request failed');
    response.status(500).json({ error: 'internal', message: 'Something went wrong on our side.' });
  });

  return app;
}

const WIDGET_SCRIPT_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

// The iframe page is meant to be framed by any site: its CSP allows that and nothing else.
const WIDGET_PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src http: https:; base-uri 'none'; form-action 'none'; frame-ancestors *",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'public, max-age=300',
};

function flag(value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return value === '1' || value === 'true' || value === '';
}

function readWidgetQuery(request: Request) {
  const { limit, theme, layout, summary, date, image } = request.query;
  const count = limit === undefined ? 10 : Number(limit);
  if (!Number.isInteger(count) || count < 1)
    throw new HttpError(400, 'bad-limit', 'limit must be a whole number ≥ 1.');
  return {
    limit: Math.min(count, 100),
    theme: (theme === 'light' || theme === 'dark' ? theme : 'auto') as WidgetPageOptions['theme'],
    layout: layout === 'cards' ? ('cards' as const) : ('list' as const),
    summary: flag(summary, false),
    date: flag(date, true),
    image: flag(image, false),
  };
}

function readQuery(request: Request): Required<Pick<ListOptions, 'limit'>> & ListOptions {
  const { limit, q } = request.query;
  if (Array.isArray(limit) || Array.isArray(q) || typeof limit === 'object' || typeof q === 'object') {
    throw new HttpError(400, 'bad-query', 'Give limit and q at most once each.');
  }
  let count = DEFAULT_LIMIT;
  if (limit !== undefined) {
    count = Number(limit);
    if (!Number.isInteger(count) || count < 1)
      throw new HttpError(400, 'bad-limit', 'limit must be a whole number ≥ 1.');
    count = Math.min(count, MAX_LIMIT);
  }
  if (q !== undefined && q.length > MAX_QUERY_LENGTH) {
    throw new HttpError(400, 'bad-q', `q may be at most ${MAX_QUERY_LENGTH} characters.`);
  }
  const keyword = q?.trim();
  return { limit: count, ...(keyword ? { q: keyword } : {}) };
}
