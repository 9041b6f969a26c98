/** Full jitter: a random wait in [0, base·2ⁿ⁻¹) before retry n, so clients that failed together spread out. */
export function backoffMs(retry: number, baseMs: number): number {
  return Math.floor(Math.random() * baseMs * 2 ** (retry - 1));
}

/**
 * Milliseconds a Retry-After header asks for: delay-seconds or an HTTP date (relative to `now`).
 * Undefined when absent or unreadable; never negative.
 */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP date names its day and month; Date.parse alone would also take "-5" as a year.
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Statuses worth asking again: the server's trouble or its request to slow down, never ours. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}
