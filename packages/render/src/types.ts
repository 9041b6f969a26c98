import type { Fetcher, FetchLogger } from '@tidings/fetch';

/** What the renderer needs of a fetcher: a `@tidings/fetch` Fetcher, or a wrapper around one. */
export type PageFetcher = Pick<Fetcher, 'fetch'>;

export interface RendererOptions {
  /** Chromium's executable. Default: `TIDINGS_CHROMIUM` from the environment, else `/usr/bin/chromium`. */
  executablePath?: string;
  /** Pages rendered at once; more wait for a turn. Default 2. */
  maxPages?: number;
  /** The most one page may take, from its first byte fetched to its HTML. Default 30 s. */
  pageTimeoutMs?: number;
  /** debug per request refused or failed, info when Chromium starts. */
  logger?: FetchLogger;
}

export interface RenderRequest {
  /** Fetches the page and every request it makes: its robots.txt, private-network, pacing and size rules apply. */
  fetcher: PageFetcher;
  /** Passed on to each fetch. */
  allowPrivateNetwork?: boolean;
  /**
   * Extra headers for one request URL (a source's cookies, for its own site only), asked for the
   * page and for each request it makes. Never logged.
   */
  headersFor?: (url: string) => Readonly<Record<string, string>> | undefined;
  /** A CSS selector: done as soon as it matches (the list is there), without waiting for the network to go quiet. */
  waitFor?: string;
  signal?: AbortSignal;
}

/** Requests the page made, and what became of them. */
export interface RequestTally {
  /** Answered through the fetcher (a 4xx or 5xx included: the page's script sees it). */
  fetched: number;
  /** Never sent: images, fonts, media, and anything but a GET or a POSTed form. */
  skipped: number;
  /** Refused or failed in the fetcher (robots.txt, private network, size cap, network): at most 20 listed. */
  failed: { url: string; code: string }[];
}

export interface RenderedPage {
  /** The page's URL after redirects. */
  url: string;
  /**
   * The DOM as the page's scripts left it, serialized, with executable scripts and `<noscript>`
   * removed (they have run; what they built is in the DOM).
   */
  html: string;
  /** The charset of `html` once encoded as UTF-8: what a parser should be told. */
  contentType: 'text/html; charset=utf-8';
  /**
   * False when the time limit came before the network went quiet (or `waitFor` matched): `html`
   * is the DOM at that moment.
   */
  settled: boolean;
  requests: RequestTally;
  durationMs: number;
}
