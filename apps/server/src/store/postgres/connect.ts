import pg from 'pg';
import { StoreError } from '../../errors.js';
import { redactedUrl } from '../url.js';

/** Connections one instance keeps at most: a refresh holds one per write, readers share the rest. */
const POOL_SIZE = 10;
const CONNECT_TIMEOUT_MS = 5000;
/** A statement that runs longer than this fails instead of holding a pool connection forever. */
const STATEMENT_TIMEOUT_MS = 30_000;

/** The settings every connection of an instance uses: its pool's and its change listener's. */
export function clientConfig(url: string, applicationName: string): pg.ClientConfig {
  return {
    connectionString: url,
    application_name: applicationName.slice(0, 63),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    keepAlive: true,
  };
}

export function createPool(url: string, applicationName: string): pg.Pool {
  return new pg.Pool({ ...clientConfig(url, applicationName), max: POOL_SIZE });
}

/** A `cannot-connect` StoreError naming the URL (password hidden) and what went wrong. */
export function cannotConnect(url: string, reason: unknown): StoreError {
  return new StoreError(
    'cannot-connect',
    `Cannot connect to PostgreSQL at ${redactedUrl(url)}: ${reasonOf(reason)}. ` +
      'Check that PostgreSQL runs there, that the URL (user, password, database) is right, and that the database exists.',
    { cause: reason },
  );
}

/**
 * True for errors that say the server could not be reached or the connection broke (as
 * opposed to an error in a statement): what `unreachable()` reports.
 */
export function isConnectionError(error: unknown): boolean {
  // A refused connection: one error per address tried.
  if (error instanceof AggregateError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // Node's socket errors; SQLSTATE classes 08 (connection exception) and 28 (authentication),
    // 3D000 (no such database), 57P01-3 (shutting down, cannot connect now).
    if (/^E[A-Z]+$/.test(code) || /^(08|28)/.test(code) || code === '3D000' || /^57P0[1-3]$/.test(code)) {
      return true;
    }
  }
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    error.message,
  );
}

/** What went wrong, in words (a refused connection is an AggregateError of one per address tried). */
export function reasonOf(reason: unknown): string {
  if (reason instanceof AggregateError && reason.errors.length > 0) return reasonOf(reason.errors[0]);
  if (reason instanceof Error) return reason.message || (reason as { code?: string }).code || reason.name;
  return String(reason);
}
