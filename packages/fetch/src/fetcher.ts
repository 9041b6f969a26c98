import { Agent } from 'undici';
import { challengeFailure, findChallenge } from './challenge.js';
import { type Settings, settingsFrom } from './defaults.js';
import { abortedFailure, Failure, privateNetworkFailure } from './errors.js';
import { exchange, header, type Reply } from './exchange.js';
import { HostLimiter } from './host-limiter.js';
import { statusFailure } from './http-status.js';
import { nonPublicKind, publicOnlyLookup } from './private-network.js';
import { extraHeaders } from './request-headers.js';
import { backoffMs } from './retry.js';
import { ROBOTS_MAX_BYTES, RobotsPolicy } from './robots.js';
import type { FetcherOptions, FetchRequest, FetchResult } from './types.js';
import { isHttp, isRedirect, parseHttpUrl, redirectTarget } from './urls.js';
import { sleep } from './wait.js';

const ACCEPT = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8';
const ACCEPT_ENCODING = 'gzip, deflate, br';

/** How one fetch (a page, or a robots.txt) walks its redirect chain. */
interface Plan {
  headers: Record<string, string>;
  /** The caller's own headers: sent to the origin asked for only, never after a redirect off it. */
  extra: { origin: string; headers: Record<string, string> } | undefined;
  signal: AbortSignal | undefined;
  allowPrivateNetwork: boolean;
  maxBytes: number;
  checkRobots: boolean;
  /** A form to POST; dropped when a redirect turns the request into a GET. */
  form: string | undefined;
}

/**
 * A polite HTTP client for pages without feeds: one per process, shared by every fetch, so the
 * per-host limits, the robots.txt cache and the connection pools are shared too.
 */
export class Fetcher {
  readonly #settings: Settings;
  readonly #headers: Record<string, string>;
  readonly #limiter: HostLimiter;
  readonly #robots: RobotsPolicy;
  /** One pool that checks every address it connects to, one that does not; created when first needed. */
  readonly #agents: { publicOnly?: Agent; any?: Agent } = {};
  #closing: Promise<void> | undefined;

  constructor(options?: FetcherOptions) {
    this.#settings = settingsFrom(options);
    const { userAgent, perHostConcurrency, perHostDelayMs, now, logger } = this.#settings;
    this.#headers = { 'user-agent': userAgent, accept: ACCEPT, 'accept-encoding': ACCEPT_ENCODING };
    this.#limiter = new HostLimiter(perHostConcurrency, perHostDelayMs);
    this.#robots = new RobotsPolicy(userAgent, now, logger);
  }

  /**
   * GETs a page (or POSTs `request.form` to it), following redirects and retrying what is worth
   * retrying. Resolves with a 2xx or 304 result; anything else rejects with a FetchError.
   */
  async fetch(url: string, request: FetchRequest = {}): Promise<FetchResult> {
    const started = performance.now();
    const start = parseHttpUrl(url);
    const { signal } = request;
    const extra = extraHeaders(request.headers);
    const plan: Plan = {
      headers: { ...this.#headers, ...validators(request) },
      extra: Object.keys(extra).length > 0 ? { origin: start.origin, headers: extra } : undefined,
      signal,
      allowPrivateNetwork: request.allowPrivateNetwork ?? this.#settings.allowPrivateNetwork,
      maxBytes: this.#settings.maxBytes,
      checkRobots: this.#settings.robots,
      form: request.form,
    };
    for (let attempt = 1; ; attempt++) {
      let failure: Failure;
      try {
        const { url: final, reply } = await this.#follow(start, plan);
        return this.#result(final, reply, attempt, started);
      } catch (error) {
        failure = failureFrom(error, start, signal);
      }
      const waitMs = this.#retryDelay(failure, attempt);
      if (waitMs === undefined) throw failure.toFetchError(attempt, start);
      this.#settings.logger.info(
        {
          url: failure.details.url.href,
          attempt,
          waitMs,
          code: failure.code,
          status: failure.details.status,
        },
        'retrying',
      );
      try {
        await sleep(waitMs, signal);
      } catch (error) {
        throw abortedFailure(start, error).toFetchError(attempt, start);
      }
    }
  }

  /** Lets requests in flight finish, then closes the connections. The Fetcher cannot be used after. */
  close(): Promise<void> {
    this.#closing ??= Promise.all(Object.values(this.#agents).map((agent) => agent.close())).then(() => {});
    return this.#closing;
  }

  /** Follows redirects from `start`, each hop checked like a first request. Resolves with the final reply. */
  async #follow(start: URL, plan: Plan): Promise<{ url: URL; reply: Reply }> {
    const visited = new Set<string>();
    let url = start;
    let hop = plan;
    for (let redirects = 0; ; redirects++) {
      visited.add(url.href);
      const reply = await this.#send(url, hop);
      const location = isRedirect(reply.status) ? header(reply.headers, 'location') : undefined;
      if (location === undefined) return { url, reply };
      const next = redirectTarget(url, location);
      if (visited.has(next.href)) {
        throw new Failure(
          'too-many-redirects',
          `redirects in a loop (back to ${next.href})`,
          'the site is misconfigured or wants cookies we do not keep: open the URL in a browser to see',
          { url, status: reply.status },
        );
      }
      if (redirects >= this.#settings.maxRedirects) {
        throw new Failure(
          'too-many-redirects',
          `redirected more than ${this.#settings.maxRedirects} times`,
          'use the final URL directly, or raise maxRedirects',
          { url, status: reply.status },
        );
      }
      this.#settings.logger.debug({ url: url.href, location: next.href, status: reply.status }, 'redirect');
      url = next;
      if (reply.status !== 307 && reply.status !== 308) hop = { ...hop, form: undefined };
    }
  }

  /** One hop: the private-network and robots.txt checks, a per-host slot, then the request. */
  async #send(url: URL, plan: Plan): Promise<Reply> {
    this.#assertOpen(url);
    const target = this.#resolve(url);
    // A URL that resolveUrl maps elsewhere goes where the operator chose: only the others are checked.
    const publicOnly = !plan.allowPrivateNetwork && target.href === url.href;
    const literalKind = publicOnly ? nonPublicKind(target.hostname) : undefined;
    if (literalKind) throw privateNetworkFailure(url, `${target.hostname} is a ${literalKind} address`);
    if (plan.checkRobots) {
      await this.#robots.check(url, (robotsUrl) => this.#downloadRobots(robotsUrl, plan), plan.signal);
    }
    const release = await this.#limiter.acquire(url.host, plan.signal);
    try {
      this.#settings.logger.debug(
        target.href === url.href ? { url: url.href } : { url: url.href, target: target.href },
        plan.form === undefined ? 'GET' : 'POST',
      );
      return await exchange({
        url,
        target,
        headers:
          plan.extra?.origin === url.origin ? { ...plan.headers, ...plan.extra.headers } : plan.headers,
        dispatcher: this.#agent(url, publicOnly),
        timeoutMs: this.#settings.timeoutMs,
        connectTimeoutMs: this.#settings.connectTimeoutMs,
        maxBytes: plan.maxBytes,
        signal: plan.signal,
        form: plan.form,
      });
    } finally {
      release();
    }
  }

  async #downloadRobots(robotsUrl: URL, page: Plan): Promise<Reply> {
    const { reply } = await this.#follow(robotsUrl, {
      headers: this.#headers,
      extra: undefined,
      // Shared by every request waiting on this origin: no single caller may cancel it.
      signal: undefined,
      allowPrivateNetwork: page.allowPrivateNetwork,
      maxBytes: Math.min(ROBOTS_MAX_BYTES, page.maxBytes),
      checkRobots: false,
      form: undefined,
    });
    return reply;
  }

  #resolve(url: URL): URL {
    const { resolveUrl } = this.#settings;
    if (!resolveUrl) return url;
    let target: unknown;
    try {
      target = resolveUrl(new URL(url.href));
    } catch (error) {
      throw new Failure('bad-url', 'could not be resolved: resolveUrl threw', 'fix the resolveUrl option', {
        url,
        cause: error,
      });
    }
    if (!(target instanceof URL) || !isHttp(target)) {
      throw new Failure(
        'bad-url',
        `could not be resolved: resolveUrl returned ${String(target)}, not an http(s) URL object`,
        'fix the resolveUrl option',
        { url },
      );
    }
    return target;
  }

  #assertOpen(url: URL): void {
    if (this.#closing) {
      throw new Failure('aborted', 'was cancelled: the Fetcher is closed', 'create a new Fetcher', { url });
    }
  }

  #agent(url: URL, publicOnly: boolean): Agent {
    this.#assertOpen(url); // checked again after the waits: close() may have come meanwhile
    const { connectTimeoutMs, timeoutMs } = this.#settings;
    const create = (lookup?: typeof publicOnlyLookup) =>
      new Agent({
        connect: { timeout: connectTimeoutMs, ...(lookup ? { lookup } : {}) },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    if (publicOnly) {
      this.#agents.publicOnly ??= create(publicOnlyLookup);
      return this.#agents.publicOnly;
    }
    this.#agents.any ??= create();
    return this.#agents.any;
  }

  #result(url: URL, reply: Reply, attempts: number, started: number): FetchResult {
    const { status, headers } = reply;
    const challenge = findChallenge(status, reply.body);
    if (challenge) throw challengeFailure(url, status, challenge);
    if (status !== 304 && (status < 200 || status > 299)) {
      throw statusFailure(url, reply, this.#settings.now(), this.#settings.maxRetryAfterMs);
    }
    return {
      url: url.href,
      status,
      notModified: status === 304,
      body: reply.body,
      contentType: header(headers, 'content-type'),
      etag: header(headers, 'etag'),
      lastModified: header(headers, 'last-modified'),
      attempts,
      durationMs: Math.round(performance.now() - started),
    };
  }

  /** How long to wait before the next attempt, or undefined to give up. */
  #retryDelay(failure: Failure, attempt: number): number | undefined {
    const { retries, retryBaseMs, maxRetryAfterMs } = this.#settings;
    if (!failure.retryable || attempt > retries) return undefined;
    const asked = failure.details.retryAfterMs;
    if (asked === undefined) return backoffMs(attempt, retryBaseMs);
    return asked <= maxRetryAfterMs ? asked : undefined;
  }
}

function validators(request: FetchRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  if (request.etag) headers['if-none-match'] = request.etag;
  if (request.lastModified) headers['if-modified-since'] = request.lastModified;
  return headers;
}

/** Whatever went wrong as a Failure: the caller's abort wins over whatever it caused. */
function failureFrom(error: unknown, url: URL, signal: AbortSignal | undefined): Failure {
  if (error instanceof Failure && error.code === 'aborted') return error;
  if (signal?.aborted) return abortedFailure(url, error);
  if (error instanceof Failure) return error;
  throw error;
}
