import { STATUS_CODES } from 'node:http';
import { Failure } from './errors.js';
import { header, type Reply } from './exchange.js';
import { formatDuration } from './format.js';
import { isRetryableStatus, retryAfterMs } from './retry.js';

/** A status that is neither 2xx nor 304, with the site's Retry-After when it gave one. */
export function statusFailure(url: URL, reply: Reply, now: number, maxRetryAfterMs: number): Failure {
  const { status } = reply;
  const waitMs = retryAfterMs(header(reply.headers, 'retry-after'), now);
  return new Failure(
    'http-status',
    `answered ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd(),
    advice(status, waitMs, maxRetryAfterMs),
    { url, status, retryAfterMs: waitMs, retryable: isRetryableStatus(status) },
  );
}

function advice(status: number, waitMs: number | undefined, maxRetryAfterMs: number): string {
  if (waitMs !== undefined && isRetryableStatus(status)) {
    const tooLong =
      waitMs > maxRetryAfterMs ? `, more than maxRetryAfterMs (${formatDuration(maxRetryAfterMs)})` : '';
    return `the site asks to wait ${formatDuration(waitMs)} before trying again${tooLong}: try again later`;
  }
  if (status === 429) return 'the site is rate-limiting us: fetch it less often';
  if (status >= 500) return 'the site has a problem: try again later';
  if (status === 404 || status === 410) return 'the page is gone or has moved: check the URL';
  if (status === 401 || status === 403) {
    return 'the site refuses access (it may block crawlers): check the URL in a browser';
  }
  if (status >= 300 && status <= 399) {
    return 'the site redirects without a usable Location header: use the final URL';
  }
  return 'the site rejected the request: check the URL';
}
