import type { Article } from '@tidings/parser';
import type { StoredArticle } from '../types.js';

/** An article as the upsert writes it (first_seen is kept on conflict; now sets the rest). */
export interface ArticleRow {
  id: string;
  /** JSON of the Article, as merged. */
  article: string;
  published_at: number | null;
  first_seen: string;
  content_hash: string;
  title: string;
  content_text: string;
}

/** What every read of articles selects. */
export const ARTICLE_COLUMNS = 'article, first_seen, last_seen, updated_at, content_hash';

/** The SQLite store's order: newest publishedAt first (an undated one last), then first seen, then id in byte order. */
export const NEWEST_FIRST = 'ORDER BY published_at DESC NULLS LAST, first_seen DESC, id';

export interface SelectedArticle {
  article: string;
  first_seen: string;
  last_seen: string;
  updated_at: string;
  content_hash: string;
}

export function toStoredArticle(row: SelectedArticle): StoredArticle {
  return {
    article: JSON.parse(row.article) as Article,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    updatedAt: row.updated_at,
    contentHash: row.content_hash,
  };
}

/**
 * Case folding for q, as the other backends fold (JavaScript's, which knows every script; the
 * database's lower() depends on its locale). PostgreSQL text cannot hold U+0000: the search copies
 * (and the keyword) carry U+FFFD in its place; the stored article keeps it, escaped in its JSON.
 */
export function foldForSearch(text: string): string {
  return text.toLowerCase().replaceAll('\u0000', '\uFFFD');
}

/**
 * An epoch-ms bound as the bigint the integer published_at compares with: for integer x,
 * x ≥ t ⇔ x ≥ ⌈t⌉ and x < t ⇔ x < ⌈t⌉. Clamped to the instants a Date can hold, beyond which
 * no publishedAt parses, so every finite bound fits the column's type.
 */
export function boundMs(ms: number): string {
  const limit = 8.64e15;
  return String(Math.min(limit, Math.max(-limit, Math.ceil(ms))));
}
