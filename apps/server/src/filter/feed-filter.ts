import type { Article } from '@tidings/parser';

/**
 * Which of a source's articles a feed carries: a derived feed's `include`/`exclude`/`days` from the
 * config, or the same from a feed URL. Words are literal (never patterns): an article is kept when
 * it holds at least one `include` word (or there are none) and no `exclude` word, in its title,
 * summary, text or author, compared case- and width-folded.
 */
export interface FeedFilter {
  /** Folded words (see `foldText`); empty keeps everything. */
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /** Only articles published in the last `days` days. */
  readonly days?: number;
}

export const NO_FILTER: FeedFilter = { include: [], exclude: [] };

/** Bounds on a filter, from a URL or the config: words per list, characters per word, days. */
export const FILTER_LIMITS = { words: 20, wordLength: 64, days: 3650 } as const;

/**
 * Case and width folding: NFKC (full-width Ａ１ to A1, half-width katakana to full) then lower case,
 * so `ＡＩ` finds `ai` and `AI`. Chinese characters are unchanged; simplified and traditional forms
 * are not folded into each other.
 */
export function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** `招生,高考, ,招生` → `['招生', '高考']`: folded, trimmed, empty and repeated words dropped. */
export function filterWords(list: string | readonly string[]): string[] {
  const words = typeof list === 'string' ? list.split(',') : list;
  return [...new Set(words.map((word) => foldText(word.trim())).filter((word) => word.length > 0))];
}

export function isFiltering(filter: FeedFilter): boolean {
  return filter.include.length > 0 || filter.exclude.length > 0 || filter.days !== undefined;
}

const DAY_MS = 86_400_000;

/** Whether `filter` keeps `article`, `now` being the instant the feed is rendered at. */
export function matchesFilter(article: Article, filter: FeedFilter, now: Date): boolean {
  if (filter.days !== undefined) {
    const published = Date.parse(article.publishedAt);
    if (!(published >= now.getTime() - filter.days * DAY_MS)) return false;
  }
  if (filter.include.length === 0 && filter.exclude.length === 0) return true;
  const haystack = foldText(
    [article.title, article.summary, article.contentText, article.author ?? ''].join('\n'),
  );
  if (filter.exclude.some((word) => haystack.includes(word))) return false;
  return filter.include.length === 0 || filter.include.some((word) => haystack.includes(word));
}

/** Whether every one of `filters` keeps `article` (a derived feed's, then a URL's on top of it). */
export function matchesAll(article: Article, filters: readonly FeedFilter[], now: Date): boolean {
  return filters.every((filter) => matchesFilter(article, filter, now));
}

const HOUR_MS = 3_600_000;

/**
 * The instant `days` counts back from: the start of the current hour, so that instances agree on
 * what a view holds and a view keyed by it is rendered again at most once an hour.
 */
export function filterClock(now: number = Date.now()): Date {
  return new Date(now - (now % HOUR_MS));
}

/** A stable text of the filter, for cache keys and ETags of filtered views. */
export function filterKey(filter: FeedFilter): string {
  return `${filter.include.join(',')}\n${filter.exclude.join(',')}\n${filter.days ?? ''}`;
}
