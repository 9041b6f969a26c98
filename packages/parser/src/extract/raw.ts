import type { ItemField } from '../types.js';

/** What extraction reads off a page, before normalizing: strings as found. */
export interface RawItem {
  /** `''` when the rules read none. */
  title: string;
  /** As written in the page, usually relative. Absent when the rules read none, or a text listing has none. */
  link?: string;
  /** `''` when the rules read none. */
  date: string;
  /** Inline full text, paragraphs separated by newlines. */
  content?: string;
  /**
   * The fields the rules read nothing for, each with what the rules point at before their pattern
   * (an `onclick` that calls no known handler), `''` when nothing: the item is then left out.
   */
  unread?: Partial<Record<ItemField, string>>;
}

export interface RawListing {
  sourceName?: string;
  section?: string;
  language?: string;
  items: RawItem[];
  total: number | null;
  current: number | null;
  /** The next-page link as written. */
  next?: string | undefined;
}

export interface RawArticle {
  title: string;
  date: string;
  /** A machine-written form of the time (`<meta>`, JSON-LD) beside the printed `date`: used when it is the same day, more precisely. */
  exactDate?: string;
  author?: string;
  section?: string;
  language?: string;
  sourceName?: string;
  /** The body element's inner HTML, unsanitized. */
  bodyHtml: string;
}
