import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Article } from '@tidings/parser';
import type { ClientConfig, Pool, PoolClient, QueryResultRow } from 'pg';
import pino from 'pino';
import { StoreError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Backend, RefreshLease } from '../backend.js';
import {
  type ClaimedDelivery,
  type DeliveryClaim,
  type DeliveryFailure,
  type DestinationStatus,
  planOutbox,
  type UpsertOptions,
} from '../outbox.js';
import { STATUS_COLUMNS } from '../statements.js';
import type { ListOptions, RetentionPolicy, SourceStatus, StoredArticle, UpsertResult } from '../types.js';
import { redactedUrl } from '../url.js';
import {
  checkArticle,
  checkLeaseTimes,
  checkLimit,
  checkPolicy,
  checkRange,
  checkStatusPatch,
  type StatusPatch,
  toInstant,
} from '../validate.js';
import { cannotConnect, clientConfig, createPool, isConnectionError, reasonOf } from './connect.js';
import { acquireLease, holdsLease, type LeaseClaim, PostgresLease } from './lease.js';
import { migrate } from './migrations.js';
import { CHANGES_CHANNEL, ChangeListener } from './notices.js';
import { PostgresOutbox } from './outbox.js';
import {
  ARTICLE_COLUMNS,
  boundMs,
  foldForSearch,
  NEWEST_FIRST,
  type SelectedArticle,
  toStoredArticle,
} from './rows.js';
import { inTransaction } from './transaction.js';
import { planUpsert, type StoredRow } from './upsert-plan.js';

const DEFAULT_LIMIT = 50;
/** Asking again sooner than this after a 'held' refusal only costs round trips. */
const MIN_HELD_RETRY_MS = 50;

export interface PostgresBackendOptions {
  logger?: Logger;
  /** Names this instance in lease tokens and connection names. Default `<hostname>:<pid>`. */
  instanceId?: string;
}

/**
 * Connects (a pool, and a connection for change notices), applies the migrations the database
 * lacks (migrations.ts) and listens for changes.
 *
 * @throws {StoreError} `cannot-connect` when PostgreSQL cannot be reached now, `newer-schema`
 */
export async function openPostgresBackend(
  url: string,
  options: PostgresBackendOptions = {},
): Promise<PostgresBackend> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const instanceId = options.instanceId ?? `${hostname()}:${process.pid}`;
  const name = `tidings:${instanceId}`;
  const pool = createPool(url, name);
  // Without a listener an idle connection's error (PostgreSQL restarting) would crash the process.
  pool.on('error', (error) => logger.warn({ err: error }, 'PostgreSQL pool connection error'));
  let backend: PostgresBackend | undefined;
  try {
    const applied = await migrate(pool, redactedUrl(url));
    if (applied.length > 0) logger.info({ versions: applied }, 'PostgreSQL schema migrated');
    backend = new PostgresBackend(pool, { logger, instanceId });
    await backend.listen(clientConfig(url, `${name}:changes`));
    return backend;
  } catch (error) {
    await (backend?.close() ?? pool.end().catch(() => undefined));
    if (error instanceof StoreError) throw error;
    if (isConnectionError(error)) throw cannotConnect(url, error);
    throw new StoreError(
      'cannot-open',
      `Cannot prepare the database at ${redactedUrl(url)}: ${reasonOf(error)}. ` +
        'Check that the user may create tables in it (Tidings applies its migrations at start).',
      { cause: error },
    );
  }
}

/** Several instances sharing one PostgreSQL: the schema is in migrations.ts. */
export class PostgresBackend implements Backend {
  readonly kind = 'postgres';
  readonly #pool: Pool;
  readonly #logger: Logger;
  readonly #instanceId: string;
  readonly #outbox: PostgresOutbox;
  readonly #listeners: ((sourceId: string) => void)[] = [];
  readonly #leases = new Set<PostgresLease>();
  #changes: ChangeListener | undefined;
  /** Why the last query could not reach PostgreSQL; cleared by the next that did. */
  #failure: string | undefined;
  #closed = false;

  constructor(pool: Pool, settings: { logger: Logger; instanceId: string }) {
    this.#pool = pool;
    this.#logger = settings.logger;
    this.#instanceId = settings.instanceId;
    this.#outbox = new PostgresOutbox(pool, settings.instanceId);
  }

  /** Starts the change-notice connection (openPostgresBackend does). */
  async listen(config: ClientConfig): Promise<void> {
    this.#changes = new ChangeListener({
      config,
      logger: this.#logger,
      onNotice: (sourceId) => this.#notify(sourceId),
      onReconnected: () => void this.#notifyAllSources(),
    });
    await this.#changes.start();
  }

  /**
   * Reads the stored copies (locked), merges in TypeScript exactly as the SQLite store does, and
   * writes articles and outbox entries in the same transaction, which with a lease first checks
   * that the lease still holds the source.
   */
  async upsertArticles(
    sourceId: string,
    articles: readonly Article[],
    now: string,
    lease?: RefreshLease,
    options: UpsertOptions = {},
  ): Promise<UpsertResult> {
    const seenAt = toInstant(now, 'now');
    for (const article of articles) checkArticle(article);
    const claim = claimOf(sourceId, lease);
    if (articles.length === 0 && !claim) return { added: 0, updated: 0, unchanged: 0, changed: false };

    return this.#transaction(async (client) => {
      if (claim && !(await holdsLease(client, claim))) throw fencedOut(claim);
      if (articles.length === 0) return { added: 0, updated: 0, unchanged: 0, changed: false };
      const ids = [...new Set(articles.map((article) => article.id))];
      const { rows } = await client.query<StoredRow & { id: string }>(
        `SELECT id, article, first_seen, content_hash FROM articles
         WHERE source_id = $1 AND id = ANY($2::text[]) FOR UPDATE`,
        [sourceId, ids],
      );
      const plan = planUpsert(articles, new Map(rows.map((row) => [row.id, row])), seenAt);
      if (plan.writes.length > 0) {
        const { writes } = plan;
        await client.query(
          `INSERT INTO articles (source_id, id, article, published_at, first_seen, last_seen, updated_at,
             content_hash, title, content_text)
           SELECT $1, w.id, w.article, w.published_at, w.first_seen, $2, $2, w.content_hash, w.title, w.content_text
           FROM unnest($3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[])
             AS w (id, article, published_at, first_seen, content_hash, title, content_text)
           ON CONFLICT (source_id, id) DO UPDATE SET article = excluded.article,
             published_at = excluded.published_at, last_seen = excluded.last_seen,
             updated_at = excluded.updated_at, content_hash = excluded.content_hash,
             title = excluded.title, content_text = excluded.content_text`,
          [
            sourceId,
            seenAt,
            writes.map((row) => row.id),
            writes.map((row) => row.article),
            writes.map((row) => row.published_at),
            writes.map((row) => row.first_seen),
            writes.map((row) => row.content_hash),
            writes.map((row) => row.title),
            writes.map((row) => row.content_text),
          ],
        );
      }
      if (plan.touched.length > 0) {
        await client.query(
          'UPDATE articles SET last_seen = $2 WHERE source_id = $1 AND id = ANY($3::text[])',
          [sourceId, seenAt, plan.touched],
        );
      }
      // In this transaction: the entries are stored with the articles, or neither is.
      await PostgresOutbox.write(client, planOutbox(plan.changes, options.outbox, seenAt));
      return plan.result;
    });
  }

  async listArticles(sourceId: string, options: ListOptions = {}): Promise<StoredArticle[]> {
    const limit = options.limit ?? DEFAULT_LIMIT;
    checkLimit(limit);
    if (limit === 0) return [];
    if (options.q === undefined || options.q === '') {
      return this.#articles(
        `SELECT ${ARTICLE_COLUMNS} FROM articles WHERE source_id = $1 ${NEWEST_FIRST} LIMIT $2`,
        [sourceId, limit],
      );
    }
    // strpos on folded copies: the keyword is matched literally, never as a LIKE or regex pattern.
    return this.#articles(
      `SELECT ${ARTICLE_COLUMNS} FROM articles
       WHERE source_id = $1 AND (strpos(title, $2) > 0 OR strpos(content_text, $2) > 0)
       ${NEWEST_FIRST} LIMIT $3`,
      [sourceId, foldForSearch(options.q), limit],
    );
  }

  async getArticles(sourceId: string, ids: readonly string[]): Promise<Map<string, StoredArticle>> {
    if (ids.length === 0) return new Map();
    const { rows } = await this.#query<SelectedArticle & { id: string }>(
      `SELECT id, ${ARTICLE_COLUMNS} FROM articles WHERE source_id = $1 AND id = ANY($2::text[])`,
      [sourceId, [...ids]],
    );
    return new Map(rows.map((row) => [row.id, toStoredArticle(row)]));
  }

  async countArticles(sourceId: string): Promise<number> {
    const { rows } = await this.#query<{ count: number }>(
      'SELECT count(*)::int AS count FROM articles WHERE source_id = $1',
      [sourceId],
    );
    return rows[0]?.count ?? 0;
  }

  async listPublishedBetween(sourceId: string, fromMs: number, toMs: number): Promise<StoredArticle[]> {
    checkRange(fromMs, toMs);
    return this.#articles(
      `SELECT ${ARTICLE_COLUMNS} FROM articles
       WHERE source_id = $1 AND published_at >= $2::bigint AND published_at < $3::bigint ${NEWEST_FIRST}`,
      [sourceId, boundMs(fromMs), boundMs(toMs)],
    );
  }

  async countPublishedSince(sourceId: string, fromMs: number): Promise<number> {
    checkRange(fromMs);
    const { rows } = await this.#query<{ count: number }>(
      'SELECT count(*)::int AS count FROM articles WHERE source_id = $1 AND published_at >= $2::bigint',
      [sourceId, boundMs(fromMs)],
    );
    return rows[0]?.count ?? 0;
  }

  async latestPublishedBefore(sourceId: string, beforeMs: number): Promise<number | undefined> {
    checkRange(beforeMs);
    const { rows } = await this.#query<{ latest: number | null }>(
      `SELECT max(published_at)::float8 AS latest FROM articles
       WHERE source_id = $1 AND published_at < $2::bigint`,
      [sourceId, boundMs(beforeMs)],
    );
    return rows[0]?.latest ?? undefined;
  }

  /** Deletes what the policy says in one transaction, fenced like upsertArticles. */
  async applyRetention(
    sourceId: string,
    { maxArticles, maxAgeMs }: RetentionPolicy,
    now: string,
    lease?: RefreshLease,
  ): Promise<number> {
    const nowMs = Date.parse(toInstant(now, 'now'));
    checkPolicy({ maxArticles, maxAgeMs });
    const claim = claimOf(sourceId, lease);
    if (maxArticles === undefined && maxAgeMs === undefined && !claim) return 0;
    return this.#transaction(async (client) => {
      if (claim && !(await holdsLease(client, claim))) throw fencedOut(claim);
      let dropped = 0;
      if (maxAgeMs !== undefined) {
        const old = await client.query(
          'DELETE FROM articles WHERE source_id = $1 AND published_at < $2::bigint',
          [sourceId, boundMs(nowMs - maxAgeMs)],
        );
        dropped += old.rowCount ?? 0;
      }
      if (maxArticles !== undefined) {
        const beyond = await client.query(
          `DELETE FROM articles WHERE source_id = $1 AND id NOT IN (
             SELECT id FROM articles WHERE source_id = $1 ${NEWEST_FIRST} LIMIT $2)`,
          [sourceId, maxArticles],
        );
        dropped += beyond.rowCount ?? 0;
      }
      return dropped;
    });
  }

  async getStatus(sourceId: string): Promise<SourceStatus> {
    const { rows } = await this.#query<Record<string, unknown>>(
      `SELECT status.*, (SELECT count(*)::int FROM articles WHERE source_id = $1) AS article_count
       FROM (SELECT $1::text AS id) AS asked LEFT JOIN source_status AS status ON status.source_id = asked.id`,
      [sourceId],
    );
    const row = rows[0] ?? {};
    const status: Record<string, unknown> = { sourceId, consecutiveFailures: 0 };
    for (const [key, column] of Object.entries(STATUS_COLUMNS)) {
      const value = row[column];
      if (value !== undefined && value !== null) status[key] = value;
    }
    status.articleCount = row.article_count ?? 0;
    return status as unknown as SourceStatus;
  }

  /** One statement: the keys present in the patch are set (or cleared), the others kept. */
  async updateStatus(sourceId: string, patch: StatusPatch): Promise<void> {
    checkStatusPatch(patch, Object.keys(STATUS_COLUMNS));
    const entries = Object.entries(STATUS_COLUMNS).filter(([key]) => Object.hasOwn(patch, key));
    const columns = entries.map(([, column]) => column);
    const values = entries.map(([key, column]) => {
      const value = patch[key as keyof StatusPatch] ?? null;
      return value === null && column === 'consecutive_failures' ? 0 : value;
    });
    const placeholders = columns.map((_, index) => `$${index + 2}`);
    const onConflict =
      columns.length === 0
        ? 'DO NOTHING'
        : `DO UPDATE SET ${columns.map((column) => `${column} = excluded.${column}`).join(', ')}`;
    await this.#query(
      `INSERT INTO source_status (source_id${columns.map((column) => `, ${column}`).join('')})
       VALUES ($1${placeholders.map((placeholder) => `, ${placeholder}`).join('')})
       ON CONFLICT (source_id) ${onConflict}`,
      [sourceId, ...values],
    );
  }

  async acquireRefresh(
    sourceId: string,
    options: { ttlMs: number; freshForMs: number },
  ): Promise<{ lease: RefreshLease } | { refused: 'held' | 'fresh'; retryInMs: number }> {
    checkLeaseTimes(options);
    const ttlMs = Math.ceil(options.ttlMs);
    const token = `${this.#instanceId}:${randomBytes(12).toString('hex')}`;
    const decision = await this.#tracked(() =>
      acquireLease(this.#pool, sourceId, token, ttlMs, Math.ceil(options.freshForMs)),
    );
    if (!decision.granted) {
      const retryInMs =
        decision.refused === 'held' ? Math.max(decision.retryInMs, MIN_HELD_RETRY_MS) : decision.retryInMs;
      return { refused: decision.refused, retryInMs };
    }
    const lease = new PostgresLease(
      { sourceId, fence: decision.fence, token, ttlMs },
      { pool: this.#pool, logger: this.#logger, onReleased: (released) => this.#leases.delete(released) },
    );
    this.#leases.add(lease);
    return { lease };
  }

  claimDeliveries(options: { limit: number; leaseMs: number }): Promise<ClaimedDelivery[]> {
    return this.#tracked(() => this.#outbox.claim(options));
  }

  completeDelivery(delivery: DeliveryClaim, at: string): Promise<void> {
    return this.#tracked(() => this.#outbox.complete(delivery, at));
  }

  failDelivery(delivery: DeliveryClaim, failure: DeliveryFailure): Promise<void> {
    return this.#tracked(() => this.#outbox.fail(delivery, failure));
  }

  deliveryStatus(): Promise<DestinationStatus[]> {
    return this.#tracked(() => this.#outbox.status());
  }

  async publishChange(sourceId: string): Promise<void> {
    await this.#query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, sourceId]);
  }

  /** Notices arrive on the listening connection, this instance's own included. */
  onChange(listener: (sourceId: string) => void): void {
    this.#listeners.push(listener);
  }

  /**
   * What the connections last said: the change-notice connection drops the moment PostgreSQL
   * goes away, and a query that could not reach it is remembered until one does.
   */
  unreachable(): string | undefined {
    if (this.#closed) return 'the backend is closed';
    return this.#changes?.down ?? this.#failure;
  }

  /** Releases the leases still held (so others need not wait for them to expire), then disconnects. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#leases].map((lease) => lease.release()));
    await this.#changes?.close();
    await this.#pool.end().catch(() => undefined);
  }

  async #articles(sql: string, values: unknown[]): Promise<StoredArticle[]> {
    const { rows } = await this.#query<SelectedArticle>(sql, values);
    return rows.map(toStoredArticle);
  }

  #query<Row extends QueryResultRow>(sql: string, values: unknown[] = []) {
    return this.#tracked(() => this.#pool.query<Row>(sql, values));
  }

  #transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return this.#tracked(() => inTransaction(this.#pool, work));
  }

  /** Runs `call`, remembering whether PostgreSQL could be reached, for `unreachable()`. */
  async #tracked<T>(call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      this.#failure = undefined;
      return result;
    } catch (error) {
      if (isConnectionError(error)) {
        this.#failure = `PostgreSQL cannot be reached (${reasonOf(error)})`;
      } else {
        this.#failure = undefined;
      }
      throw error;
    }
  }

  #notify(sourceId: string): void {
    for (const listener of this.#listeners) {
      try {
        listener(sourceId);
      } catch (error) {
        this.#logger.error({ err: error, sourceId }, 'A change listener threw');
      }
    }
  }

  /** After notices may have been missed: every source the database knows is told it changed. */
  async #notifyAllSources(): Promise<void> {
    try {
      const { rows } = await this.#query<{ source_id: string }>(
        'SELECT source_id FROM source_status UNION SELECT source_id FROM leases',
      );
      for (const row of rows) this.#notify(row.source_id);
    } catch (error) {
      this.#logger.warn({ err: error }, 'Could not list the sources after reconnecting');
    }
  }
}

/** The lease as a fenced write checks it; refuses a lease that is not this kind's or not this source's. */
function claimOf(sourceId: string, lease: RefreshLease | undefined): LeaseClaim | undefined {
  if (lease === undefined) return undefined;
  if (!(lease instanceof PostgresLease)) {
    throw new StoreError(
      'bad-lease',
      `The lease for ${lease.sourceId} was not granted by a PostgreSQL backend.`,
    );
  }
  if (lease.sourceId !== sourceId) {
    throw new StoreError('bad-lease', `A lease for ${lease.sourceId} cannot fence a write to ${sourceId}.`);
  }
  return lease.claim;
}

function fencedOut(claim: LeaseClaim): StoreError {
  return new StoreError(
    'fenced-out',
    `This instance lost the refresh lease for ${claim.sourceId} (fence ${claim.fence}): it expired or another ` +
      'instance holds a newer one, so nothing was written.',
  );
}
