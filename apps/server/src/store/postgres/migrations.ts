import type { Pool } from 'pg';
import { StoreError } from '../../errors.js';

/**
 * The schema, as versioned migrations: migration N (1-based) is applied once, in its own
 * transaction, and recorded in `tidings_migrations`. Append only; never edit one that has shipped.
 *
 * Text columns that are compared or ordered are `COLLATE "C"` (byte order, as SQLite and Redis
 * compare), whatever the database's own collation. Instants are ISO 8601 text as the other
 * backends keep them; publishedAt, due times and leases' clocks are the database's (epoch ms or
 * timestamptz).
 */
export const MIGRATIONS: readonly { name: string; sql: string }[] = [
  {
    name: 'articles, status, leases, outbox',
    sql: `
    CREATE TABLE articles (
      source_id    text COLLATE "C" NOT NULL,
      id           text COLLATE "C" NOT NULL,
      -- The parser's Article as JSON, as merged. text, not jsonb: it comes back byte for byte
      -- (key order, and \\u0000 escapes that jsonb refuses), and nothing queries inside it.
      article      text NOT NULL,
      published_at bigint,           -- epoch ms of article.publishedAt; NULL when it does not parse
      first_seen   text COLLATE "C" NOT NULL,
      last_seen    text COLLATE "C" NOT NULL,
      updated_at   text COLLATE "C" NOT NULL,
      content_hash text NOT NULL,
      title        text COLLATE "C" NOT NULL, -- lower-cased copies for literal, case-insensitive q
      content_text text COLLATE "C" NOT NULL,
      PRIMARY KEY (source_id, id)
    );
    CREATE INDEX articles_newest ON articles (source_id, published_at DESC NULLS LAST, first_seen DESC, id);

    CREATE TABLE source_status (
      source_id            text PRIMARY KEY,
      last_attempt_at      text,
      last_success_at      text,
      last_error           text,
      last_error_at        text,
      consecutive_failures integer NOT NULL DEFAULT 0,
      next_run_at          text,
      etag                 text,
      last_modified        text
    );

    -- One row per source ever leased. fence grows with every grant; holder and expires_at name
    -- the current holder until its lease ends (database clock); completed_at is when the last
    -- refresh finished, for freshness.
    CREATE TABLE leases (
      source_id    text PRIMARY KEY,
      fence        bigint NOT NULL DEFAULT 0,
      holder       text,
      expires_at   timestamptz,
      completed_at timestamptz
    );

    CREATE TABLE outbox (
      seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      key             text NOT NULL UNIQUE,  -- the idempotency key, fixed at write
      destination     text COLLATE "C" NOT NULL,
      feed_id         text NOT NULL,
      created_at      text NOT NULL,         -- ISO 8601 UTC instant
      items           text NOT NULL,         -- JSON of the DeliveryItem[]
      state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'failed')),
      attempts        integer NOT NULL DEFAULT 0,
      next_attempt_at bigint NOT NULL,       -- epoch ms: when a pending entry is due; when a failed one gave up
      claim_token     text,                  -- while sending: the claim's token and when its lease ends
      claimed_until   bigint,
      last_error      text,
      last_attempt_at text
    );
    CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

    CREATE TABLE delivery_status (
      destination          text COLLATE "C" PRIMARY KEY,
      delivered            integer NOT NULL DEFAULT 0,
      last_success_at      text,
      last_error           text,
      last_error_at        text,
      consecutive_failures integer NOT NULL DEFAULT 0
    );
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Taken for the whole of `migrate`: instances starting at once apply each migration once, the
 * others wait and then find it recorded. (An arbitrary constant: "tidings" in ASCII.)
 */
const MIGRATION_LOCK = 0x74696469_6e6773n;

/**
 * Brings the database to SCHEMA_VERSION, under an advisory lock; refuses one that a newer
 * Tidings migrated further.
 *
 * @returns the versions this call applied
 * @throws {StoreError} `newer-schema`
 */
export async function migrate(pool: Pool, where: string): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS tidings_migrations (
           version    integer PRIMARY KEY,
           name       text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const { rows } = await client.query<{ version: number | null }>(
        'SELECT max(version) AS version FROM tidings_migrations',
      );
      const version = rows[0]?.version ?? 0;
      if (version > SCHEMA_VERSION) {
        throw new StoreError(
          'newer-schema',
          `The database ${where} has schema version ${version}, newer than this Tidings knows (${SCHEMA_VERSION}). ` +
            'Upgrade Tidings, or point it at another database.',
        );
      }
      const applied: number[] = [];
      for (let next = version + 1; next <= SCHEMA_VERSION; next++) {
        const migration = MIGRATIONS[next - 1] as (typeof MIGRATIONS)[number];
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO tidings_migrations (version, name) VALUES ($1, $2)', [
            next,
            migration.name,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        applied.push(next);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]);
    }
  } finally {
    client.release();
  }
}
