/** What extraction reads off a page, before normalizing: strings as found. */
export interface RawItem {
  title: string;
  /** As written in the page, usually relative. */
  link?: string;
  date: string;
  /** Inline full text, paragraphs separated by newlines. */
  content?: string;
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
  author?: string;
  section?: string;
  language?: string;
  sourceName?: string;
  /** The body element's inner HTML, unsanitized. */
  bodyHtml: string;
}
