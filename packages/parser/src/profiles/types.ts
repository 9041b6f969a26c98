/**
 * A rule that reads one value from a page: the element(s) a CSS selector finds, then an attribute
 * (or the text), then optionally the first capture group of a pattern over that value.
 */
export interface FieldRule {
  selector: string;
  /** Read this attribute instead of the element's text. */
  attribute?: string;
  /** Keep only the first capture group (or the whole match if the pattern has none). */
  pattern?: RegExp;
}

/** One rule, or several tried in order until one yields a value. */
export type FieldRules = FieldRule | readonly FieldRule[];

export interface ListRules {
  /** Selects one element per article, in page order. */
  item: string;
  title: FieldRules;
  /** The permalink, usually relative; resolved against the page URL. */
  link: FieldRules;
  date: FieldRules;
  /** Selects the inline full text some listings carry (TRS' hidden `div.hidDom`); its blocks become paragraphs. */
  content?: string;
}

export interface PaginationRules {
  /** How many pages there are. */
  total: FieldRules;
  /** Which page this is, as printed: 1-based unless `currentIsZeroBased`. */
  current: FieldRules;
  currentIsZeroBased?: boolean;
  /** File name of the first page, e.g. `index.html`. */
  firstPage: string;
  /** File name of page n ≥ 2, with `{n}` replaced by `n - 1 + firstIndex`, e.g. `index_{n}.html`. */
  pageUrl: string;
  /** The number the second page carries in its name (TRS: `index_1.html` is page 2, so 1). */
  firstIndex: number;
}

export interface ArticleRules {
  title: FieldRules;
  /** Text holding the publication time, e.g. `发布时间：2024-12-04 09:00`. */
  publishedAt: FieldRules;
  /** The origin (`来源`). */
  author?: FieldRules;
  /** The element holding the article body. */
  body: string;
  section?: FieldRules;
}

/** How to read the same listing when all we have is its text (copied, or dumped by a text browser). */
export interface TextRules {
  /** The line naming the section, e.g. a breadcrumb; its last `separator`-separated part is the section. */
  breadcrumb?: RegExp;
  separator?: string;
  /** Lines at which an item's text ends (pager, footer). */
  stopAt?: readonly RegExp[];
  /** Patterns over the whole text for the page count and current page (first capture group). */
  total?: RegExp;
  current?: RegExp;
}

/**
 * A site profile: what a layout looks like, as data. Add a site by adding one of these to the
 * registry; code belongs here only where a selector and a pattern cannot say it.
 */
export interface SiteProfile {
  id: string;
  /** The publisher's name, used when the page does not carry one. */
  name: string;
  description?: string;
  /** Which pages it applies to: by host (and path), or by `<meta name=…>` values when the URL says nothing. */
  match: {
    hosts: readonly string[];
    paths?: readonly RegExp[];
    meta?: Readonly<Record<string, string>>;
  };
  /** IANA zone the site prints its times in. */
  timeZone: string;
  /** BCP 47 language of the content. */
  language: string;
  /** Real pages the profile was written against. */
  examples: readonly string[];
  source: {
    name?: FieldRules;
    section: FieldRules;
  };
  list: ListRules;
  pagination?: PaginationRules;
  article: ArticleRules;
  text?: TextRules;
}
