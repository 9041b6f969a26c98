import type { Article } from '@tidings/parser';
import type {
  ClaimedDelivery,
  DeliveryClaim,
  DeliveryFailure,
  DestinationStatus,
  UpsertOptions,
} from './outbox.js';
import type { ListOptions, RetentionPolicy, SourceStatus, StoredArticle, UpsertResult } from './types.js';

/**
 * Where the server keeps its history and how its instances agree on who refreshes what. Three
 * implementations: SQLite (one process, the embedded default), Redis and PostgreSQL (several
 * instances sharing one server). The refresh and HTTP layers use only this.
 *
 * Storage has the same meaning as the SQLite `Store` (see store/types.ts): merge rules, newest-first
 * order, literal `q`, retention; writes are all or nothing.
 */
export interface Backend {
  readonly kind: 'sqlite' | 'redis' | 'postgres';

  /**
   * Inserts and merges articles (see `Store.upsertArticles`). With a `lease`, the write is fenced:
   * it applies only while the lease is still the newest for its source, else it throws
   * `StoreError('fenced-out')` and changes nothing.
   *
   * With `options.outbox`, the entries for the new (and, where asked, edited) articles are written
   * by the same transaction (SQLite, PostgreSQL) or script (Redis) as the articles: a write that is refused
   * or fails queues nothing, one that lands cannot lose them (outbox.ts).
   */
  upsertArticles(
    sourceId: string,
    articles: readonly Article[],
    now: string,
    lease?: RefreshLease,
    options?: UpsertOptions,
  ): Promise<UpsertResult>;
  listArticles(sourceId: string, options?: ListOptions): Promise<StoredArticle[]>;
  /** The stored copies of these ids (absent ones left out), in one round trip. */
  getArticles(sourceId: string, ids: readonly string[]): Promise<Map<string, StoredArticle>>;
  countArticles(sourceId: string): Promise<number>;
  /**
   * Articles published in [fromMs, toMs) (epoch ms), in listArticles' order: one month of a
   * source's archive. An article whose publishedAt does not parse is in no range.
   */
  listPublishedBetween(sourceId: string, fromMs: number, toMs: number): Promise<StoredArticle[]>;
  /** How many articles were published at or after `fromMs` (all of them sort before any older one). */
  countPublishedSince(sourceId: string, fromMs: number): Promise<number>;
  /**
   * The publishedAt (epoch ms) of the newest article published before `beforeMs`, or undefined
   * when there is none: how an archive finds the next older month that holds an article.
   */
  latestPublishedBefore(sourceId: string, beforeMs: number): Promise<number | undefined>;
  /** Fenced like upsertArticles when given a lease. */
  applyRetention(
    sourceId: string,
    policy: RetentionPolicy,
    now: string,
    lease?: RefreshLease,
  ): Promise<number>;
  getStatus(sourceId: string): Promise<SourceStatus>;
  updateStatus(
    sourceId: string,
    patch: Partial<Omit<SourceStatus, 'sourceId' | 'articleCount'>>,
  ): Promise<void>;

  /**
   * Asks to refresh a source now. Granted: a lease that expires after `ttlMs` unless renewed
   * (the backend renews it while held). Refused: another instance holds it, or one finished a
   * refresh less than `freshForMs` ago; `retryInMs` says when asking again makes sense.
   */
  acquireRefresh(
    sourceId: string,
    options: { ttlMs: number; freshForMs: number },
  ): Promise<{ lease: RefreshLease } | { refused: 'held' | 'fresh'; retryInMs: number }>;

  /**
   * Up to `limit` due outbox entries (waiting ones whose time has come, and claims whose lease
   * ran out), oldest first, each claimed for `leaseMs`: no other claim gets it meanwhile, on any
   * instance. Each claim counts as an attempt.
   */
  claimDeliveries(options: { limit: number; leaseMs: number }): Promise<ClaimedDelivery[]>;
  /** Delivered: the entry leaves the outbox (a success by an older claim counts too). */
  completeDelivery(delivery: DeliveryClaim, at: string): Promise<void>;
  /**
   * Not delivered: due again at `failure.retryAt`, or kept as failed without one. Ignored when
   * the claim is no longer the entry's newest (it was taken over) or the entry is gone.
   */
  failDelivery(delivery: DeliveryClaim, failure: DeliveryFailure): Promise<void>;
  /** Per destination that has entries or a record: pending, failed, last success and error. */
  deliveryStatus(): Promise<DestinationStatus[]>;

  /** Tells every instance (this one included) that a source's articles changed. */
  publishChange(sourceId: string): Promise<void>;
  /** Calls `listener` when any instance publishes a change (SQLite: only this process's). */
  onChange(listener: (sourceId: string) => void): void;

  /**
   * Why the store cannot be reached now, or undefined while it can: known without a round trip
   * (the connection's state), so a health check costs the store nothing.
   */
  unreachable(): string | undefined;

  close(): Promise<void>;
}

/** The right to refresh one source, held by one instance at a time. */
export interface RefreshLease {
  readonly sourceId: string;
  /** Grows with every grant for the source: a write carrying an older fence is refused. */
  readonly fence: number;
  /** Records that a refresh finished (ok or not), so others skip the source until it is due. */
  complete(at: Date): Promise<void>;
  /** Gives the lease back (idempotent); stops renewing it. */
  release(): Promise<void>;
}
