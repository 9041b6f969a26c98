import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FeedFormat } from '@tidings/feeds';
import type { FeedDefinition } from '../filter/feed-definition.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Backend } from '../store/backend.js';
import { loadConsoleAssets } from '../views/console-assets.js';
import type { Prepared } from '../views/prepared.js';
import type { Views } from '../views/views.js';
import { ARCHIVE_PATH, archiveView } from './archive-route.js';
import { HttpError, readFeedQuery, readWidgetQuery } from './query.js';
import { sendPrepared } from './send.js';

/** A feed's default view: the feed and format its exact path serves. */
export interface FeedRoute {
  feed: FeedDefinition;
  format: FeedFormat;
}

export interface RouterOptions {
  /** Every feed by id (a source's own and derived ones), for its page and widget. */
  feeds: ReadonlyMap<string, FeedDefinition>;
  /** Every feed's default view by its exact path (`/feeds/demo.rss`), kept current as sources change. */
  feedRoutes: ReadonlyMap<string, FeedRoute>;
  /** Answers every `/api/` path, with any method (the admin API). */
  admin?: Handler;
  views: Views;
  backend: Backend;
  metrics: Metrics;
  logger: Logger;
  publicBase: string;
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const WIDGET_PAGE = /^\/widget\/([^/]+)$/;
/** /feeds/<id> without an extension (ids have no dots), with or without a trailing slash: the feed's page. */
const FEED_PAGE = /^\/feeds\/([^/.]+)\/?$/;

/**
 * Every route, on node:http. Public GETs answer from views prepared in advance (see views/), so
 * a request costs a lookup and a write; a variant not yet held is rendered once and kept in a
 * bounded cache. Only /metrics renders per request: it counts requests, so it changes with each.
 */
export function createRouter(options: RouterOptions): Handler {
  const { views, metrics, publicBase } = options;
  // The default feed of every source and format, by its exact path: the hottest lookup.
  const feeds = options.feedRoutes;
  const fail = (response: ServerResponse, error: unknown, path: string) => {
    if (error instanceof HttpError) return sendError(response, error);
    options.logger.error({ err: error, path }, 'request failed');
    sendError(response, new HttpError(500, 'internal', 'Something went wrong on our side.'));
  };
  const serve = (
    request: IncomingMessage,
    response: ServerResponse,
    view: Prepared | Promise<Prepared>,
    counted?: FeedFormat,
  ) => {
    if (!(view instanceof Promise)) {
      const result = sendPrepared(request, response, view);
      if (counted) metrics.countFeedRequest(counted, result);
      return;
    }
    view.then(
      (ready) => {
        const result = sendPrepared(request, response, ready);
        if (counted) metrics.countFeedRequest(counted, result === 'hit' ? 'rendered' : result);
      },
      (error: unknown) => fail(response, error, request.url ?? ''),
    );
  };

  const feed = (request: IncomingMessage, response: ServerResponse, path: string, search: string) => {
    const route = feeds.get(path);
    if (!route) {
      throw new HttpError(404, 'unknown-feed', `No feed at ${path}. The feeds are listed at ${publicBase}/.`);
    }
    const query = search ? readFeedQuery(search) : undefined;
    const view = query
      ? views.feed(route.feed, route.format, query)
      : views.feeds.get(route.feed.id, route.format);
    if (!view)
      throw new HttpError(503, 'not-ready', 'This feed has not been rendered yet; try again shortly.');
    serve(request, response, view, route.format);
  };

  const widget = (request: IncomingMessage, response: ServerResponse, id: string, search: string) => {
    const feed = options.feeds.get(id);
    if (!feed) {
      throw new HttpError(404, 'unknown-feed', `No feed "${id}". The feeds are listed at ${publicBase}/.`);
    }
    serve(request, response, views.widget(feed, readWidgetQuery(search)));
  };

  const fixed: Record<string, Handler> = {
    '/': (request, response) => serve(request, response, views.index.peek() ?? views.index.get()),
    '/opml': (request, response) => serve(request, response, views.opml.peek() ?? views.opml.get()),
    '/healthz': (request, response) => {
      const unreachable = options.backend.unreachable();
      const view = unreachable
        ? views.degradedHealth(unreachable)
        : (views.health.peek() ?? views.health.get());
      serve(request, response, view);
    },
    '/feed.xsl': (request, response) => serve(request, response, views.stylesheet),
    '/widget.js': (request, response) => {
      if (!views.widgetScript) {
        throw new HttpError(
          503,
          'widget-not-built',
          'The widget script is not built: run `pnpm build` and restart.',
        );
      }
      serve(request, response, views.widgetScript);
    },
    '/metrics': (_request, response) => {
      metrics.registry.metrics().then(
        (text) => {
          response.writeHead(200, {
            'Content-Type': metrics.registry.contentType,
            'Cache-Control': 'no-store',
          });
          response.end(text);
        },
        (error: unknown) => fail(response, error, '/metrics'),
      );
    },
  };
  // The console's page, script and stylesheet, read once here.
  for (const [path, view] of loadConsoleAssets(options.logger)) {
    fixed[path] = (request, response) => serve(request, response, view);
  }

  return (request, response) => {
    const url = request.url ?? '/';
    const mark = url.indexOf('?');
    const path = mark < 0 ? url : url.slice(0, mark);
    const search = mark < 0 ? '' : url.slice(mark + 1);
    try {
      if (options.admin && path.startsWith('/api/')) return options.admin(request, response);
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.setHeader('Allow', 'GET, HEAD');
        throw new HttpError(405, 'method-not-allowed', `${request.method} is not allowed here; use GET.`);
      }
      if (path.startsWith('/feeds/')) {
        // The hottest lookup first: a feed by its exact path, before any pattern is tried.
        if (feeds.has(path)) return feed(request, response, path, search);
        const page = FEED_PAGE.exec(path);
        const shown = page ? options.feeds.get(page[1] as string) : undefined;
        if (shown) return serve(request, response, views.feedPage(shown));
        const archive = ARCHIVE_PATH.exec(path);
        if (archive) {
          const view = archiveView(views, options.feeds, publicBase, archive);
          return serve(request, response, view, archive[3] as FeedFormat);
        }
        return feed(request, response, path, search);
      }
      const handler = Object.hasOwn(fixed, path) ? fixed[path] : undefined;
      if (handler) return handler(request, response);
      const page = WIDGET_PAGE.exec(path);
      if (page) return widget(request, response, page[1] as string, search);
      throw new HttpError(404, 'not-found', `Nothing at ${path}.`);
    } catch (error) {
      fail(response, error, path);
    }
  };
}

/** Errors answer in JSON and reveal no stack or path. */
function sendError(response: ServerResponse, error: HttpError): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = JSON.stringify({ error: error.code, message: error.message });
  response.writeHead(error.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(body);
}
