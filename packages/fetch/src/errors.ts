import { TidingsError } from '@tidings/parser';

export type FetchErrorCode =
  | 'bad-url'
  | 'timeout'
  | 'too-large'
  | 'http-status'
  | 'robots-disallowed'
  | 'private-network'
  | 'too-many-redirects'
  | 'network'
  | 'aborted'
  | 'challenge';

/** Every way a fetch fails. `url` is the URL that failed (after redirects), in the caller's URL space. */
export class FetchError extends TidingsError {
  declare readonly code: FetchErrorCode;
  readonly url: string;
  /** The HTTP status, for `http-status` (and a redirect without a usable Location). */
  readonly status?: number;
  /** How long the site asked us to wait (Retry-After), when it did. */
  readonly retryAfterMs?: number;
  /** How many times the fetch was tried (1 + retries used); 0 when the URL was refused outright. */
  readonly attempts: number;

  constructor(
    code: FetchErrorCode,
    message: string,
    details: { url: string; status?: number; retryAfterMs?: number; attempts: number; cause?: unknown },
  ) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.url = details.url;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.attempts = details.attempts;
  }
}

export interface FailureDetails {
  /** The URL that failed, in the caller's URL space. */
  url: URL;
  /** Worth another attempt: network errors, timeouts, 5xx and 429. */
  retryable?: boolean;
  status?: number;
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * One step of a fetch went wrong. Internal: the retry loop decides whether to try again, and only
 * then, knowing the attempt count, turns it into the FetchError the caller sees.
 */
export class Failure extends Error {
  readonly code: FetchErrorCode;
  /** What happened, completing "GET <url> …", e.g. `timed out after 30 s`. */
  readonly problem: string;
  /** What the user can do about it. */
  readonly advice: string;
  readonly details: FailureDetails;

  constructor(code: FetchErrorCode, problem: string, advice: string, details: FailureDetails) {
    super(`${code}: ${problem}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.problem = problem;
    this.advice = advice;
    this.details = details;
  }

  get retryable(): boolean {
    return this.details.retryable ?? false;
  }

  /** The same failure, reported for another URL (robots.txt trouble is reported for the page). */
  reportedFor(url: URL): Failure {
    return new Failure(this.code, this.problem, this.advice, { ...this.details, url });
  }

  toFetchError(attempts: number, requested: URL): FetchError {
    const { url, status, retryAfterMs, cause } = this.details;
    const from = url.href === requested.href ? '' : ` (redirected from ${requested.href})`;
    const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
    return new FetchError(this.code, `GET ${url.href}${from} ${this.problem}${tries}; ${this.advice}`, {
      url: url.href,
      status,
      retryAfterMs,
      attempts,
      cause,
    });
  }
}

export function abortedFailure(url: URL, cause?: unknown): Failure {
  return new Failure('aborted', 'was aborted', 'the caller cancelled it (request.signal)', { url, cause });
}

export function privateNetworkFailure(url: URL, why: string, cause?: unknown): Failure {
  return new Failure(
    'private-network',
    `was refused: ${why}`,
    'Tidings does not fetch private-network targets: pass allowPrivateNetwork: true if you mean to (e.g. a server on this machine)',
    { url, cause },
  );
}
