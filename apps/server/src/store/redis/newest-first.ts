import type { StoredArticle } from '../types.js';

/**
 * The SQLite store's order, `published_at DESC, first_seen DESC, id`: newest publishedAt first
 * (an unparsable one, NULL there, last), then the most recently first seen, then id in byte order.
 */
export function compareNewestFirst(a: StoredArticle, b: StoredArticle): number {
  const published = publishedMs(b) - publishedMs(a);
  if (published !== 0 && !Number.isNaN(published)) return published;
  if (a.firstSeen !== b.firstSeen) return a.firstSeen < b.firstSeen ? 1 : -1;
  return Buffer.compare(Buffer.from(a.article.id), Buffer.from(b.article.id));
}

/** The ZSET score: publishedAt in epoch ms, -Infinity when it does not parse. */
export function publishedMs(stored: StoredArticle): number {
  const ms = Date.parse(stored.article.publishedAt);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/** Literal, case-insensitive containment in title or contentText, as the SQLite store's instr() on lower-cased copies. */
export function matchesKeyword(stored: StoredArticle, keyword: string): boolean {
  const folded = keyword.toLowerCase();
  return (
    stored.article.title.toLowerCase().includes(folded) ||
    stored.article.contentText.toLowerCase().includes(folded)
  );
}
