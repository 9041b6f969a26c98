import type { FeedChannel, FeedFormat } from '@tidings/feeds';
import { feedSizeOf, type SourceConfig } from '../config/types.js';
import type { StoredArticle } from '../store/types.js';
import { type ArchiveMonth, archivePath, monthOf } from './archive-months.js';
import { sourceTimeZone } from './times.js';

/**
 * How many of a source's newest articles its own feed reads: the `feedSize` it shows, and one
 * more, the newest archived article, whose month is the feed's `prev-archive`.
 */
export function feedWindow(source: SourceConfig): number {
  return feedSizeOf(source) + 1;
}

/** The month of the newest archived article in `window` (the newest first), if there is one. */
export function newestArchiveMonth(
  source: SourceConfig,
  window: readonly StoredArticle[],
): ArchiveMonth | undefined {
  const first = window[feedSizeOf(source)];
  return first && monthOf(Date.parse(first.article.publishedAt), sourceTimeZone(source));
}

/** The feed's RFC 5005 link to its newest archive, in the feed's own format (nothing without one). */
export function prevArchiveLink(
  publicBase: string,
  source: SourceConfig,
  month: ArchiveMonth | undefined,
  format: FeedFormat,
): Pick<FeedChannel, 'prevArchiveUrl'> {
  return month ? { prevArchiveUrl: `${publicBase}${archivePath(source.id, month, format)}` } : {};
}
