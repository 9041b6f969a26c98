import { FEED_CONTENT_TYPES, type FeedChannel, type FeedFormat, renderFeed } from '@tidings/feeds';
import { feedSizeOf, type SourceConfig } from '../config/types.js';
import type { Backend } from '../store/backend.js';
import type { StoredArticle } from '../store/types.js';
import { type ArchiveMonth, archivePath, monthBounds, monthOf } from './archive-months.js';
import { feedCacheControl, feedPath, feedTitle, publisherOf } from './channel.js';
import { Prepared } from './prepared.js';
import { sourceTimeZone } from './times.js';

/** A month that is over and has nothing left in the current feed: its bytes change only if its articles do. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** A month that holds no archived article (none published then, or all still in the current feed). */
export class NoArchiveError extends Error {
  readonly code = 'no-archive';
}

/** What one archive document is made of, read from the store in three indexed reads of one month. */
export interface ArchiveContents {
  /** The month's articles that are not in the current feed, newest first. */
  archived: StoredArticle[];
  /** The next older month holding an article (all of which are archived), if any. */
  previous: ArchiveMonth | undefined;
  /** How many of the month's articles are still in the current feed. */
  inFeed: number;
}

/**
 * The articles of `month` that are not in the source's current feed. The feed holds the newest
 * `feedSize` in the store's order; every article published after the month sorts before all of the
 * month's, so the first `feedSize - newer` of the month (in the same order) are the feed's and the
 * rest are this archive's: each article is in the feed or in exactly one archive.
 */
export async function readArchive(
  backend: Backend,
  source: SourceConfig,
  month: ArchiveMonth,
): Promise<ArchiveContents> {
  const zone = sourceTimeZone(source);
  const { startMs, endMs } = monthBounds(month, zone);
  const [inMonth, newer, older] = await Promise.all([
    backend.listPublishedBetween(source.id, startMs, endMs),
    backend.countPublishedSince(source.id, endMs),
    backend.latestPublishedBefore(source.id, startMs),
  ]);
  const inFeed = Math.min(inMonth.length, Math.max(0, feedSizeOf(source) - newer));
  return {
    archived: inMonth.slice(inFeed),
    previous: older === undefined ? undefined : monthOf(older, zone),
    inFeed,
  };
}

export interface ArchiveRenderOptions {
  /** Base of self links, e.g. https://feeds.example.org (no trailing slash). */
  publicBase: string;
  /** Whether the month is over in the source's zone (the caller's clock, so it can key its cache on it). */
  over: boolean;
}

/**
 * One archive document (RFC 5005 §4): `fh:archive`, a `current` link to the feed, a `prev-archive`
 * link to the next older month that holds articles (none on the oldest). No `next-archive`: it would
 * change an old month's bytes when a newer month gains its first archived article. Its bytes depend
 * on the month's articles and the previous month only, so a finished month is served as immutable.
 *
 * @throws {NoArchiveError} the month holds no archived article
 */
export function renderArchive(
  source: SourceConfig,
  month: ArchiveMonth,
  format: FeedFormat,
  contents: ArchiveContents,
  options: ArchiveRenderOptions,
): Prepared {
  const { archived, previous, inFeed } = contents;
  const newest = archived[0];
  if (!newest) {
    throw new NoArchiveError(
      inFeed > 0
        ? `Every article of ${month} is still in the feed ${options.publicBase}${feedPath(source.id, format)}.`
        : `No article of "${source.id}" was published in ${month} (${sourceTimeZone(source)}).`,
    );
  }
  const { publicBase } = options;
  const articles = archived.map((stored) => ({ ...stored.article, updatedAt: stored.updatedAt }));
  const title = feedTitle(source, newest.article);
  const currentUrl = `${publicBase}${feedPath(source.id, format)}`;
  const channel: FeedChannel = {
    title,
    description: `${title}: the articles published in ${month} (${sourceTimeZone(source)}), archived by Tidings`,
    selfUrl: `${publicBase}${archivePath(source.id, month, format)}`,
    // One logical feed: the archive shares the subscription document's id.
    id: currentUrl,
    homeUrl: source.url,
    author: { name: publisherOf(source) },
    archive: true,
    currentUrl,
    ...(previous && { prevArchiveUrl: `${publicBase}${archivePath(source.id, previous, format)}` }),
    ...(format === 'json' ? {} : { stylesheet: `${publicBase}/feed.xsl` }),
  };
  // The stored instants are ISO strings in UTC: they compare as strings.
  let lastChange = newest.updatedAt;
  for (const stored of archived) if (stored.updatedAt > lastChange) lastChange = stored.updatedAt;
  return new Prepared(Buffer.from(renderFeed(channel, articles, format)), {
    contentType: FEED_CONTENT_TYPES[format],
    lastModified: new Date(lastChange).toUTCString(),
    cacheControl: options.over && inFeed === 0 ? IMMUTABLE_CACHE_CONTROL : feedCacheControl(source),
    ...(format === 'json' && { headers: { 'Access-Control-Allow-Origin': '*' } }),
    compress: 'lazy',
  });
}
