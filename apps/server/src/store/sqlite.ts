import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Article } from '@tidings/parser';
import Database from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { contentHash } from './content-hash.js';
import { mergeArticle } from './merge.js';
import {
  ChangeCollector,
  type ClaimedDelivery,
  type DeliveryClaim,
  type DeliveryFailure,
  type DestinationStatus,
  planOutbox,
  type UpsertOptions,
} from './outbox.js';
import { migrate } from './schema.js';
import { searchMatch, searchTokens } from './search.js';
import { SqliteOutbox } from './sqlite-outbox.js';
import {
  type ArticleRow,
  type ArticleValues,
  prepareStatements,
  STATUS_COLUMNS,
  type Statements,
  type StatusPatch,
  type StatusRow,
} from './statements.js';
import type {
  ListOptions,
  RetentionPolicy,
  SourceStatus,
  Store,
  StoredArticle,
  UpsertResult,
} from './types.js';
import {
  checkArticle,
  checkLimit,
  checkPolicy,
  checkRange,
  checkStatusPatch,
  toInstant,
} from './validate.js';

const DEFAULT_LIMIT = 50;
const BUSY_TIMEOUT_MS = 5000;

/**
 * A Store in one SQLite file (or `:memory:`), created with its parent directories when missing.
 *
 * @throws {StoreError} the file cannot be opened or is not a database (`cannot-open`), or was
 *   written by a newer Tidings (`newer-schema`)
 */
export function openSqliteStore(path: string): Store {
  return new SqliteStore(openDatabase(path));
}

function openDatabase(path: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (path !== ':memory:' && path !== '') mkdirSync(dirname(resolve(path)), { recursive: true });
    db = new Database(path);
    // WAL lets the HTTP side read while a refresh writes; NORMAL is durable across crashes of the
    // process (only an OS crash can lose the last commits), which the next refresh repairs anyway.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // The search index's triggers call it on every write of an article (schema.ts).
    db.function('tidings_search_tokens', { deterministic: true }, (title, text) =>
      searchTokens(String(title ?? ''), String(text ?? '')),
    );
    migrate(db, path);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof StoreError) throw error;
    throw new StoreError(
      'cannot-open',
      `Cannot open the database ${path}: ${error instanceof Error ? error.message : String(error)}. ` +
        'Check that the path is a Tidings database (or does not exist yet) and that its directory is writable.',
      { cause: error },
    );
  }
}

class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #sql: Statements;
  readonly #outbox: SqliteOutbox;
  readonly #upsertAll: (
    sourceId: string,
    articles: readonly Article[],
    now: string,
    options: UpsertOptions,
  ) => UpsertResult;
  readonly #dropAll: (sourceId: string, policy: RetentionPolicy, nowMs: number) => number;
  readonly #mergeStatus: (sourceId: string, patch: StatusPatch) => void;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#sql = prepareStatements(db);
    this.#outbox = new SqliteOutbox(db);
    this.#outbox.releaseClaims();
    this.#upsertAll = db.transaction(this.#upsertEach.bind(this));
    this.#dropAll = db.transaction(this.#drop.bind(this));
    this.#mergeStatus = db.transaction(this.#putStatus.bind(this));
  }

  upsertArticles(
    sourceId: string,
    articles: readonly Article[],
    now: string,
    options: UpsertOptions = {},
  ): UpsertResult {
    const seenAt = toInstant(now, 'now');
    for (const article of articles) checkArticle(article);
    return this.#upsertAll(sourceId, articles, seenAt, options);
  }

  #upsertEach(
    sourceId: string,
    articles: readonly Article[],
    now: string,
    options: UpsertOptions,
  ): UpsertResult {
    const result = { added: 0, updated: 0, unchanged: 0 };
    const changes = new ChangeCollector();
    for (const incoming of articles) {
      const row = this.#sql.getArticle.get(sourceId, incoming.id);
      if (!row) {
        this.#sql.insertArticle.run(articleValues(sourceId, incoming, contentHash(incoming), now));
        changes.record({ article: incoming, change: 'new', firstSeen: now, updatedAt: now });
        result.added++;
        continue;
      }
      const merged = mergeArticle(JSON.parse(row.article) as Article, incoming);
      const hash = contentHash(merged);
      if (hash === row.content_hash) {
        this.#sql.touchArticle.run(now, sourceId, incoming.id);
        result.unchanged++;
      } else {
        this.#sql.replaceArticle.run(articleValues(sourceId, merged, hash, now));
        changes.record({ article: merged, change: 'edited', firstSeen: row.first_seen, updatedAt: now });
        result.updated++;
      }
    }
    // In this transaction: the entries are stored with the articles, or neither is.
    this.#outbox.write(planOutbox(changes.list(), options.outbox, now));
    return { ...result, changed: result.added + result.updated > 0 };
  }

  listArticles(sourceId: string, options: ListOptions = {}): StoredArticle[] {
    const limit = options.limit ?? DEFAULT_LIMIT;
    checkLimit(limit);
    if (options.q === undefined || options.q === '') {
      return this.#sql.listArticles.all(sourceId, limit).map(toStoredArticle);
    }
    const q = fold(options.q);
    const match = searchMatch(q);
    const rows = match
      ? this.#sql.searchArticles.all({ source_id: sourceId, q, match, limit })
      : this.#sql.scanArticles.all({ source_id: sourceId, q, limit });
    return rows.map(toStoredArticle);
  }

  getArticle(sourceId: string, id: string): StoredArticle | undefined {
    const row = this.#sql.getArticle.get(sourceId, id);
    return row && toStoredArticle(row);
  }

  countArticles(sourceId: string): number {
    return this.#sql.countArticles.get(sourceId) ?? 0;
  }

  listPublishedBetween(sourceId: string, fromMs: number, toMs: number): StoredArticle[] {
    checkRange(fromMs, toMs);
    return this.#sql.listPublishedBetween.all(sourceId, fromMs, toMs).map(toStoredArticle);
  }

  countPublishedSince(sourceId: string, fromMs: number): number {
    checkRange(fromMs);
    return this.#sql.countPublishedSince.get(sourceId, fromMs) ?? 0;
  }

  latestPublishedBefore(sourceId: string, beforeMs: number): number | undefined {
    checkRange(beforeMs);
    return this.#sql.latestPublishedBefore.get(sourceId, beforeMs) ?? undefined;
  }

  applyRetention(sourceId: string, policy: RetentionPolicy, now: string): number {
    const nowMs = Date.parse(toInstant(now, 'now'));
    checkPolicy(policy);
    return this.#dropAll(sourceId, policy, nowMs);
  }

  #drop(sourceId: string, { maxArticles, maxAgeMs }: RetentionPolicy, nowMs: number): number {
    let dropped = 0;
    if (maxAgeMs !== undefined)
      dropped += this.#sql.deletePublishedBefore.run(sourceId, nowMs - maxAgeMs).changes;
    if (maxArticles !== undefined) {
      dropped += this.#sql.deleteBeyondNewest.run({ source_id: sourceId, keep: maxArticles }).changes;
    }
    return dropped;
  }

  getStatus(sourceId: string): SourceStatus {
    const row = this.#sql.getStatus.get(sourceId);
    const status: Record<string, unknown> = { sourceId, consecutiveFailures: 0 };
    for (const [key, column] of Object.entries(STATUS_COLUMNS)) {
      const value = row?.[column];
      if (value !== undefined && value !== null) status[key] = value;
    }
    status.articleCount = this.countArticles(sourceId);
    return status as unknown as SourceStatus;
  }

  updateStatus(sourceId: string, patch: StatusPatch): void {
    checkStatusPatch(patch, Object.keys(STATUS_COLUMNS));
    this.#mergeStatus(sourceId, patch);
  }

  /** A key present in the patch replaces the stored value (`undefined` clears it); absent keys keep theirs. */
  #putStatus(sourceId: string, patch: StatusPatch): void {
    const stored = this.#sql.getStatus.get(sourceId);
    const row: Record<string, unknown> = { source_id: sourceId };
    for (const [key, column] of Object.entries(STATUS_COLUMNS)) {
      row[column] = Object.hasOwn(patch, key) ? patch[key as keyof StatusPatch] : stored?.[column];
      row[column] ??= column === 'consecutive_failures' ? 0 : null;
    }
    this.#sql.putStatus.run(row as StatusRow & { source_id: string });
  }

  claimDeliveries(options: { limit: number; leaseMs: number }): ClaimedDelivery[] {
    return this.#outbox.claim(options);
  }

  completeDelivery(delivery: DeliveryClaim, at: string): void {
    this.#outbox.complete(delivery.key, at);
  }

  failDelivery(delivery: DeliveryClaim, failure: DeliveryFailure): void {
    this.#outbox.fail(delivery.key, delivery.token, failure);
  }

  deliveryStatus(): DestinationStatus[] {
    return this.#outbox.status();
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

function articleValues(sourceId: string, article: Article, hash: string, now: string): ArticleValues {
  const publishedMs = Date.parse(article.publishedAt);
  return {
    source_id: sourceId,
    id: article.id,
    article: JSON.stringify(article),
    published_at: Number.isNaN(publishedMs) ? null : publishedMs,
    content_hash: hash,
    title: fold(article.title),
    content_text: fold(article.contentText),
    now,
  };
}

function toStoredArticle(row: ArticleRow): StoredArticle {
  return {
    article: JSON.parse(row.article) as Article,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    updatedAt: row.updated_at,
    contentHash: row.content_hash,
  };
}

/** Case folding for search; SQLite's own lower() only knows ASCII. */
function fold(text: string): string {
  return text.toLowerCase();
}
