import type { StoredArticle } from '../store/types.js';
import { briefArticle } from './brief.js';
import { convertArticle, converterFor, type FeedLanguage } from './chinese-script.js';
import { type FeedFilter, isFiltering, matchesAll } from './feed-filter.js';

/**
 * A filtered view reads at most this many of its source's newest stored articles (with `q`, of the
 * newest that match `q`), and keeps those its filters match: the work of a view is bounded however
 * rarely its words occur.
 */
export const FILTER_SCAN = 1000;

/** How a view presents what it keeps: `brief=N`, `lang=`. */
export interface Presentation {
  brief?: number;
  lang?: FeedLanguage;
}

/** The filters that do something, of a feed's own and a URL's. */
export function activeFilters(...filters: (FeedFilter | undefined)[]): FeedFilter[] {
  return filters.filter((filter): filter is FeedFilter => filter !== undefined && isFiltering(filter));
}

/** How many newest articles to read for a view of `limit` articles under `filters`. */
export function articlesToRead(filters: readonly FeedFilter[], limit: number): number {
  return filters.length > 0 ? Math.max(limit, FILTER_SCAN) : limit;
}

/** The first `limit` of `stored` (newest first) that every filter keeps. */
export function selectArticles(
  stored: readonly StoredArticle[],
  filters: readonly FeedFilter[],
  now: Date,
  limit: number,
): StoredArticle[] {
  if (filters.length === 0) return stored.slice(0, limit);
  const kept: StoredArticle[] = [];
  for (const entry of stored) {
    if (kept.length >= limit) break;
    if (matchesAll(entry.article, filters, now)) kept.push(entry);
  }
  return kept;
}

/**
 * The articles as the view shows them: cut (before converting, so that only what is shown is
 * converted), then converted. Articles left as they are keep their identity.
 */
export async function presentArticles(
  stored: readonly StoredArticle[],
  { brief, lang }: Presentation,
): Promise<StoredArticle[]> {
  if (brief === undefined && lang === undefined) return [...stored];
  const convert = lang ? await converterFor(lang) : undefined;
  return stored.map((entry) => {
    let article = entry.article;
    if (brief !== undefined) article = briefArticle(article, brief);
    if (convert && lang) article = convertArticle(article, convert, lang);
    return { ...entry, article };
  });
}
