import type { FetchLogger } from '@tidings/fetch';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type RendererSettings, settingsFrom } from './defaults.js';
import { RenderError } from './errors.js';
import { launchChromium } from './launch.js';
import { RENDERED_HTML } from './page-script.js';
import { routeThroughFetcher } from './route-requests.js';
import { Slots } from './slots.js';
import type { RenderedPage, RendererOptions, RenderRequest, RequestTally } from './types.js';

const silent: FetchLogger = { debug() {}, info() {}, warn() {} };

/**
 * Renders pages in one shared Chromium, started on the first render: one per process, closed on
 * shutdown. At most `maxPages` pages at once, each in its own browser context (no cookies or
 * storage shared between pages), each within `pageTimeoutMs`.
 */
export class BrowserRenderer {
  readonly #settings: RendererSettings;
  readonly #logger: FetchLogger;
  readonly #slots: Slots;
  #browser: Promise<Browser> | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: RendererOptions = {}) {
    this.#settings = settingsFrom(options);
    this.#logger = options.logger ?? silent;
    this.#slots = new Slots(this.#settings.maxPages);
  }

  /** Pages being rendered right now. */
  get pagesOpen(): number {
    return this.#slots.held;
  }

  /**
   * Fetches `url` with the request's fetcher, opens it in Chromium with every further request
   * answered by that fetcher, waits for the network to go quiet (or `waitFor` to match), and
   * returns the DOM as HTML.
   *
   * @throws {FetchError} the page itself could not be fetched (a bot check: `challenge`)
   * @throws {RenderError} no Chromium, it would not start, the page did not load in time, or the
   *   renderer was closed
   */
  async render(url: string, request: RenderRequest): Promise<RenderedPage> {
    const started = performance.now();
    const deadline = started + this.#settings.pageTimeoutMs;
    this.#assertOpen(url);
    const release = await this.#slots.acquire(request.signal).catch((reason: unknown) => {
      throw aborted(url, reason);
    });
    const done = new AbortController();
    const timer = setTimeout(() => done.abort(), this.#settings.pageTimeoutMs);
    const onCallerAbort = () => done.abort();
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    let context: BrowserContext | undefined;
    try {
      const document = await request.fetcher
        .fetch(url, {
          headers: request.headersFor?.(url),
          signal: done.signal,
          ...(request.allowPrivateNetwork !== undefined && {
            allowPrivateNetwork: request.allowPrivateNetwork,
          }),
        })
        .catch((error: unknown) => {
          throw done.signal.aborted ? this.#stopped(url, request, error) : error;
        });
      const browser = await this.#launch();
      this.#assertOpen(url);
      context = await browser.newContext({ serviceWorkers: 'block', acceptDownloads: false });
      const tally: RequestTally = { fetched: 1, skipped: 0, failed: [] };
      await context.routeWebSocket(/.*/, (socket) => socket.close({ code: 1008, reason: 'no WebSockets' }));
      await context.route(
        '**/*',
        routeThroughFetcher({
          fetcher: request.fetcher,
          allowPrivateNetwork: request.allowPrivateNetwork,
          headersFor: request.headersFor,
          document,
          signal: done.signal,
          tally,
          logger: this.#logger,
        }),
      );
      const page = await context.newPage();
      // The caller giving up, or the time limit, closes the page: every wait below ends at once.
      const closeOnAbort = () => void context?.close().catch(() => {});
      done.signal.addEventListener('abort', closeOnAbort, { once: true });
      await page
        .goto(document.url, { waitUntil: 'domcontentloaded', timeout: remaining(deadline) })
        .catch((error: unknown) => {
          throw this.#failure(url, request, done.signal, error);
        });
      // Stop waiting a little before the limit, so the DOM as it is then can still be taken.
      const reserve = Math.min(2_000, this.#settings.pageTimeoutMs / 10);
      const settled = await settle(page, request.waitFor, remaining(deadline - reserve));
      const html = await page.evaluate<string>(RENDERED_HTML).catch((error: unknown) => {
        throw this.#failure(url, request, done.signal, error);
      });
      return {
        url: document.url,
        html,
        contentType: 'text/html; charset=utf-8',
        settled,
        requests: tally,
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCallerAbort);
      done.abort(); // cancels the page's fetches still running
      await context?.close().catch(() => {});
      release();
    }
  }

  /** Closes Chromium; renders still running fail with RenderError('closed'). */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const browser = await this.#browser?.catch(() => undefined);
      await browser?.close();
    })();
    return this.#closing;
  }

  #launch(): Promise<Browser> {
    if (!this.#browser) {
      const launching = launchChromium(this.#settings.executablePath).then((browser) => {
        this.#logger.info(
          { executablePath: this.#settings.executablePath, version: browser.version() },
          'Chromium started',
        );
        // A crashed browser is started again by the next render.
        browser.on('disconnected', () => {
          if (this.#browser === launching) this.#browser = undefined;
        });
        return browser;
      });
      this.#browser = launching;
      // A failed start is tried again next time (Chromium may have been installed meanwhile).
      launching.catch(() => {
        if (this.#browser === launching) this.#browser = undefined;
      });
    }
    return this.#browser;
  }

  #assertOpen(url: string): void {
    if (this.#closing)
      throw new RenderError('closed', `Rendering ${url} was cancelled: the renderer is closed.`, { url });
  }

  /** Why the page stopped, when it was stopped: the caller, the time limit, or close(). */
  #stopped(url: string, request: RenderRequest, cause: unknown): RenderError {
    if (request.signal?.aborted) return aborted(url, cause);
    if (this.#closing)
      return new RenderError('closed', `Rendering ${url} was cancelled: the renderer is closed.`, {
        url,
        cause,
      });
    return new RenderError(
      'timeout',
      `Rendering ${url} took longer than ${this.#settings.pageTimeoutMs / 1000} s, the limit per page: ` +
        'the site is slow, or its scripts keep loading; try again later, or raise the page time limit.',
      { url, cause },
    );
  }

  #failure(url: string, request: RenderRequest, signal: AbortSignal, error: unknown): RenderError {
    if (signal.aborted || this.#closing) return this.#stopped(url, request, error);
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return new RenderError('render-failed', `Rendering ${url} failed in Chromium: ${reason}.`, {
      url,
      cause: error,
    });
  }
}

/**
 * Waits for the network to be quiet for 500 ms, or for `selector` to match, whichever comes first.
 * False when neither came within `timeoutMs` (or the page was closed meanwhile).
 */
async function settle(page: Page, selector: string | undefined, timeoutMs: number): Promise<boolean> {
  const waits: Promise<unknown>[] = [page.waitForLoadState('networkidle', { timeout: timeoutMs })];
  if (selector) waits.push(page.waitForSelector(selector, { state: 'attached', timeout: timeoutMs }));
  try {
    await Promise.any(waits);
    return true;
  } catch {
    return false;
  }
}

function remaining(deadline: number): number {
  return Math.max(1, Math.round(deadline - performance.now()));
}

function aborted(url: string, cause: unknown): RenderError {
  return new RenderError('aborted', `Rendering ${url} was cancelled by the caller.`, { url, cause });
}
