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
  // The search index for q (see search.ts): FTS5 over each article's tokens, kept by triggers.
  // Its rowids are mapped to articles in article_search_ids (articles has no rowid). The
  // triggers call tidings_search_tokens, which the store registers on every connection it opens.
  `
  CREATE VIRTUAL TABLE article_search USING fts5(tokens, tokenize = 'unicode61 remove_diacritics 0');
  CREATE TABLE article_search_ids (
    search_rowid INTEGER PRIMARY KEY,
    source_id    TEXT NOT NULL,
    id           TEXT NOT NULL,
    UNIQUE (source_id, id)
  );
  INSERT INTO article_search_ids (source_id, id) SELECT source_id, id FROM articles;
  INSERT INTO article_search (rowid, tokens)
    SELECT search_rowid, tidings_search_tokens(title, content_text)
    FROM article_search_ids JOIN articles USING (source_id, id);
  CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_search_ids (source_id, id) VALUES (new.source_id, new.id);
    INSERT INTO article_search (rowid, tokens)
      VALUES (last_insert_rowid(), tidings_search_tokens(new.title, new.content_text));
  END;
  CREATE TRIGGER article_search_update AFTER UPDATE OF title, content_text ON articles BEGIN
    UPDATE article_search SET tokens = tidings_search_tokens(new.title, new.content_text)
      WHERE rowid = (SELECT search_rowid FROM article_search_ids WHERE source_id = new.source_id AND id = new.id);
  END;
  CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN
    DELETE FROM article_search
      WHERE rowid = (SELECT search_rowid FROM article_search_ids WHERE source_id = old.source_id AND id = old.id);
    DELETE FROM article_search_ids WHERE source_id = old.source_id AND id = old.id;
  END;
  `,
  // The outbox (outbox.ts): pushes of new articles, written in the upsert's transaction, claimed
  // and completed by the delivery worker; delivery_status keeps each destination's record.
  `
  CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY,
    key             TEXT    NOT NULL UNIQUE, -- the idempotency key, fixed at write
    destination     TEXT    NOT NULL,
    feed_id         TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,        -- ISO 8601 UTC instant
    items           TEXT    NOT NULL,        -- JSON of the DeliveryItem[]
    state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,        -- epoch ms: when a pending entry is due; when a failed one gave up
    claim_token     TEXT,                    -- while sending: the claim's token and when its lease ends
    claimed_until   INTEGER,
    last_error      TEXT,
    last_attempt_at TEXT
  );
  CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
  CREATE TABLE delivery_status (
    destination          TEXT    NOT NULL PRIMARY KEY,
    delivered            INTEGER NOT NULL DEFAULT 0,
    last_success_at      TEXT,
    last_error           TEXT,
    last_error_at        TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0
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
