/**
 * Where the Redis backend keeps things. Every key starts with the backend's prefix `{p}`
 * (default `tidings:`), then the source id:
 *
 * | key                   | type   | holds                                                              |
 * | --------------------- | ------ | ------------------------------------------------------------------ |
 * | `{p}{src}:articles`   | HASH   | article id → JSON of its StoredArticle                              |
 * | `{p}{src}:order`      | ZSET   | article id scored by publishedAt in epoch ms (`-inf` when unparsable) |
 * | `{p}{src}:status`     | HASH   | the SourceStatus fields that are set (not sourceId, articleCount)  |
 * | `{p}{src}:lock`       | STRING | the refresh lease holder's token, expiring (PX) unless renewed     |
 * | `{p}{src}:fence`      | STRING | INCR counter: the fence of the newest lease granted                |
 * | `{p}{src}:completed`  | STRING | epoch ms (Redis clock) of the last completed refresh               |
 *
 * and one pub/sub channel, `{p}changes`, whose messages are source ids.
 *
 * `articles` and `order` always hold the same ids: every script writes or deletes both.
 */
export interface SourceKeys {
  articles: string;
  order: string;
  status: string;
  lock: string;
  fence: string;
  completed: string;
}

export function sourceKeys(prefix: string, sourceId: string): SourceKeys {
  const base = `${prefix}${sourceId}:`;
  return {
    articles: `${base}articles`,
    order: `${base}order`,
    status: `${base}status`,
    lock: `${base}lock`,
    fence: `${base}fence`,
    completed: `${base}completed`,
  };
}

export function changesChannel(prefix: string): string {
  return `${prefix}changes`;
}
