import type { SiteProfile } from '@tidings/parser';
import type { FeedLanguage } from '../filter/chinese-script.js';
import type { FeedFilter } from '../filter/feed-filter.js';

/** One source as configured (after validation and defaults). */
export interface SourceConfig {
  /** URL-safe id: the feed lives at /feeds/<id>.rss. */
  id: string;
  /** The listing page (first page) of the section. */
  url: string;
  enabled: boolean;
  /**
   * A registered profile's id (`auto` finds the list by detection), or a profile written in the
   * config (compiled, with the source's id), or undefined to pick by URL, `<meta>` or CMS marks.
   */
  profile?: string | SiteProfile;
  /** How many listing pages to follow each refresh. */
  pages: number;
  /** Milliseconds between refreshes. */
  refreshMs: number;
  /** Fetch article pages for full text. */
  fullText: boolean;
  retention: { maxArticles?: number; maxAgeMs?: number };
  /**
   * How many newest articles the feed holds; every older one is in one monthly archive document
   * (RFC 5005). The config always sets it; undefined (a source built in code) means DEFAULT_FEED_SIZE.
   */
  feedSize?: number;
  allowPrivateNetwork: boolean;
  /**
   * A directory holding a saved copy of the site (paths as on the site). When set, the source is
   * served from it, on loopback, at the site's own URLs: the offline demo.
   */
  snapshot?: string;
  /** Optional display title; default from the page (`section – publisher`). */
  title?: string;
  /**
   * `browser`: listing pages are rendered in Chromium (their list is built by script), every
   * request the page makes going through the fetcher. Default: the served HTML is read.
   */
  render?: 'browser';
  /**
   * Sent with every request to the source's site (its host and subdomains): listing, article and
   * rendered-page requests. `${TIDINGS_…}` references are already filled in. Never logged.
   */
  headers?: Record<string, string>;
  /** Sent as one Cookie header, like `headers`. */
  cookies?: Record<string, string>;
  /** Where new articles are pushed (webhooks, email), through the outbox; default none. */
  notify?: NotifyConfig[];
}

/**
 * A feed made from a source's articles (the config's `feeds:`): those its filter keeps, optionally
 * in Traditional Chinese, at /feeds/<id>.rss|.atom|.json with a page and widget of its own.
 */
export interface DerivedFeedConfig {
  /** Unique across sources and feeds: it names the URLs. */
  id: string;
  /** The id of the configured source it reads. */
  source: string;
  /** Words folded (see `filterWords`). */
  filter: FeedFilter;
  lang?: FeedLanguage;
  /** Default: the source's title and the include words. */
  title?: string;
  description?: string;
  /** Where its new articles are pushed: only those its filter keeps. Default none. */
  notify?: NotifyConfig[];
}

/** Bounds on what one refresh may read; each is logged when hit. */
export interface Limits {
  /** Largest page body accepted, in bytes. */
  pageBytes: number;
  /** Longest one fetch may take (connect, headers and body), in ms. */
  fetchTimeoutMs: number;
  /** Redirect hops followed per fetch. */
  redirects: number;
  /** Listing items read per page; the rest are ignored (and logged). */
  articlesPerPage: number;
  /** Article pages fetched per source and run; the rest wait for the next run. */
  articlePagesPerRun: number;
  /** Characters of text kept per article; a longer body is cut at a paragraph and marked. */
  articleTextChars: number;
}

/** Requests per client (by address): a token bucket refilled at perMinute, holding burst. */
export interface RateLimit {
  perMinute: number;
  burst: number;
  /**
   * Behind a reverse proxy every request comes from the proxy's address: set this to count each
   * client by the address the proxy puts in X-Forwarded-For (the last one it added) instead.
   * Only when the proxy is the server's only way in, or clients could forge the header.
   */
  trustProxy?: boolean;
}

export const DEFAULT_LIMITS: Limits = {
  pageBytes: 10 * 1024 * 1024,
  fetchTimeoutMs: 30_000,
  redirects: 5,
  articlesPerPage: 1000,
  articlePagesPerRun: 200,
  articleTextChars: 200_000,
};

export const DEFAULT_RATE_LIMIT: RateLimit = { perMinute: 600, burst: 120 };

/** Articles a source's feed holds unless its `feedSize` says otherwise. */
export const DEFAULT_FEED_SIZE = 50;
/** As many as a `?limit=` may ask for. */
export const MAX_FEED_SIZE = 500;

export function feedSizeOf(source: SourceConfig): number {
  return source.feedSize ?? DEFAULT_FEED_SIZE;
}

export interface ServerConfig {
  sources: SourceConfig[];
  /** Derived feeds (default none). */
  feeds?: DerivedFeedConfig[];
  /** Public base URL (for self links behind a proxy), e.g. https://feeds.example.org. */
  publicUrl?: string;
  /**
   * Where history lives: `sqlite:<path>` or a path (default `<dataDir>/tidings.db`), or, to share
   * it between instances, `postgres://…` (also from TIDINGS_DATABASE_URL) or `redis://…` (also
   * from TIDINGS_REDIS_URL).
   */
  store?: string;
  /** How long a refresh lease lives unless renewed (ms): how soon another instance takes over from a dead one. */
  lockTtlMs?: number;
  /** WebSub hub URL. */
  hub?: string;
  /** Default: DEFAULT_LIMITS. */
  limits?: Limits;
  /** Default: DEFAULT_RATE_LIMIT; false turns rate limiting off (e.g. behind a proxy that does it). */
  rateLimit?: RateLimit | false;
  /** The admin API (`/api/…`): on when a token is set, from TIDINGS_ADMIN_TOKEN or `admin.token`. */
  admin?: { token: string };
  /** How pushes (`notify:`) are tried; default DEFAULT_DELIVERY. */
  delivery?: DeliverySettings;
  /** The config file this was read from (absolute): the admin API writes changes into it, reloads read it. */
  file?: string;
  port: number;
  dataDir: string;
}

/** A push destination of a feed (`notify:`), sent by the delivery worker (src/delivery/). */
export type NotifyConfig = WebhookNotifyConfig | EmailNotifyConfig;

interface NotifyCommon {
  /**
   * `<feed>:<kind>:<8 hex>`, from a hash of the target: stable while the target is, so pending
   * pushes stay with it across restarts; names it in /healthz and metrics (never the target).
   */
  id: string;
  /** Also push articles whose content changed, flagged as edited. */
  edited: boolean;
}

/** One POST per refresh that found something: a JSON Feed, signed with HMAC-SHA256. */
export interface WebhookNotifyConfig extends NotifyCommon {
  kind: 'webhook';
  /** `${TIDINGS_…}` filled in; may hold a token, so never logged or shown whole. */
  url: string;
  /** The HMAC key of `X-Tidings-Signature`. Never logged. */
  secret: string;
  /** Allow a target on loopback or a private network (checked on the address connected to). */
  allowPrivateNetwork: boolean;
}

/** Mail through SMTP: a digest per refresh, or a message per article. */
export interface EmailNotifyConfig extends NotifyCommon {
  kind: 'email';
  to: string[];
  /** `smtp://user:pass@host:port` or `smtps://…`, `${TIDINGS_…}` filled in. Never logged. */
  smtp: string;
  /** An address, or `Name <address>`. */
  from: string;
  mode: 'digest' | 'item';
}

/** How hard a push is tried before it is kept as failed. */
export interface DeliverySettings {
  /** Tries in all. */
  attempts: number;
  /** Wait before the second try; doubled each time (with jitter), up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Longest one webhook POST or one SMTP exchange may take. */
  timeoutMs: number;
}

/** 12 tries over about 5 hours: 30 s, 1 m, 2 m … 1 h between them. */
export const DEFAULT_DELIVERY: DeliverySettings = {
  attempts: 12,
  backoffMs: 30_000,
  maxBackoffMs: 3_600_000,
  timeoutMs: 15_000,
};
