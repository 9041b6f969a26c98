import type { Redis } from 'ioredis';
import type { StoredArticle } from '../types.js';
import type { SourceKeys } from './keys.js';
import { compareNewestFirst } from './newest-first.js';

// The archive's reads: the `order` ZSET ranged by its scores, publishedAt in epoch ms (keys.ts).
// Undated articles score -inf and fall in no range. Each is one command, or a range and a read of
// what it names: an article dropped in between is left out, and the change notice that follows
// makes the views read again.

/** HMGET in chunks: one command per 500 ids. */
const CHUNK = 500;

/** Articles published in [fromMs, toMs), newest first as listArticles orders them. */
export async function publishedBetween(
  redis: Redis,
  keys: SourceKeys,
  fromMs: number,
  toMs: number,
): Promise<StoredArticle[]> {
  const ids = await redis.zrangebyscore(keys.order, fromMs, `(${toMs}`);
  const found: StoredArticle[] = [];
  for (let first = 0; first < ids.length; first += CHUNK) {
    for (const json of await redis.hmget(keys.articles, ...ids.slice(first, first + CHUNK))) {
      if (json !== null) found.push(JSON.parse(json) as StoredArticle);
    }
  }
  return found.sort(compareNewestFirst);
}

export function countPublishedSince(redis: Redis, keys: SourceKeys, fromMs: number): Promise<number> {
  return redis.zcount(keys.order, fromMs, '+inf');
}

/** The score of the newest article published before `beforeMs` (undated ones, at -inf, excluded). */
export async function latestPublishedBefore(
  redis: Redis,
  keys: SourceKeys,
  beforeMs: number,
): Promise<number | undefined> {
  const [, score] = await redis.zrevrangebyscore(
    keys.order,
    `(${beforeMs}`,
    '(-inf',
    'WITHSCORES',
    'LIMIT',
    0,
    1,
  );
  return score === undefined ? undefined : Number(score);
}
