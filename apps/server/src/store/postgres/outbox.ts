import { randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import {
  type ClaimedDelivery,
  checkClaimOptions,
  type DeliveryClaim,
  type DeliveryFailure,
  type DeliveryItem,
  type DestinationStatus,
  FAILED_ENTRIES_KEPT,
  type OutboxEntry,
} from '../outbox.js';
import { toInstant } from '../validate.js';

/** Now on the database's clock, in epoch ms: claims expire by it, on every instance alike. */
const NOW_MS = '(SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint)';

interface ClaimedRow {
  key: string;
  destination: string;
  feed_id: string;
  created_at: string;
  items: string;
  attempts: number;
  claim_token: string;
  next_attempt_at: string;
  seq: string;
}

interface StatusRow {
  destination: string;
  pending: number;
  failed: number;
  delivered: number | null;
  last_success_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  consecutive_failures: number | null;
}

/** The outbox in the `outbox` and `delivery_status` tables (migrations.ts); see store/outbox.ts. */
export class PostgresOutbox {
  readonly #pool: Pool;
  readonly #instanceId: string;

  constructor(pool: Pool, instanceId: string) {
    this.#pool = pool;
    this.#instanceId = instanceId;
  }

  /** Inside the caller's transaction (the upsert's): stored with the articles, or not at all. */
  static async write(client: PoolClient, entries: readonly OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await client.query(
      `INSERT INTO outbox (key, destination, feed_id, created_at, items, next_attempt_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])`,
      [
        entries.map((entry) => entry.key),
        entries.map((entry) => entry.destination),
        entries.map((entry) => entry.feedId),
        entries.map((entry) => entry.createdAt),
        entries.map((entry) => JSON.stringify(entry.items)),
        entries.map((entry) => Date.parse(entry.createdAt)),
      ],
    );
  }

  /**
   * Due waiting entries and claims whose lease ran out, oldest first, claimed in one statement.
   * SKIP LOCKED: instances claiming at once each get other entries, none waits for another.
   */
  async claim(options: { limit: number; leaseMs: number }): Promise<ClaimedDelivery[]> {
    checkClaimOptions(options);
    const tokenPrefix = `${this.#instanceId}:${randomBytes(9).toString('hex')}`;
    const { rows } = await this.#pool.query<ClaimedRow>(
      `WITH due AS (
         SELECT seq FROM outbox
         WHERE (state = 'pending' AND next_attempt_at <= ${NOW_MS})
            OR (state = 'sending' AND claimed_until <= ${NOW_MS})
         ORDER BY next_attempt_at, seq
         LIMIT $1
         FOR UPDATE SKIP LOCKED
       )
       UPDATE outbox SET state = 'sending', attempts = attempts + 1,
         claim_token = $2 || ':' || outbox.seq, claimed_until = ${NOW_MS} + $3
       FROM due WHERE outbox.seq = due.seq
       RETURNING key, destination, feed_id, created_at, items, attempts, claim_token, next_attempt_at, outbox.seq`,
      [options.limit, tokenPrefix, Math.ceil(options.leaseMs)],
    );
    return rows
      .sort((a, b) => compareBigints(a.next_attempt_at, b.next_attempt_at) || compareBigints(a.seq, b.seq))
      .map((row) => ({
        key: row.key,
        destination: row.destination,
        feedId: row.feed_id,
        createdAt: row.created_at,
        items: JSON.parse(row.items) as DeliveryItem[],
        attempts: row.attempts,
        token: row.claim_token,
      }));
  }

  /** Removes the entry (whichever claim delivered it) and counts the success, in one statement. */
  async complete(delivery: DeliveryClaim, at: string): Promise<void> {
    await this.#pool.query(
      `WITH done AS (DELETE FROM outbox WHERE key = $1 RETURNING destination)
       INSERT INTO delivery_status (destination, delivered, last_success_at, consecutive_failures)
       SELECT destination, 1, $2, 0 FROM done
       ON CONFLICT (destination) DO UPDATE SET delivered = delivery_status.delivered + 1,
         last_success_at = excluded.last_success_at, consecutive_failures = 0`,
      [delivery.key, toInstant(at, 'at')],
    );
  }

  /** Puts the entry back for retryAt, or keeps it as failed; only while `delivery` is its newest claim. */
  async fail(delivery: DeliveryClaim, failure: DeliveryFailure): Promise<void> {
    const at = toInstant(failure.at, 'at');
    const retryAt = failure.retryAt === undefined ? undefined : toInstant(failure.retryAt, 'retryAt');
    const { rowCount } = await this.#pool.query(
      `WITH failed AS (
         UPDATE outbox SET state = CASE WHEN $5::bigint IS NULL THEN 'failed' ELSE 'pending' END,
           next_attempt_at = coalesce($5::bigint, $6::bigint), claim_token = NULL, claimed_until = NULL,
           last_error = $3, last_attempt_at = $4
         WHERE key = $1 AND state = 'sending' AND claim_token = $2
         RETURNING destination
       )
       INSERT INTO delivery_status (destination, last_error, last_error_at, consecutive_failures)
       SELECT destination, $3, $4, 1 FROM failed
       ON CONFLICT (destination) DO UPDATE SET last_error = excluded.last_error,
         last_error_at = excluded.last_error_at,
         consecutive_failures = delivery_status.consecutive_failures + 1`,
      [
        delivery.key,
        delivery.token,
        String(failure.error),
        at,
        retryAt === undefined ? null : Date.parse(retryAt),
        Date.parse(at),
      ],
    );
    if (rowCount === 1 && retryAt === undefined) {
      // Given up: keep only the newest failed entries, so a destination gone for good cannot fill the table.
      await this.#pool.query(
        `DELETE FROM outbox WHERE state = 'failed' AND seq NOT IN (
           SELECT seq FROM outbox WHERE state = 'failed' ORDER BY next_attempt_at DESC, seq DESC LIMIT $1)`,
        [FAILED_ENTRIES_KEPT],
      );
    }
  }

  /** Per destination: its entries by state, and its record (one statement, one snapshot). */
  async status(): Promise<DestinationStatus[]> {
    const { rows } = await this.#pool.query<StatusRow>(
      `SELECT coalesce(counts.destination, record.destination) AS destination,
              coalesce(counts.pending, 0)::int AS pending, coalesce(counts.failed, 0)::int AS failed,
              record.delivered, record.last_success_at, record.last_error, record.last_error_at,
              record.consecutive_failures
       FROM (SELECT destination, count(*) FILTER (WHERE state <> 'failed') AS pending,
                    count(*) FILTER (WHERE state = 'failed') AS failed
             FROM outbox GROUP BY destination) AS counts
       FULL JOIN delivery_status AS record ON record.destination = counts.destination`,
    );
    return rows
      .map((row) => {
        const status: DestinationStatus = {
          destination: row.destination,
          pending: row.pending,
          failed: row.failed,
          delivered: row.delivered ?? 0,
          consecutiveFailures: row.consecutive_failures ?? 0,
        };
        if (row.last_success_at !== null) status.lastSuccessAt = row.last_success_at;
        if (row.last_error !== null) status.lastError = row.last_error;
        if (row.last_error_at !== null) status.lastErrorAt = row.last_error_at;
        return status;
      })
      .sort((a, b) => (a.destination < b.destination ? -1 : 1));
  }
}

/** bigint columns come back as decimal strings. */
function compareBigints(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}
