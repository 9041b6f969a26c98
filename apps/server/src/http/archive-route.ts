import type { FeedFormat } from '@tidings/feeds';
import type { FeedDefinition } from '../filter/feed-definition.js';
import { NoArchiveError } from '../views/archive-document.js';
import { readMonth } from '../views/archive-months.js';
import type { Prepared } from '../views/prepared.js';
import type { Views } from '../views/views.js';
import { HttpError } from './query.js';

/** `/feeds/<id>/archive/<YYYY-MM>.rss|.atom|.json`: groups id, month, format. */
export const ARCHIVE_PATH = /^\/feeds\/([^/.]+)\/archive\/([^/.]+)\.(rss|atom|json)$/;

/**
 * The archive document an `ARCHIVE_PATH` match names: a source's month, held or rendered once.
 *
 * @throws {HttpError} 404 `unknown-feed` (no such source), `unknown-archive` (not a month, or a
 *   derived feed, which has no archive of its own); the view rejects with 404 `no-archive` when the
 *   month holds no archived article
 */
export function archiveView(
  views: Views,
  feeds: ReadonlyMap<string, FeedDefinition>,
  publicBase: string,
  [path, id, monthText, format]: RegExpExecArray,
): Prepared | Promise<Prepared> {
  const feed = feeds.get(id as string);
  if (!feed) {
    throw new HttpError(404, 'unknown-feed', `No feed "${id}". The feeds are listed at ${publicBase}/.`);
  }
  if (feed.derived) {
    throw new HttpError(
      404,
      'unknown-archive',
      `"${id}" is made from the source "${feed.source.id}", whose archives are at ${publicBase}/feeds/${feed.source.id}/archive/<YYYY-MM>.${format}.`,
    );
  }
  const month = readMonth(monthText as string);
  if (!month) {
    throw new HttpError(
      404,
      'unknown-archive',
      `No archive at ${path}: months are written YYYY-MM, like 2024-11.`,
    );
  }
  const view = views.archives.get(feed.source, month, format as FeedFormat);
  if (!(view instanceof Promise)) return view;
  return view.catch((error: unknown) => {
    throw error instanceof NoArchiveError ? new HttpError(404, error.code, error.message) : error;
  });
}
