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
 *
 * The outbox (store/outbox.ts) is shared by all sources, under `{p}_outbox:` (`_` is never in a
 * source id), keyed by each entry's idempotency key:
 *
 * | key                    | type | holds                                                         |
 * | ---------------------- | ---- | ------------------------------------------------------------- |
 * | `{p}_outbox:entries`   | HASH | key → JSON of the OutboxEntry (written once, with the articles) |
 * | `{p}_outbox:states`    | HASH | key → JSON `{destination, state, attempts, token?, lastError?, lastAttemptAt?}` |
 * | `{p}_outbox:due`       | ZSET | waiting entries, scored by when they are due (epoch ms)        |
 * | `{p}_outbox:claims`    | ZSET | entries being sent, scored by when their claim's lease ends    |
 * | `{p}_outbox:failed`    | ZSET | entries given up on, scored by when (the newest kept)          |
 * | `{p}_outbox:status`    | HASH | destination → JSON `{delivered, lastSuccessAt, lastError, lastErrorAt, consecutiveFailures}` |
 *
 * An entry in `entries` has its state in `states` and is in exactly one of `due`, `claims`, `failed`.
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

/** The outbox's keys (one outbox per prefix, all sources). */
export interface OutboxKeys {
  entries: string;
  states: string;
  due: string;
  claims: string;
  failed: string;
  status: string;
}

export function outboxKeys(prefix: string): OutboxKeys {
  const base = `${prefix}_outbox:`;
  return {
    entries: `${base}entries`,
    states: `${base}states`,
    due: `${base}due`,
    claims: `${base}claims`,
    failed: `${base}failed`,
    status: `${base}status`,
  };
}
