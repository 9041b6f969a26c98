import type Database from 'better-sqlite3';
import { StoreError } from '../errors.js';

/**
 * Schema migrations, in order: migration N takes `PRAGMA user_version` from N to N + 1. Append
 * only; never edit one that has shipped.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE articles (
    source_id    TEXT    NOT NULL,
    id           TEXT    NOT NULL,
    article      TEXT    NOT NULL, -- the parser's Article as JSON, as merged
    published_at INTEGER,          -- epoch ms of article.publishedAt, for ordering and age
    first_seen   TEXT    NOT NULL, -- ISO 8601 UTC instants
    last_seen    TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    content_hash TEXT    NOT NULL,
    title        TEXT    NOT NULL, -- lower-cased copies for literal, case-insensitive search
    content_text TEXT    NOT NULL,
    PRIMARY KEY (source_id, id)
  ) WITHOUT ROWID;
  CREATE INDEX articles_newest ON articles (source_id, published_at DESC, first_seen DESC);

  CREATE TABLE source_status (
    source_id            TEXT    NOT NULL PRIMARY KEY,
    last_attempt_at      TEXT,
    last_success_at      TEXT,
    last_error           TEXT,
    last_error_at        TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    next_run_at          TEXT,
    etag                 TEXT,
    last_modified        TEXT
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to SCHEMA_VERSION; refuses one written by a newer Tidings. */
export function migrate(db: Database.Database, path: string): void {
  // IMMEDIATE: two processes opening a new file at once must not both create the tables.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        'newer-schema',
        `The database ${path} has schema version ${version}, newer than this Tidings knows (${SCHEMA_VERSION}). ` +
          'Upgrade Tidings, or point it at another database.',
      );
    }
    for (const sql of MIGRATIONS.slice(version)) db.exec(sql);
    if (version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
