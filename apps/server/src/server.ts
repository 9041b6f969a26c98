import { readFileSync, statSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { FetchError, Fetcher } from '@tidings/fetch';
import { BrowserRenderer } from '@tidings/render';
import { createAdminHandler } from './admin/handler.js';
import { preview } from './admin/preview.js';
import { DEFAULT_LIMITS, DEFAULT_RATE_LIMIT, type ServerConfig, type SourceConfig } from './config/types.js';
import { createDelivery } from './delivery/setup.js';
import { RateLimiter } from './http/rate-limit.js';
import { createRouter } from './http/router.js';
import { createLogger, type Logger } from './logger.js';
import { Metrics } from './metrics.js';
import type { RefreshOutcome } from './refresh/refresh-source.js';
import { runRefresh } from './refresh/run-refresh.js';
import { Scheduler } from './refresh/scheduler.js';
import { redactingLogger } from './refresh/source-requests.js';
import { LiveConfig, type ReloadResult } from './runtime/live-config.js';
import { Snapshots } from './runtime/snapshots.js';
import { LiveSources } from './runtime/sources.js';
import { watchFile } from './runtime/watch-file.js';
import type { Backend } from './store/backend.js';
import { openSqliteBackend } from './store/sqlite-backend.js';
import { Prepared } from './views/prepared.js';
import { Views } from './views/views.js';

/** No route needs more: a feed path and `limit`/`q` fit in a fraction of it. */
const MAX_URL_LENGTH = 2048;

export interface StartOptions {
  logger?: Logger;
  /** Refresh on a schedule (default). Tests turn it off and call `refresh()` to walk through time. */
  schedule?: boolean;
  /** Interface to listen on; default all. */
  host?: string;
  /** Options for the fetcher of live sources (tests shorten timeouts and delays). */
  fetcher?: ConstructorParameters<typeof Fetcher>[0];
  /** Read on reloads (TIDINGS_ADMIN_TOKEN, `${TIDINGS_…}` references); default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Reload when the config file changes on disk (default true, when the config came from a file). */
  watchConfig?: boolean;
}

export interface TidingsServer {
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  port: number;
  /** Where history lives: SQLite (one instance) or Redis (shared by several). */
  backend: Backend;
  /** Runs one source's refresh now and renders its feeds if anything changed. */
  refresh(sourceId: string): Promise<RefreshOutcome>;
  /**
   * Reads the config file again and applies the sources that changed (added, changed, removed);
   * a file that fails validation keeps the running config (and says why). SIGHUP calls this.
   */
  reload(reason?: string): Promise<ReloadResult>;
  /** Stops schedules, lets running refreshes finish their writes, closes sockets and the database. */
  close(): Promise<void>;
}

/** Brings up the whole server: store, snapshots, fetcher, feeds rendered from history, HTTP, schedules. */
export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<TidingsServer> {
  const logger = options.logger ?? createLogger();
  const metrics = new Metrics();
  const backend = await openBackend(config, logger);
  const lockTtlMs = config.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
  const live = new LiveSources(config.sources, config.feeds);
  const sources = live.byId;
  const snapshots = new Snapshots();
  let http: Server | undefined;
  let stopWatching = () => {};
  try {
    for (const source of config.sources) await snapshots.open(source);
    const { origins } = snapshots;
    const limits = config.limits ?? DEFAULT_LIMITS;
    // What fetches log (URLs, redirects) never shows a source's header or cookie values (those
    // of the sources configured now: a change tells it).
    let redacting = redactingLogger(logger, config.sources);
    const fetchLogger: typeof redacting = {
      debug: (obj, msg) => redacting.debug(obj, msg),
      info: (obj, msg) => redacting.info(obj, msg),
      warn: (obj, msg) => redacting.warn(obj, msg),
    };
    const fetcher = new Fetcher({
      maxBytes: limits.pageBytes,
      timeoutMs: limits.fetchTimeoutMs,
      maxRedirects: limits.redirects,
      ...options.fetcher,
      logger: fetchLogger,
    });
    // Previews (the admin API) fetch like refreshes, robots.txt and the private-network refusal
    // included, but a person waits on them: two pages, no pause between them, no retries.
    const previewFetcher = new Fetcher({
      maxBytes: limits.pageBytes,
      timeoutMs: limits.fetchTimeoutMs,
      maxRedirects: limits.redirects,
      ...options.fetcher,
      perHostDelayMs: 0,
      retries: 0,
      logger: fetchLogger,
    });
    // Snapshot sources are read from loopback at their site's URLs: no robots.txt, no pauses.
    const snapshotFetcher = new Fetcher({
      robots: false,
      perHostDelayMs: 0,
      perHostConcurrency: 8,
      retries: 0,
      resolveUrl: (url: URL) => {
        const origin = origins.get(url.origin);
        return origin ? new URL(url.pathname + url.search, origin) : url;
      },
      logger: fetchLogger,
    });
    // A snapshot source never reaches past its copy: a link to any other site fails instead of going online.
    const offline: Pick<Fetcher, 'fetch'> = {
      fetch: (url, request) => {
        if (!origins.has(new URL(url).origin)) {
          return Promise.reject(
            new FetchError('bad-url', `${url} is not in the snapshot; snapshot sources stay offline.`, {
              url,
              attempts: 0,
            }),
          );
        }
        return snapshotFetcher.fetch(url, request);
      },
    };
    const fetcherFor = (source: SourceConfig) => (source.snapshot ? offline : fetcher);
    // One browser for every `render: browser` source; Chromium starts on the first render, never otherwise.
    const renderer = new BrowserRenderer({ logger: fetchLogger });

    const port = config.port;
    const host = options.host;
    const listenHost = host ?? 'localhost';
    const publicBase =
      config.publicUrl ??
      `http://${listenHost === '0.0.0.0' || listenHost === '::' ? 'localhost' : listenHost}:${port}`;
    if (backend.kind !== 'sqlite' && !config.publicUrl) {
      logger.warn(
        { publicBase },
        'no publicUrl: self links name this instance, so instances serve different bytes and ETags; set publicUrl to the address clients use',
      );
    }
    const views = new Views({
      sources,
      feeds: live.feeds,
      backend,
      metrics,
      publicBase,
      hub: config.hub,
      widgetScript: loadWidgetScript(logger),
      deliveries: () => delivery.health(),
    });
    metrics.observeViews(() => views.held());
    // Pushes (notify:): queued by refreshes with their articles, sent by the worker (started after listen).
    const delivery = createDelivery({
      backend,
      feeds: live.feeds,
      settings: config.delivery,
      logger,
      metrics,
      publicBase,
      hub: config.hub,
      onAttempt: () => views.health.invalidate(),
    });
    metrics.observeOutbox(() => delivery.pending());
    for (const source of config.sources) {
      for (const feed of views.feedsOf(source.id)) await views.feeds.rebuild(feed);
      metrics.articles.set({ source: source.id }, await backend.countArticles(source.id));
    }
    // Another instance refreshed a source: render from the shared data (cheap when it is what we hold).
    backend.onChange((sourceId) => {
      const source = sources.get(sourceId);
      if (!source) return;
      views.sourceChanged(source).catch((error: unknown) => {
        logger.warn({ source: sourceId, err: String(error) }, 'could not render the feeds after a change');
      });
    });

    const refreshDeps = {
      backend,
      views,
      fetcherFor,
      renderer,
      logger,
      metrics,
      limits,
      lockTtlMs,
      publicBase,
      hub: config.hub,
      delivery,
    };
    const scheduler = new Scheduler(
      config.sources,
      (source, trigger) => runRefresh(source, trigger, refreshDeps),
      logger,
      {
        onScheduled: (source, at) => {
          backend.updateStatus(source.id, { nextRunAt: at.toISOString() }).then(
            () => views.statusChanged(),
            () => {},
          );
        },
      },
    );

    live.connect({
      scheduler,
      views,
      snapshots,
      backend,
      metrics,
      logger,
      onChange: (now) => {
        redacting = redactingLogger(logger, now);
      },
    });
    const env = options.env ?? process.env;
    const liveConfig = config.file
      ? new LiveConfig({ file: config.file, env, sources: live, logger })
      : undefined;
    const admin = createAdminHandler({
      token: () => liveConfig?.adminToken(),
      offReason: () =>
        liveConfig
          ? 'The admin API is off: set TIDINGS_ADMIN_TOKEN (or admin.token in the config file) and reload.'
          : 'The admin API is off: it needs the server to run from a config file.',
      logger,
      trustProxy: config.rateLimit ? (config.rateLimit.trustProxy ?? false) : false,
      ...(liveConfig && {
        api: {
          config: liveConfig,
          sources: live,
          backend,
          env,
          baseDir: dirname(liveConfig.file),
          preview: (source, written) =>
            preview(source, written, { fetcher: previewFetcher, renderer, logger }),
        },
      }),
    });
    const router = createRouter({
      feeds: live.feeds,
      feedRoutes: live.feedRoutes,
      admin,
      views,
      backend,
      metrics,
      logger,
      publicBase,
    });
    const rateLimit = config.rateLimit === undefined ? DEFAULT_RATE_LIMIT : config.rateLimit;
    const limiter = rateLimit ? new RateLimiter(rateLimit) : undefined;
    http = createHttpServer((request, response) => {
      if ((request.url?.length ?? 0) > MAX_URL_LENGTH) {
        response.writeHead(414, { 'Content-Type': 'application/json; charset=utf-8' });
        response.end(
          JSON.stringify({
            error: 'uri-too-long',
            message: `Request URLs may be at most ${MAX_URL_LENGTH} characters.`,
          }),
        );
        return;
      }
      if (limiter && !limiter.admit(request, response)) {
        metrics.rateLimited.inc();
        return;
      }
      router(request, response);
    });
    http.keepAliveTimeout = 65_000;
    await listen(http, port, host);
    const address = http.address() as AddressInfo;
    const url = `http://${host && host !== '0.0.0.0' && host !== '::' ? host : 'localhost'}:${address.port}`;
    logger.info(
      { url, sources: config.sources.map((source) => `${source.id}${source.enabled ? '' : ' (off)'}`) },
      'listening',
    );
    delivery.worker.start();
    if (options.schedule !== false) scheduler.start();
    if (liveConfig && options.watchConfig !== false) {
      stopWatching = watchFile(liveConfig.file, () => void liveConfig.reload('file changed'), logger);
    }
    const noFile: ReloadResult = { ok: false, error: 'The server was started without a config file.' };

    const server = http;
    let closing: Promise<void> | undefined;
    return {
      url,
      port: address.port,
      backend,
      refresh: (sourceId) => live.refresh(sourceId),
      reload: (reason = 'asked') => (liveConfig ? liveConfig.reload(reason) : Promise.resolve(noFile)),
      close: () => {
        closing ??= (async () => {
          stopWatching();
          await scheduler.stop();
          // Attempts under way finish (bounded by delivery.timeout) and are recorded before the store closes.
          await delivery.worker.stop();
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          });
          await renderer.close();
          await Promise.all([fetcher.close(), previewFetcher.close(), snapshotFetcher.close()]);
          await snapshots.closeAll();
          await backend.close();
          logger.info('stopped');
        })();
        return closing;
      },
    };
  } catch (error) {
    stopWatching();
    http?.close();
    await snapshots.closeAll();
    await backend.close();
    throw error;
  }
}

/** The built embed script of @tidings/widget, or undefined (with a warning) when it is not built. */
function loadWidgetScript(logger: Logger): Prepared | undefined {
  try {
    const file = createRequire(import.meta.url).resolve('@tidings/widget/widget.js');
    return new Prepared(readFileSync(file), {
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: 'public, max-age=3600',
      lastModified: statSync(file).mtime.toUTCString(),
      headers: { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' },
      compress: 'eager',
    });
  } catch {
    logger.warn('the widget script is not built (pnpm build); /widget.js answers 503');
    return undefined;
  }
}

/** A refresh lease lives this long unless renewed: how soon another instance takes over from a dead one. */
export const DEFAULT_LOCK_TTL_MS = 30_000;

/** `store: redis://…` (or TIDINGS_REDIS_URL) shares history between instances; anything else is a SQLite file. */
async function openBackend(config: ServerConfig, logger: Logger): Promise<Backend> {
  const store = config.store ?? '';
  if (/^rediss?:\/\//.test(store)) {
    // Loaded only when asked for: the Redis client costs an embedded server memory it never uses.
    const { openRedisBackend } = await import('./store/redis/index.js');
    const backend = await openRedisBackend(store, { logger });
    logger.info({ store: redactUrl(store) }, 'sharing history through Redis');
    return backend;
  }
  if (/^postgres(ql)?:\/\//.test(store)) {
    // Loaded only when asked for, like the Redis client.
    const { openPostgresBackend } = await import('./store/postgres/index.js');
    const backend = await openPostgresBackend(store, { logger });
    logger.info({ store: redactUrl(store) }, 'keeping history in PostgreSQL');
    return backend;
  }
  return openSqliteBackend(store ? store.replace(/^sqlite:/, '') : join(config.dataDir, 'tidings.db'));
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new Error(`Port ${port} is already in use. Stop the other program or set PORT to a free port.`),
        );
      } else if (error.code === 'EACCES') {
        reject(new Error(`Not allowed to listen on port ${port}. Use a port above 1023 (set PORT).`));
      } else {
        reject(error);
      }
    });
    server.listen(port, host, () => resolve());
  });
}
