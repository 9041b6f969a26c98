import type { Article } from '@tidings/parser';
import { contentHash } from '../content-hash.js';
import { mergeArticle } from '../merge.js';
import { type ArticleChange, ChangeCollector } from '../outbox.js';
import type { StoredArticle, UpsertResult } from '../types.js';
import { publishedMs } from './newest-first.js';
import type { ArticleWrite } from './scripts.js';

export interface UpsertPlan {
  result: UpsertResult;
  /** One per distinct id, its final state. */
  writes: ArticleWrite[];
  /** The articles added or changed, for the outbox. */
  changes: ArticleChange[];
}

/**
 * What `upsertArticles` writes, decided as the SQLite store decides it, article by article (a
 * later copy of the same id in the batch merges into the earlier one): new → added; merged
 * content hash unchanged → only lastSeen moves; else → the merged article, updatedAt = now.
 *
 * @param stored the JSON currently stored for the batch's ids (absent ids left out)
 * @param now an instant as `toISOString()` writes it
 */
export function planUpsert(
  articles: readonly Article[],
  stored: ReadonlyMap<string, string>,
  now: string,
): UpsertPlan {
  const current = new Map(stored);
  const scores = new Map<string, number>();
  const counts = { added: 0, updated: 0, unchanged: 0 };
  const changes = new ChangeCollector();
  for (const incoming of articles) {
    const json = current.get(incoming.id);
    let next: StoredArticle;
    if (json === undefined) {
      next = {
        article: incoming,
        firstSeen: now,
        lastSeen: now,
        updatedAt: now,
        contentHash: contentHash(incoming),
      };
      changes.record({ article: incoming, change: 'new', firstSeen: now, updatedAt: now });
      counts.added++;
    } else {
      const previous = JSON.parse(json) as StoredArticle;
      const merged = mergeArticle(previous.article, incoming);
      const hash = contentHash(merged);
      if (hash === previous.contentHash) {
        next = { ...previous, lastSeen: now };
        counts.unchanged++;
      } else {
        next = {
          article: merged,
          firstSeen: previous.firstSeen,
          lastSeen: now,
          updatedAt: now,
          contentHash: hash,
        };
        changes.record({ article: merged, change: 'edited', firstSeen: previous.firstSeen, updatedAt: now });
        counts.updated++;
      }
    }
    // Stored as JSON, so a later copy in this batch merges into exactly what a reader will get back.
    current.set(incoming.id, JSON.stringify(next));
    scores.set(incoming.id, publishedMs(next));
  }

  const writes = [...scores].map(
    ([id, score]): ArticleWrite => ({ id, json: current.get(id) as string, score }),
  );
  return {
    result: { ...counts, changed: counts.added + counts.updated > 0 },
    writes,
    changes: changes.list(),
  };
}
