import type { Article, DatePrecision } from '@tidings/parser';

/**
 * What to store when `incoming` arrives for an article already stored. The incoming copy wins,
 * except where it knows less than the stored one: a refresh stores listing items (often without
 * body, dated to the day) and article pages (body, time to the minute) for the same id, and the
 * poorer view must not erase the richer one.
 *
 * - No body (empty contentText and contentHtml) → the stored body, summary, images and attachments stay.
 * - A coarser date inside the stored one's day (or minute) → the stored publishedAt and precision stay.
 * - No author → the stored author stays.
 */
export function mergeArticle(stored: Article, incoming: Article): Article {
  let merged = incoming;
  if (!hasBody(incoming) && hasBody(stored)) {
    merged = {
      ...merged,
      summary: stored.summary,
      contentText: stored.contentText,
      contentHtml: stored.contentHtml,
      images: stored.images,
      attachments: stored.attachments,
    };
  }
  if (isCoarserViewOf(incoming, stored)) {
    merged = { ...merged, publishedAt: stored.publishedAt, datePrecision: stored.datePrecision };
  }
  if (incoming.author === undefined && stored.author !== undefined) {
    merged = { ...merged, author: stored.author };
  }
  return merged;
}

function hasBody(article: Article): boolean {
  return article.contentText !== '' || article.contentHtml !== '';
}

const RANK: Record<DatePrecision, number> = { day: 0, minute: 1, second: 2 };
/** How many characters of a local `YYYY-MM-DDTHH:MM:SS` time a precision covers. */
const WALL_LENGTH: Record<DatePrecision, number> = { day: 10, minute: 16, second: 19 };

/** True when `incoming`'s date is less precise than `stored`'s and names the same day (or minute) in its own zone. */
function isCoarserViewOf(incoming: Article, stored: Article): boolean {
  if (RANK[incoming.datePrecision] >= RANK[stored.datePrecision]) return false;
  const offsetMinutes = offsetOf(incoming.publishedAt);
  const storedMs = Date.parse(stored.publishedAt);
  if (offsetMinutes === undefined || Number.isNaN(storedMs)) return false;
  const length = WALL_LENGTH[incoming.datePrecision];
  const storedWall = new Date(storedMs + offsetMinutes * 60_000).toISOString().slice(0, length);
  return storedWall === incoming.publishedAt.slice(0, length);
}

/** The UTC offset an ISO 8601 time is written in, in minutes; undefined for a time without one. */
function offsetOf(iso: string): number | undefined {
  if (iso.endsWith('Z')) return 0;
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}
