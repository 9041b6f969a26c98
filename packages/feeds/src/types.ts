import type { Article } from '@tidings/parser';

export type FeedFormat = 'rss' | 'atom' | 'json';

/** What a feed says about itself: the source it republishes and where it lives. */
export interface FeedChannel {
  /** e.g. `天津教育 – 天津市教育委员会`. */
  title: string;
  description?: string;
  /** Absolute URL of this feed document (the one being rendered). Omit only for feeds with no home on the web yet. */
  selfUrl?: string;
  /** Absolute URL of the page the feed republishes. */
  homeUrl: string;
  /** A stable IRI for the feed (Atom `<id>`). Default: `selfUrl`, else `homeUrl`. */
  id?: string;
  /** BCP 47. Default `zh-CN`. */
  language?: string;
  /** The publisher, e.g. 天津市教育委员会; the feed's author where articles name none. */
  author?: { name: string; url?: string };
  /** How often the source is refreshed, in minutes: RSS `ttl`. */
  refreshMinutes?: number;
  /** WebSub hub URL, advertised in every format. */
  hub?: string;
  /** URL of an XSL stylesheet for browsers opening RSS or Atom (see `feedStylesheet`). */
  stylesheet?: string;
  /** When the feed last changed if it has no articles (ISO 8601); otherwise the newest article's time is used. */
  updated?: string;
  /**
   * RFC 5005 §4 archived feeds: this document is an archive document (`<fh:archive/>`, and in JSON
   * Feed `_archive.archive`), holding older articles than the subscription document.
   */
  archive?: boolean;
  /**
   * RFC 5005 `prev-archive`: the next older archive document, in this document's format. Set on the
   * subscription document (its newest archive) and on every archive but the oldest. JSON Feed:
   * `next_url`, its paging field (older items).
   */
  prevArchiveUrl?: string;
  /** RFC 5005 `next-archive`: the next newer archive document (optional in RFC 5005). */
  nextArchiveUrl?: string;
  /** RFC 5005 `current`: on an archive document, the subscription document it belongs to. */
  currentUrl?: string;
}

/** An article as the parser produces it, plus when it last changed, which the store knows. */
export type FeedArticle = Article & { updatedAt?: string };
