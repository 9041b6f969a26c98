import type { Pool, PoolClient } from 'pg';
import type { Logger } from '../../logger.js';
import type { RefreshLease } from '../backend.js';
import { inTransaction } from './transaction.js';

// Refresh leases in the `leases` table (migrations.ts), one row per source: `fence` grows with
// every grant, `holder` and `expires_at` name the holder until its lease ends. Every time is the
// database's (clock_timestamp()), so instances with drifting clocks still agree on expiry and
// freshness.

/** Who is writing: the fence and token of the lease the write claims to hold. */
export interface LeaseClaim {
  sourceId: string;
  fence: number;
  token: string;
}

export type LeaseDecision =
  | { granted: true; fence: number }
  | { granted: false; refused: 'held' | 'fresh'; retryInMs: number };

const MS = (interval: string) => `(extract(epoch FROM ${interval}) * 1000)`;

/**
 * Grants the lease, in one transaction that locks the source's row: refused as 'fresh' when a
 * refresh completed less than `freshForMs` ago, as 'held' while an unexpired holder has it.
 */
export async function acquireLease(
  pool: Pool,
  sourceId: string,
  token: string,
  ttlMs: number,
  freshForMs: number,
): Promise<LeaseDecision> {
  return inTransaction(pool, async (client) => {
    await client.query('INSERT INTO leases (source_id) VALUES ($1) ON CONFLICT (source_id) DO NOTHING', [
      sourceId,
    ]);
    const { rows } = await client.query<{ since_ms: number | null; left_ms: number | null }>(
      `SELECT ${MS('clock_timestamp() - completed_at')}::float8 AS since_ms,
              CASE WHEN holder IS NOT NULL AND expires_at > clock_timestamp()
                   THEN ${MS('expires_at - clock_timestamp()')}::float8 END AS left_ms
       FROM leases WHERE source_id = $1 FOR UPDATE`,
      [sourceId],
    );
    const { since_ms: sinceMs, left_ms: leftMs } = rows[0] ?? { since_ms: null, left_ms: null };
    if (sinceMs !== null && sinceMs < freshForMs) {
      return { granted: false, refused: 'fresh', retryInMs: Math.ceil(freshForMs - sinceMs) };
    }
    if (leftMs !== null) return { granted: false, refused: 'held', retryInMs: Math.ceil(leftMs) };
    const granted = await client.query<{ fence: string }>(
      `UPDATE leases SET fence = fence + 1, holder = $2,
         expires_at = clock_timestamp() + $3 * interval '1 millisecond'
       WHERE source_id = $1 RETURNING fence`,
      [sourceId, token, ttlMs],
    );
    return { granted: true, fence: Number(granted.rows[0]?.fence) };
  });
}

/**
 * Whether `claim` still holds its source: the newest fence, its token, not expired. Run inside a
 * write's transaction; FOR SHARE keeps a grant from slipping in before that write commits.
 */
export async function holdsLease(client: PoolClient, claim: LeaseClaim): Promise<boolean> {
  const { rowCount } = await client.query(
    `SELECT 1 FROM leases
     WHERE source_id = $1 AND fence = $2 AND holder = $3 AND expires_at > clock_timestamp()
     FOR SHARE`,
    [claim.sourceId, claim.fence, claim.token],
  );
  return rowCount === 1;
}

interface LeaseContext {
  pool: Pool;
  logger: Logger;
  /** Called once when the lease is released, so the backend stops tracking it. */
  onReleased(lease: PostgresLease): void;
}

/**
 * A granted refresh lease. It renews itself every ttl/3 for as long as it is held; when a renewal
 * finds it expired or taken, the lease is lost and stops renewing (its fenced writes are then
 * refused by the database).
 */
export class PostgresLease implements RefreshLease {
  readonly sourceId: string;
  readonly fence: number;
  readonly #token: string;
  readonly #ttlMs: number;
  readonly #context: LeaseContext;
  #state: 'held' | 'lost' | 'released' = 'held';
  #renewal: NodeJS.Timeout | undefined;

  constructor(
    grant: { sourceId: string; fence: number; token: string; ttlMs: number },
    context: LeaseContext,
  ) {
    this.sourceId = grant.sourceId;
    this.fence = grant.fence;
    this.#token = grant.token;
    this.#ttlMs = grant.ttlMs;
    this.#context = context;
    this.#scheduleRenewal();
  }

  /** What a fenced write checks. */
  get claim(): LeaseClaim {
    return { sourceId: this.sourceId, fence: this.fence, token: this.#token };
  }

  /** True once a renewal found that another instance holds the source, or nobody does. */
  get lost(): boolean {
    return this.#state === 'lost';
  }

  /** Records the completion only while this lease still holds the source; else logs why not. */
  async complete(at: Date): Promise<void> {
    const ageMs = Math.max(0, Math.round(Date.now() - at.getTime()));
    const { rowCount } = await this.#context.pool.query(
      `UPDATE leases SET completed_at = clock_timestamp() - $4 * interval '1 millisecond'
       WHERE source_id = $1 AND fence = $2 AND holder = $3 AND expires_at > clock_timestamp()`,
      [this.sourceId, this.fence, this.#token, ageMs],
    );
    if (rowCount !== 1) {
      this.#context.logger.warn(
        { sourceId: this.sourceId, fence: this.fence },
        'Refresh completion not recorded: this instance no longer holds the lease',
      );
    }
  }

  /** Compare-and-clear: never frees a lease another instance has taken since. */
  async release(): Promise<void> {
    if (this.#state === 'released') return;
    this.#state = 'released';
    this.#stopRenewing();
    this.#context.onReleased(this);
    try {
      await this.#context.pool.query(
        'UPDATE leases SET holder = NULL, expires_at = NULL WHERE source_id = $1 AND holder = $2',
        [this.sourceId, this.#token],
      );
    } catch (error) {
      // The lease expires on its own after ttlMs; failing the caller's cleanup would help no one.
      this.#context.logger.warn(
        { err: error, sourceId: this.sourceId },
        'Could not release the refresh lease; it expires on its own',
      );
    }
  }

  #scheduleRenewal(): void {
    this.#renewal = setTimeout(() => void this.#renew(), Math.max(1, Math.floor(this.#ttlMs / 3)));
    this.#renewal.unref();
  }

  #stopRenewing(): void {
    clearTimeout(this.#renewal);
    this.#renewal = undefined;
  }

  async #renew(): Promise<void> {
    const { pool, logger } = this.#context;
    try {
      const { rowCount } = await pool.query(
        `UPDATE leases SET expires_at = clock_timestamp() + $3 * interval '1 millisecond'
         WHERE source_id = $1 AND holder = $2 AND expires_at > clock_timestamp()`,
        [this.sourceId, this.#token, this.#ttlMs],
      );
      if (this.#state !== 'held') return;
      if (rowCount !== 1) {
        this.#state = 'lost';
        logger.warn({ sourceId: this.sourceId, fence: this.fence }, 'Lost the refresh lease: it expired');
        return;
      }
    } catch (error) {
      // PostgreSQL unreachable for now: keep trying; if the lease expires meanwhile, the next try says so.
      logger.warn({ err: error, sourceId: this.sourceId }, 'Could not renew the refresh lease');
    }
    if (this.#state === 'held') this.#scheduleRenewal();
  }
}
