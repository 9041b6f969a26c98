import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  type ClaimedDelivery,
  checkClaimOptions,
  type DeliveryFailure,
  type DeliveryItem,
  type DestinationStatus,
  DestinationTally,
  FAILED_ENTRIES_KEPT,
  type OutboxEntry,
} from './outbox.js';
import { toInstant } from './validate.js';

interface EntryRow {
  key: string;
  destination: string;
  feed_id: string;
  created_at: string;
  items: string;
  attempts: number;
}

interface CountRow {
  destination: string;
  pending: number;
  failed: number;
}

interface StatusRow {
  destination: string;
  delivered: number;
  last_success_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  consecutive_failures: number;
}

/** The outbox in the `outbox` and `delivery_status` tables (schema.ts, migration 3); see outbox.ts. */
export class SqliteOutbox {
  readonly #insert: Database.Statement<[Record<string, unknown>]>;
  readonly #due: Database.Statement<[{ now: number; limit: number }], EntryRow>;
  readonly #take: Database.Statement<[{ key: string; token: string; until: number }]>;
  readonly #remove: Database.Statement<[string]>;
  readonly #putBack: Database.Statement<[Record<string, unknown>]>;
  readonly #giveUp: Database.Statement<[Record<string, unknown>]>;
  readonly #prune: Database.Statement<[number]>;
  readonly #destinationOf: Database.Statement<[string], string>;
  readonly #succeeded: Database.Statement<[{ destination: string; at: string }]>;
  readonly #failed: Database.Statement<[{ destination: string; error: string; at: string }]>;
  readonly #counts: Database.Statement<[], CountRow>;
  readonly #statuses: Database.Statement<[], StatusRow>;
  readonly #release: Database.Statement<[]>;
  readonly #claimAll: (now: number, limit: number, leaseMs: number) => ClaimedDelivery[];
  readonly #completeOne: (key: string, at: string) => void;
  readonly #failOne: (key: string, token: string, failure: DeliveryFailure) => void;

  constructor(db: Database.Database) {
    this.#insert = db.prepare(
      `INSERT INTO outbox (key, destination, feed_id, created_at, items, next_attempt_at)
       VALUES (@key, @destination, @feed_id, @created_at, @items, @due)`,
    );
    // Due waiting entries, and claims whose lease ran out (their sender died or hangs): oldest first.
    this.#due = db.prepare(
      `SELECT key, destination, feed_id, created_at, items, attempts FROM outbox
       WHERE (state = 'pending' AND next_attempt_at <= @now) OR (state = 'sending' AND claimed_until <= @now)
       ORDER BY next_attempt_at, seq LIMIT @limit`,
    );
    this.#take = db.prepare(
      `UPDATE outbox SET state = 'sending', attempts = attempts + 1, claim_token = @token, claimed_until = @until
       WHERE key = @key`,
    );
    this.#remove = db.prepare('DELETE FROM outbox WHERE key = ?');
    this.#putBack = db.prepare(
      `UPDATE outbox SET state = 'pending', next_attempt_at = @retry_at, claim_token = NULL, claimed_until = NULL,
         last_error = @error, last_attempt_at = @at
       WHERE key = @key AND state = 'sending' AND claim_token = @token`,
    );
    this.#giveUp = db.prepare(
      `UPDATE outbox SET state = 'failed', next_attempt_at = @at_ms, claim_token = NULL, claimed_until = NULL,
         last_error = @error, last_attempt_at = @at
       WHERE key = @key AND state = 'sending' AND claim_token = @token`,
    );
    this.#prune = db.prepare(
      `DELETE FROM outbox WHERE state = 'failed' AND seq NOT IN (
         SELECT seq FROM outbox WHERE state = 'failed' ORDER BY next_attempt_at DESC, seq DESC LIMIT ?)`,
    );
    this.#destinationOf = db
      .prepare<[string], string>('SELECT destination FROM outbox WHERE key = ?')
      .pluck();
    this.#succeeded = db.prepare(
      `INSERT INTO delivery_status (destination, delivered, last_success_at, consecutive_failures)
       VALUES (@destination, 1, @at, 0)
       ON CONFLICT (destination) DO UPDATE SET delivered = delivered + 1, last_success_at = @at,
         consecutive_failures = 0`,
    );
    this.#failed = db.prepare(
      `INSERT INTO delivery_status (destination, last_error, last_error_at, consecutive_failures)
       VALUES (@destination, @error, @at, 1)
       ON CONFLICT (destination) DO UPDATE SET last_error = @error, last_error_at = @at,
         consecutive_failures = consecutive_failures + 1`,
    );
    this.#counts = db.prepare(
      `SELECT destination, sum(state != 'failed') AS pending, sum(state = 'failed') AS failed
       FROM outbox GROUP BY destination`,
    );
    this.#statuses = db.prepare('SELECT * FROM delivery_status');
    this.#release = db.prepare(
      `UPDATE outbox SET state = 'pending', claim_token = NULL, claimed_until = NULL WHERE state = 'sending'`,
    );
    this.#claimAll = db.transaction((now: number, limit: number, leaseMs: number) =>
      this.#due.all({ now, limit }).map((row): ClaimedDelivery => {
        const token = randomUUID();
        this.#take.run({ key: row.key, token, until: now + leaseMs });
        return {
          key: row.key,
          destination: row.destination,
          feedId: row.feed_id,
          createdAt: row.created_at,
          items: JSON.parse(row.items) as DeliveryItem[],
          attempts: row.attempts + 1,
          token,
        };
      }),
    );
    this.#completeOne = db.transaction((key: string, at: string) => {
      const destination = this.#destinationOf.get(key);
      if (destination === undefined) return;
      this.#remove.run(key);
      this.#succeeded.run({ destination, at });
    });
    this.#failOne = db.transaction((key: string, token: string, failure: DeliveryFailure) => {
      const destination = this.#destinationOf.get(key);
      if (destination === undefined) return;
      const values = { key, token, error: failure.error, at: failure.at };
      const changed =
        failure.retryAt === undefined
          ? this.#giveUp.run({ ...values, at_ms: Date.parse(failure.at) }).changes
          : this.#putBack.run({ ...values, retry_at: Date.parse(failure.retryAt) }).changes;
      if (changed === 0) return; // the claim was taken over, or the entry is done
      this.#failed.run({ destination, error: failure.error, at: failure.at });
      if (failure.retryAt === undefined) this.#prune.run(FAILED_ENTRIES_KEPT);
    });
  }

  /** Inside the caller's transaction (the upsert's). */
  write(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) {
      this.#insert.run({
        key: entry.key,
        destination: entry.destination,
        feed_id: entry.feedId,
        created_at: entry.createdAt,
        items: JSON.stringify(entry.items),
        due: Date.parse(entry.createdAt),
      });
    }
  }

  claim(options: { limit: number; leaseMs: number }): ClaimedDelivery[] {
    checkClaimOptions(options);
    return this.#claimAll(Date.now(), options.limit, Math.ceil(options.leaseMs));
  }

  complete(key: string, at: string): void {
    this.#completeOne(key, toInstant(at, 'at'));
  }

  fail(key: string, token: string, failure: DeliveryFailure): void {
    this.#failOne(key, token, {
      error: String(failure.error),
      at: toInstant(failure.at, 'at'),
      ...(failure.retryAt !== undefined && { retryAt: toInstant(failure.retryAt, 'retryAt') }),
    });
  }

  status(): DestinationStatus[] {
    const tally = new DestinationTally();
    for (const row of this.#counts.all())
      Object.assign(tally.of(row.destination), {
        pending: row.pending,
        failed: row.failed,
      });
    for (const row of this.#statuses.all()) {
      const status = tally.of(row.destination);
      status.delivered = row.delivered;
      status.consecutiveFailures = row.consecutive_failures;
      if (row.last_success_at !== null) status.lastSuccessAt = row.last_success_at;
      if (row.last_error !== null) status.lastError = row.last_error;
      if (row.last_error_at !== null) status.lastErrorAt = row.last_error_at;
    }
    return tally.list();
  }

  /**
   * SQLite serves one process: claims left in the file were a previous process's, which died
   * mid-send (or was killed). They are due again at once, under their keys.
   */
  releaseClaims(): number {
    return this.#release.run().changes;
  }
}
