/** One source as configured (after validation and defaults). */
export interface SourceConfig {
  /** URL-safe id: the feed lives at /feeds/<id>.rss. */
  id: string;
  /** The listing page (first page) of the section. */
  url: string;
  enabled: boolean;
  /** A registered profile id, or `auto` (detection; issue 6), or undefined to pick by URL. */
  profile?: string;
  /** How many listing pages to follow each refresh. */
  pages: number;
  /** Milliseconds between refreshes. */
  refreshMs: number;
  /** Fetch article pages for full text. */
  fullText: boolean;
  retention: { maxArticles?: number; maxAgeMs?: number };
  allowPrivateNetwork: boolean;
  /**
   * A directory holding a saved copy of the site (paths as on the site). When set, the source is
   * served from it, on loopback, at the site's own URLs: the offline demo.
   */
  snapshot?: string;
  /** Optional display title; default from the page (`section – publisher`). */
  title?: string;
}

export interface ServerConfig {
  sources: SourceConfig[];
  /** Public base URL (for self links behind a proxy), e.g. https://feeds.example.org. */
  publicUrl?: string;
  /** Where data lives: `sqlite:<path>` or a path; default `<dataDir>/tidings.db`. */
  store?: string;
  /** WebSub hub URL. */
  hub?: string;
  port: number;
  dataDir: string;
}
