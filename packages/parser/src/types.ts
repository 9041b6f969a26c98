import type { ListDetection } from './detect/index.js';
import type { JsonListDetection } from './json/types.js';
import type { SiteProfile } from './profiles/types.js';

/** How much of a publication time the source actually gave. */
export type DatePrecision = 'day' | 'minute' | 'second';

export interface ArticleImage {
  /** Absolute http(s) URL. */
  url: string;
  alt?: string;
}

export interface ArticleAttachment {
  /** Absolute http(s) URL. */
  url: string;
  title: string;
  /** Guessed from the file extension when it is a common document type. */
  mimeType?: string;
}

/** One normalized news item. Immutable once produced; downstream stores wrap it, never edit it. */
export interface Article {
  /** Stable across runs and positions: the permalink when known, else `sha256:` + a hash of source, title and date. */
  id: string;
  /** Absolute permalink, when the input carries one (a plain-text listing usually does not). */
  url?: string;
  title: string;
  /** ISO 8601 with the source's offset, e.g. `2024-12-04T00:00:00+08:00`; a date-only value is local midnight. */
  publishedAt: string;
  datePrecision: DatePrecision;
  /** Plain text, at most 120 characters, cut at a sentence or grapheme boundary, ending in `…` when cut. */
  summary: string;
  /** Plain text; paragraphs separated by a blank line; CMS indents and padding removed. */
  contentText: string;
  /** Safe HTML (allow-listed tags, http(s)/mailto links only, absolute URLs). */
  contentHtml: string;
  images: ArticleImage[];
  attachments: ArticleAttachment[];
  /** The origin (`来源`) when the page names one. */
  author?: string;
  section?: string;
  /** BCP 47, e.g. `zh-CN`. */
  language: string;
}

export interface SourceInfo {
  /** The publisher, e.g. 天津市教育委员会. */
  name: string;
  /** The section or column, e.g. 天津教育. */
  section: string;
  /** The listing page's URL as given. */
  url: string;
}

export interface PageInfo {
  /** 1-based number of this page. */
  current: number;
  /** How many listing pages the section has, when the page says so. */
  total: number | null;
  /** Absolute URLs of all listing pages, first page first (only this page when the total is unknown). */
  urls: string[];
  /** The page after this one, when there is one: from the naming rule, or the page's "next" link. */
  next?: string;
  /**
   * How to ask for the next page when a GET of `next` is not enough (Hanweb's `dataproxy.jsp` is
   * POSTed a form); `next` is its URL. Send it, and give it back as `options.request` when
   * parsing the answer: the page after that is asked for with the same form.
   */
  nextRequest?: PageRequest;
}

/** A request for a page that takes more than a GET of its URL. */
export interface PageRequest {
  /** Absolute URL, query included. */
  url: string;
  method: 'GET' | 'POST';
  /** For POST: the form, URL-encoded (`col=1&webid=1&…`), sent as `application/x-www-form-urlencoded`. */
  body?: string;
}

/** The fields a listing item cannot do without. */
export type ItemField = 'link' | 'title' | 'date';

/**
 * Why an item was left out, as a stable code:
 * - `no-link`, `no-date`: the item has nothing where the rules look for it;
 * - `bad-link`: what it holds there is not a web address (`javascript:…`, or a value the rule's
 *   pattern does not fit);
 * - `bad-date`: what it holds there is not a date (`2024-02-30`, `待定`);
 * - `empty-title`: its title is empty, or only invisible characters.
 */
export type SkipReason = 'no-link' | 'bad-link' | 'empty-title' | 'no-date' | 'bad-date';

/** A listing item that was left out of `articles` because its link, title or date is unusable. */
export interface SkippedItem {
  /** 0-based position among the page's items (all of them, the skipped ones included). */
  index: number;
  field: ItemField;
  reason: SkipReason;
  /** What the item holds where the field should be, as found: at most 200 characters, `''` when nothing. */
  value: string;
}

export interface ListingResult {
  source: SourceInfo;
  /** In page order. */
  articles: Article[];
  /**
   * Items left out because one of their fields is unusable (a CMS glitch), in page order; `[]`
   * when none. When no item is usable, or more than half are not, `parseListing` throws instead.
   */
  skipped: SkippedItem[];
  pages: PageInfo;
  /** When the profile has no list rules (`auto`, `trs`): the list detection found on this page and why. */
  detection?: ListDetection;
  /**
   * When detection found the list in JSON instead (the page's `__NEXT_DATA__`,
   * `window.__INITIAL_STATE__` or JSON-LD, or a JSON document read without JSON rules): where,
   * as the rules a profile's `list: { json: … }` takes.
   */
  jsonDetection?: JsonListDetection;
}

/**
 * How the profile that reads a page was chosen: `given` in the options, the one registered for the
 * `url`, the one the page's `<meta>` names, a CMS family whose marks are on the `page`, or, when
 * none of these fits, `fallback`: `auto` (detection and the generic rules).
 */
export type ProfileChoice = 'given' | 'url' | 'meta' | 'page' | 'fallback';

/** What the caller knows about the input besides its bytes. */
export interface ParseOptions {
  /** The page's URL: relative links resolve against it and it picks the profile. Required. */
  url: string;
  /** The HTTP `Content-Type` header, when known; its charset outranks `<meta>`. */
  contentType?: string;
  /**
   * A profile object, or a registered profile's id. Default: the registered profile matching the
   * page, else `auto` (the list found by detection, article pages read by the generic rules).
   */
  profile?: SiteProfile | string;
  /** Told which profile reads the page and why, before it runs: to say when detection stood in for a profile. */
  onProfile?: (profile: SiteProfile, chosenBy: ProfileChoice) => void;
  /** Force the input form instead of detecting it. */
  form?: 'html' | 'text';
  /** Refuse inputs larger than this many bytes (or UTF-16 code units for strings). Default 25 MiB. */
  maxBytes?: number;
  /** The time relative dates (`3小时前`, `昨天`) and year-less dates (`12-04`) are read against. Default: now. */
  now?: Date;
  /** Accept HTML that ends before `</body>`/`</html>`. Default false: such input is most likely truncated. */
  allowIncomplete?: boolean;
  /**
   * The request the page was fetched with, when it was more than a GET of `url` (the page
   * before's `pages.nextRequest`): paging that POSTs a form asks for the next page with the same form.
   */
  request?: PageRequest;
}
