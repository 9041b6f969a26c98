/** A pino-compatible logger; any of `pino()`, `console`-like adapters or a test spy fits. */
export interface FetchLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface FetcherOptions {
  /** Sent on every request and matched against robots.txt groups by its product token (`TidingsBot`). */
  userAgent?: string;
  /** How long to wait for the TCP (and TLS) connection. Default 10 s. */
  connectTimeoutMs?: number;
  /** The whole of one attempt, headers and body included. Default 30 s. */
  timeoutMs?: number;
  /** Body cap in bytes after decompression, checked against Content-Length and while streaming. Default 10 MiB. */
  maxBytes?: number;
  /** Redirect hops to follow; each hop is checked like the first request. Default 5. */
  maxRedirects?: number;
  /** Extra attempts after network errors, timeouts, 5xx and 429. Never after other 4xx. Default 2. */
  retries?: number;
  /** Backoff base: attempt n waits a random time in [0, base·2ⁿ⁻¹). Default 500 ms. */
  retryBaseMs?: number;
  /** The longest Retry-After to wait for; a longer one fails at once, carrying `retryAfterMs`. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Requests in flight to one host at a time. Default 2. */
  perHostConcurrency?: number;
  /** Minimum gap between request starts to one host. Default 1 s. */
  perHostDelayMs?: number;
  /** Obey robots.txt (fetched once per origin, cached for an hour). Default true. */
  robots?: boolean;
  /**
   * Allow targets on loopback, private, link-local, CGNAT or unique-local addresses. Default false:
   * the addresses actually connected to are checked, so DNS rebinding cannot get around it.
   */
  allowPrivateNetwork?: boolean;
  /**
   * Where a URL is really fetched, e.g. a saved copy of a site served on loopback. Results and errors
   * still report the original URL. A URL this maps elsewhere is trusted: the private-network check
   * applies only to URLs it leaves unchanged.
   */
  resolveUrl?: (url: URL) => URL;
  logger?: FetchLogger;
  /** Wall clock for the robots.txt cache and Retry-After dates. Default `Date.now`. */
  now?: () => number;
}

export interface FetchRequest {
  /** The ETag of the copy you have: sent as If-None-Match. */
  etag?: string;
  /** The Last-Modified of the copy you have: sent as If-Modified-Since. */
  lastModified?: string;
  signal?: AbortSignal;
  /** Overrides `FetcherOptions.allowPrivateNetwork` for this request. */
  allowPrivateNetwork?: boolean;
  /**
   * POST this form (URL-encoded: `col=1&webid=1`) as `application/x-www-form-urlencoded` instead
   * of a GET, for lists a page's script asks for that way (Hanweb's `dataproxy.jsp`). A 301, 302
   * or 303 answer is followed with a GET, as browsers do; 307 and 308 POST the form again.
   */
  form?: string;
  /**
   * Extra request headers (a `Referer`, a `Cookie`), sent to the URL's origin and on redirects that
   * stay on it; never to another origin, never with robots.txt, never logged. The fetcher's own
   * (`User-Agent`, `Accept-Encoding`, the validators, framing) cannot be replaced.
   */
  headers?: Readonly<Record<string, string>>;
}

export interface FetchResult {
  /** The final URL after redirects, in the original URL space (never the `resolveUrl` target). */
  url: string;
  /** A 2xx status, or 304. */
  status: number;
  /** True for 304: the copy you have is current and `body` is empty. */
  notModified: boolean;
  /** Raw bytes, charset undecoded; any Content-Encoding (gzip, deflate, br) already removed. */
  body: Uint8Array;
  contentType?: string;
  etag?: string;
  lastModified?: string;
  /** How many times the request was sent (1 when no retry was needed). */
  attempts: number;
  /** From the call to the result, waits for politeness and retries included. */
  durationMs: number;
}
