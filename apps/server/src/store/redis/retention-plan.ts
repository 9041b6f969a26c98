import type { RetentionPolicy, StoredArticle } from '../types.js';
import { compareNewestFirst, publishedMs } from './newest-first.js';

/**
 * The ids `applyRetention` drops, as the SQLite store picks them: those published before
 * `now − maxAgeMs` (never one whose date does not parse), then all but the newest `maxArticles`
 * of the rest.
 */
export function idsToDrop(
  stored: readonly StoredArticle[],
  { maxArticles, maxAgeMs }: RetentionPolicy,
  nowMs: number,
): string[] {
  const dropped: string[] = [];
  let kept = [...stored];
  if (maxAgeMs !== undefined) {
    const cutoff = nowMs - maxAgeMs;
    const tooOld = (article: StoredArticle) => {
      const ms = publishedMs(article);
      return ms !== Number.NEGATIVE_INFINITY && ms < cutoff;
    };
    dropped.push(...kept.filter(tooOld).map((article) => article.article.id));
    kept = kept.filter((article) => !tooOld(article));
  }
  if (maxArticles !== undefined && kept.length > maxArticles) {
    kept.sort(compareNewestFirst);
    dropped.push(...kept.slice(maxArticles).map((article) => article.article.id));
  }
  return dropped;
}
