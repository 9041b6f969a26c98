import type { Article } from '@tidings/parser';
import { contentHash } from '../content-hash.js';
import { mergeArticle } from '../merge.js';
import { type ArticleChange, ChangeCollector } from '../outbox.js';
import type { UpsertResult } from '../types.js';
import { type ArticleRow, foldForSearch } from './rows.js';

/** What the stored row of an article holds that a merge needs. */
export interface StoredRow {
  /** JSON of the stored Article. */
  article: string;
  first_seen: string;
  content_hash: string;
}

export interface UpsertPlan {
  result: UpsertResult;
  /** Rows to insert or rewrite (new or changed articles), one per distinct id, final state. */
  writes: ArticleRow[];
  /** Ids stored and unchanged by the whole batch: only their last_seen moves. */
  touched: string[];
  /** The articles added or changed, for the outbox. */
  changes: ArticleChange[];
}

interface Current {
  /** The article as it will be stored, when this batch changed it (new, or its content changed). */
  article?: Article;
  /** Its JSON (the stored JSON while unchanged). */
  json: string;
  firstSeen: string;
  hash: string;
}

/**
 * What `upsertArticles` writes, decided as the SQLite store decides it, article by article (a
 * later copy of the same id in the batch merges into the earlier one): new → added; merged
 * content hash unchanged → only lastSeen moves; else → the merged article, updatedAt = now.
 *
 * @param stored the rows currently stored for the batch's ids (absent ids left out)
 * @param now an instant as `toISOString()` writes it
 */
export function planUpsert(
  articles: readonly Article[],
  stored: ReadonlyMap<string, StoredRow>,
  now: string,
): UpsertPlan {
  const current = new Map<string, Current>();
  for (const [id, row] of stored) {
    current.set(id, { json: row.article, firstSeen: row.first_seen, hash: row.content_hash });
  }
  const counts = { added: 0, updated: 0, unchanged: 0 };
  const changes = new ChangeCollector();
  const ids = new Set<string>();
  for (const incoming of articles) {
    ids.add(incoming.id);
    const previous = current.get(incoming.id);
    if (previous === undefined) {
      // Stored as JSON, so a later copy in this batch merges into exactly what a reader gets back.
      current.set(incoming.id, {
        article: incoming,
        json: JSON.stringify(incoming),
        firstSeen: now,
        hash: contentHash(incoming),
      });
      changes.record({ article: incoming, change: 'new', firstSeen: now, updatedAt: now });
      counts.added++;
      continue;
    }
    const merged = mergeArticle(JSON.parse(previous.json) as Article, incoming);
    const hash = contentHash(merged);
    if (hash === previous.hash) {
      counts.unchanged++;
      continue;
    }
    current.set(incoming.id, {
      article: merged,
      json: JSON.stringify(merged),
      firstSeen: previous.firstSeen,
      hash,
    });
    changes.record({ article: merged, change: 'edited', firstSeen: previous.firstSeen, updatedAt: now });
    counts.updated++;
  }

  const writes: ArticleRow[] = [];
  const touched: string[] = [];
  for (const id of ids) {
    const state = current.get(id) as Current;
    if (state.article === undefined) {
      touched.push(id);
      continue;
    }
    const { article } = state;
    const publishedMs = Date.parse(article.publishedAt);
    writes.push({
      id,
      article: state.json,
      published_at: Number.isNaN(publishedMs) ? null : publishedMs,
      first_seen: state.firstSeen,
      content_hash: state.hash,
      title: foldForSearch(article.title),
      content_text: foldForSearch(article.contentText),
    });
  }
  return {
    result: { ...counts, changed: counts.added + counts.updated > 0 },
    writes,
    touched,
    changes: changes.list(),
  };
}
