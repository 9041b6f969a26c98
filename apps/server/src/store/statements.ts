import type Database from 'better-sqlite3';
import type { SourceStatus } from './types.js';

export interface ArticleRow {
  article: string;
  first_seen: string;
  last_seen: string;
  updated_at: string;
  content_hash: string;
}

/** The article columns as bound to INSERT and UPDATE. */
export interface ArticleValues {
  source_id: string;
  id: string;
  article: string;
  published_at: number | null;
  content_hash: string;
  title: string;
  content_text: string;
  now: string;
}

export type StatusPatch = Partial<Omit<SourceStatus, 'sourceId' | 'articleCount'>>;

/** SourceStatus fields and their columns. */
export const STATUS_COLUMNS = {
  lastAttemptAt: 'last_attempt_at',
  lastSuccessAt: 'last_success_at',
  lastError: 'last_error',
  lastErrorAt: 'last_error_at',
  consecutiveFailures: 'consecutive_failures',
  nextRunAt: 'next_run_at',
  etag: 'etag',
  lastModified: 'last_modified',
} as const satisfies Record<keyof StatusPatch, string>;

export type StatusRow = {
  [Key in keyof typeof STATUS_COLUMNS as (typeof STATUS_COLUMNS)[Key]]: StatusPatch[Key] | null;
};

const ARTICLE_COLUMNS = 'article, first_seen, last_seen, updated_at, content_hash';
const NEWEST_FIRST = 'ORDER BY published_at DESC, first_seen DESC, id';

/** Every statement the store runs, prepared once per connection. */
export interface Statements {
  getArticle: Database.Statement<[string, string], ArticleRow>;
  insertArticle: Database.Statement<[ArticleValues]>;
  replaceArticle: Database.Statement<[ArticleValues]>;
  touchArticle: Database.Statement<[string, string, string]>;
  listArticles: Database.Statement<[string, number], ArticleRow>;
  searchArticles: Database.Statement<
    [{ source_id: string; q: string; match: string; limit: number }],
    ArticleRow
  >;
  scanArticles: Database.Statement<[{ source_id: string; q: string; limit: number }], ArticleRow>;
  countArticles: Database.Statement<[string], number>;
  listPublishedBetween: Database.Statement<[string, number, number], ArticleRow>;
  countPublishedSince: Database.Statement<[string, number], number>;
  latestPublishedBefore: Database.Statement<[string, number], number | null>;
  deletePublishedBefore: Database.Statement<[string, number]>;
  deleteBeyondNewest: Database.Statement<[{ source_id: string; keep: number }]>;
  getStatus: Database.Statement<[string], StatusRow>;
  putStatus: Database.Statement<[StatusRow & { source_id: string }]>;
}

export function prepareStatements(db: Database.Database): Statements {
  return {
    getArticle: db.prepare<[string, string], ArticleRow>(
      `SELECT ${ARTICLE_COLUMNS} FROM articles WHERE source_id = ? AND id = ?`,
    ),
    insertArticle: db.prepare<ArticleValues>(
      `INSERT INTO articles (source_id, id, article, published_at, first_seen, last_seen, updated_at,
         content_hash, title, content_text)
       VALUES (@source_id, @id, @article, @published_at, @now, @now, @now, @content_hash, @title, @content_text)`,
    ),
    replaceArticle: db.prepare<ArticleValues>(
      `UPDATE articles SET article = @article, published_at = @published_at, last_seen = @now, updated_at = @now,
         content_hash = @content_hash, title = @title, content_text = @content_text
       WHERE source_id = @source_id AND id = @id`,
    ),
    touchArticle: db.prepare<[string, string, string]>(
      'UPDATE articles SET last_seen = ? WHERE source_id = ? AND id = ?',
    ),
    listArticles: db.prepare<[string, number], ArticleRow>(
      `SELECT ${ARTICLE_COLUMNS} FROM articles WHERE source_id = ? ${NEWEST_FIRST} LIMIT ?`,
    ),
    // instr() on lower-cased copies: the keyword is matched literally, never as a LIKE or GLOB
    // pattern; the index names the candidates first (search.ts), so a word no article holds costs
    // a lookup, not a read of every text.
    searchArticles: db.prepare<{ source_id: string; q: string; match: string; limit: number }, ArticleRow>(
      `SELECT ${ARTICLE_COLUMNS} FROM articles
       WHERE source_id = @source_id
         AND id IN (SELECT ids.id FROM article_search JOIN article_search_ids AS ids
                      ON ids.search_rowid = article_search.rowid
                    WHERE article_search MATCH @match AND ids.source_id = @source_id)
         AND (instr(title, @q) > 0 OR instr(content_text, @q) > 0)
       ${NEWEST_FIRST} LIMIT @limit`,
    ),
    // A keyword of punctuation only has nothing to look up: it is matched by reading the texts.
    scanArticles: db.prepare<{ source_id: string; q: string; limit: number }, ArticleRow>(
      `SELECT ${ARTICLE_COLUMNS} FROM articles
       WHERE source_id = @source_id AND (instr(title, @q) > 0 OR instr(content_text, @q) > 0)
       ${NEWEST_FIRST} LIMIT @limit`,
    ),
    countArticles: db.prepare<[string], number>('SELECT count(*) FROM articles WHERE source_id = ?').pluck(),
    // The three reads of an archive month, each a range of the articles_newest index.
    listPublishedBetween: db.prepare<[string, number, number], ArticleRow>(
      `SELECT ${ARTICLE_COLUMNS} FROM articles
       WHERE source_id = ? AND published_at >= ? AND published_at < ? ${NEWEST_FIRST}`,
    ),
    countPublishedSince: db
      .prepare<[string, number], number>(
        'SELECT count(*) FROM articles WHERE source_id = ? AND published_at >= ?',
      )
      .pluck(),
    latestPublishedBefore: db
      .prepare<[string, number], number | null>(
        'SELECT max(published_at) FROM articles WHERE source_id = ? AND published_at < ?',
      )
      .pluck(),
    deletePublishedBefore: db.prepare<[string, number]>(
      'DELETE FROM articles WHERE source_id = ? AND published_at < ?',
    ),
    deleteBeyondNewest: db.prepare<{ source_id: string; keep: number }>(
      `DELETE FROM articles WHERE source_id = @source_id AND id NOT IN (
         SELECT id FROM articles WHERE source_id = @source_id ${NEWEST_FIRST} LIMIT @keep)`,
    ),
    getStatus: db.prepare<[string], StatusRow>(
      `SELECT ${Object.values(STATUS_COLUMNS).join(', ')} FROM source_status WHERE source_id = ?`,
    ),
    putStatus: db.prepare<StatusRow & { source_id: string }>(
      `INSERT INTO source_status (source_id, ${Object.values(STATUS_COLUMNS).join(', ')})
       VALUES (@source_id, ${Object.values(STATUS_COLUMNS)
         .map((column) => `@${column}`)
         .join(', ')})
       ON CONFLICT (source_id) DO UPDATE SET ${Object.values(STATUS_COLUMNS)
         .map((column) => `${column} = excluded.${column}`)
         .join(', ')}`,
    ),
  };
}
