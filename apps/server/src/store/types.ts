import type { Article } from '@tidings/parser';
import type {
  ClaimedDelivery,
  DeliveryClaim,
  DeliveryFailure,
  DestinationStatus,
  UpsertOptions,
} from './outbox.js';

/** An article as the store keeps it: the parser's object, untouched, wrapped in what the store knows. */
export interface StoredArticle {
  article: Article;
  /** ISO 8601 (UTC) instants. */
  firstSeen: string;
  lastSeen: string;
  /** When the content last changed (title, date, text, HTML, images, attachments, author); equals firstSeen until then. */
  updatedAt: string;
  /** sha256 of the article's content fields, hex. */
  contentHash: string;
}

export interface UpsertResult {
  added: number;
  updated: number;
  unchanged: number;
  /** True when anything a feed shows changed (added or updated). */
  changed: boolean;
}

export interface SourceStatus {
  sourceId: string;
  lastAttemptAt?: string;
  lastSuccessAt?: string;
  lastError?: string;
  lastErrorAt?: string;
  consecutiveFailures: number;
  nextRunAt?: string;
  /** Validators of the first listing page, for conditional requests. */
  etag?: string;
  lastModified?: string;
  articleCount: number;
}

export interface ListOptions {
  /** Newest first (by publishedAt, then firstSeen). Default 50. */
  limit?: number;
  /** Literal, case-insensitive keyword matched against title and contentText. Never a pattern. */
  q?: string;
}

export interface RetentionPolicy {
  maxArticles?: number;
  /** Milliseconds; articles published longer ago than this are dropped. */
  maxAgeMs?: number;
}

/**
 * Everything the server keeps. One implementation per backend (SQLite now, Redis later); the
 * refresh and HTTP layers use only this.
 */
export interface Store {
  /**
   * Inserts new articles and updates changed ones (by id); never deletes. `now` is an ISO instant.
   * All or nothing: one transaction per call.
   *
   * Missing information never erases what is stored, because listing items and article pages of
   * the same article arrive separately: an incoming article without a body (empty contentText and
   * contentHtml) keeps the stored body, summary, images and attachments; a coarser publishedAt on
   * the same day (or minute) keeps the stored, more precise one; a missing author keeps the stored
   * one. updatedAt moves only when the content hash of the merged article changes.
   *
   * With `options.outbox`, the same transaction writes the outbox entries for what it added (and
   * changed, for targets that ask) — see outbox.ts.
   */
  upsertArticles(
    sourceId: string,
    articles: readonly Article[],
    now: string,
    options?: UpsertOptions,
  ): UpsertResult;
  listArticles(sourceId: string, options?: ListOptions): StoredArticle[];
  getArticle(sourceId: string, id: string): StoredArticle | undefined;
  countArticles(sourceId: string): number;
  /** Articles published in [fromMs, toMs) (epoch ms), newest first as listArticles orders them. */
  listPublishedBetween(sourceId: string, fromMs: number, toMs: number): StoredArticle[];
  /** How many articles were published at or after `fromMs`. */
  countPublishedSince(sourceId: string, fromMs: number): number;
  /** The publishedAt (epoch ms) of the newest article published before `beforeMs`, if any. */
  latestPublishedBefore(sourceId: string, beforeMs: number): number | undefined;
  /** Drops what the policy says (oldest first); returns how many. The only way articles leave. */
  applyRetention(sourceId: string, policy: RetentionPolicy, now: string): number;
  getStatus(sourceId: string): SourceStatus;
  /**
   * Merges the given fields into the source's status. A key absent from the patch keeps its
   * value; a key present with the value `undefined` clears it (`consecutiveFailures` back to 0),
   * e.g. `{ lastError: undefined }` after a successful refresh.
   */
  updateStatus(sourceId: string, patch: Partial<Omit<SourceStatus, 'sourceId' | 'articleCount'>>): void;
  /** The outbox (outbox.ts): due entries claimed for `leaseMs`. */
  claimDeliveries(options: { limit: number; leaseMs: number }): ClaimedDelivery[];
  completeDelivery(delivery: DeliveryClaim, at: string): void;
  failDelivery(delivery: DeliveryClaim, failure: DeliveryFailure): void;
  deliveryStatus(): DestinationStatus[];
  close(): void;
}
