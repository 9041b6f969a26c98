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
}

/** An article as the parser produces it, plus when it last changed, which the store knows. */
export type FeedArticle = Article & { updatedAt?: string };
