import type { Document } from 'domhandler';
import type { PageInfo, PageRequest } from '../types.js';

/**
 * A rule that reads one value from a page: the element(s) a CSS selector finds, then an attribute
 * (or the text), then optionally the first capture group of a pattern over that value.
 */
export interface FieldRule {
  /** Where to read, below the scope (the page, or the item). Omitted: the scope element itself. */
  selector?: string;
  /** Read this attribute instead of the element's text. */
  attribute?: string;
  /** Keep only the first capture group (or the whole match if the pattern has none). */
  pattern?: RegExp;
  /** For dates only: a date-fns format (`dd/MM/yyyy`) when the value is not one of the forms read by default. */
  format?: string;
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

/**
 * How a section's pages are named, or found. Either a naming scheme (`index.html`, `index_1.html`, …)
 * with the page count read from the page, or a `next` link followed one page at a time, or both.
 */
export interface PaginationRules {
  /** How many pages there are. */
  total?: FieldRules;
  /** Which page this is, as printed: 1-based unless `currentIsZeroBased`. */
  current?: FieldRules;
  currentIsZeroBased?: boolean;
  /** File name of the first page, e.g. `index.html`. */
  firstPage?: string;
  /** File name of page n ≥ 2, with `{n}` replaced by `n - 2 + firstIndex`, e.g. `index_{n}.html`. */
  pageUrl?: string;
  /** The number the second page carries in its name (TRS: `index_1.html` is page 2, so 1). Default 1. */
  firstIndex?: number;
  /** The link to the next page, when pages are not numbered predictably. */
  next?: FieldRules;
}

export interface ArticleRules {
  title: FieldRules;
  /** Text holding the publication time, e.g. `发布时间：2024-12-04 09:00`. */
  publishedAt: FieldRules;
  /**
   * Also look for the time where pages print it: a labelled date (`发布时间&nbsp;2021-05-19 10:41`)
   * right after the title is preferred to what `publishedAt` reads (which then only adds precision
   * on the same day, e.g. a `<meta>` time to a printed day); one farther away is the last resort.
   * For rules that know where the date is, leave it off.
   */
  detectDate?: boolean;
  /** The origin (`来源`). */
  author?: FieldRules;
  /** The element holding the article body; with several selectors, the first that matches. */
  body: string | readonly string[];
  /** When no `body` selector matches, take the block holding the most paragraph text. */
  detectBody?: boolean;
  section?: FieldRules;
}

/** How to read the same listing when all we have is its text (copied, or dumped by a text browser). */
export interface TextRules {
  /** The line naming the section, e.g. a breadcrumb; its last `separator`-separated part is the section. */
  breadcrumb?: RegExp;
  /** Default `>`. */
  separator?: string | RegExp;
  /** Lines at which an item's text ends (pager, footer). */
  stopAt?: readonly RegExp[];
  /** Patterns over the whole text for the page count and current page (first capture group). */
  total?: RegExp;
  current?: RegExp;
}

/**
 * A list read out of a JSON document. `items` is a dotted path from the document to the array
 * (`data.list`; a number picks an array member, `items.0`; a key on an array, the first member
 * that has it; `''` the document itself). Each field is a path within an item (`title`,
 * `author.name`), or a template whose `{path}`s are filled in from the item (`/news/{id}.html`).
 */
export interface JsonListRules {
  items: string;
  title: string;
  /** Usually relative; resolved against the page URL. */
  link: string;
  /** A date in any form the parser reads, or a Unix time in seconds or milliseconds. */
  date: string;
  /** Inline text or HTML; its blocks become paragraphs. */
  content?: string;
  /**
   * On an HTML page, which embedded JSON holds the list: `__NEXT_DATA__`, a `window.__X__ = {…}`
   * variable's name (`__INITIAL_STATE__`), or `ld+json` (the page's JSON-LD, nodes grouped by
   * `@type`: `NewsArticle`, `ItemList.itemListElement`). Omitted: each until `items` finds a list.
   */
  embedded?: string;
}

/**
 * A list served by a JSON endpoint apart from the page: the source's page stays its link, the
 * listing is read from `url`, one request per page.
 */
export interface ApiRules {
  /** The endpoint, `{n}` replaced by the page's number; relative to the source's URL. */
  url: string;
  /** What `{n}` is on the first page. Default 1 (0 for APIs that count from 0). */
  firstIndex?: number;
  /** How much `{n}` grows from one page to the next. Default 1 (the page size, for `offset={n}`). */
  step?: number;
  /**
   * Dotted path to the page count in each answer (`data.pages`). Without it, the next page is
   * asked for while a page holds items.
   */
  totalPages?: string;
}

/**
 * Code for a family whose list is not in the page's markup, where no selector reaches it: Hanweb
 * keeps its items as CDATA records in a `<datastore>` and pages by POSTing to `dataproxy.jsp`.
 */
export interface ListSource {
  /** Names it in errors, e.g. `hanweb-datastore`. */
  name: string;
  /**
   * The page's items as a document the list rules run on, and the paging the page describes.
   *
   * @throws {LayoutError} when the page holds no such list
   */
  read(page: Document, context: ListSourceContext): ListSourcePage;
}

export interface ListSourceContext {
  /** The page's URL. */
  url: string;
  /** The request that fetched it, when more than a GET (`ParseOptions.request`). */
  request?: PageRequest | undefined;
  /** The profile's id, for errors. */
  profile: string;
}

export interface ListSourcePage {
  /** One element per record, for the list rules (or detection). */
  items: Document;
  pages: PageInfo;
}

/** What detection may assume about a family of sites. */
export interface DetectHints {
  /** Only links matching this are article links, e.g. TRS's `./202412/t20241204_6797100.html`. */
  linkPattern?: RegExp;
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
    /** Marks of a CMS family on the page itself (a script call, a permalink shape): any one that reads a value. */
    page?: FieldRules;
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
  /** Omitted: the list is found on each page by detection (`detect` narrows what counts as an article link). */
  list?: ListRules;
  /** Read the list out of JSON instead: the page when it is JSON, else its embedded JSON (written `list: { json: … }`). */
  json?: JsonListRules;
  /** The list comes from a JSON endpoint apart from the page (with `json`). */
  api?: ApiRules;
  /** Where the list is when it is not in the markup (Hanweb's datastore): read by code, then by `list`. */
  listSource?: ListSource;
  detect?: DetectHints;
  pagination?: PaginationRules;
  article: ArticleRules;
  text?: TextRules;
}
