import type { IncomingHttpHeaders } from 'node:http';
import { type Dispatcher, request } from 'undici';
import { CHALLENGE_SNIFF_BYTES, CHALLENGE_STATUSES } from './challenge.js';
import { UnsupportedEncodingError } from './decompress.js';
import { abortedFailure, Failure, privateNetworkFailure } from './errors.js';
import { formatDuration, formatSize } from './format.js';
import { findNonPublicAddressError } from './private-network.js';
import { BodyTooLargeError, readBody } from './read-body.js';

export interface Exchange {
  /** The URL as the caller knows it: what errors report. */
  url: URL;
  /** Where the request really goes (`resolveUrl`). */
  target: URL;
  headers: Record<string, string>;
  dispatcher: Dispatcher;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxBytes: number;
  signal: AbortSignal | undefined;
  /** A URL-encoded form to POST; GET without one. */
  form?: string | undefined;
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  /**
   * The body with its Content-Encoding removed, for 2xx; for a status bot checks use (403, 412…),
   * the body when it is small enough to tell one; empty for anything else.
   */
  body: Uint8Array;
}

const EMPTY = new Uint8Array(0);

const FORM_TYPE = 'application/x-www-form-urlencoded; charset=UTF-8';

/**
 * Sends one GET (or POSTs the form) and reads the answer within `timeoutMs`, headers and body
 * together. Throws a Failure.
 */
export async function exchange(options: Exchange): Promise<Reply> {
  const { target, signal, timeoutMs } = options;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  const forwardAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', forwardAbort, { once: true });
  try {
    if (signal?.aborted) throw signal.reason;
    const { form } = options;
    const response = await request(target, {
      ...(form === undefined
        ? { method: 'GET', headers: options.headers }
        : { method: 'POST', headers: { ...options.headers, 'content-type': FORM_TYPE }, body: form }),
      dispatcher: options.dispatcher,
      signal: controller.signal,
    });
    const { statusCode: status, headers } = response;
    const bodyHeaders = {
      contentLength: header(headers, 'content-length'),
      contentEncoding: header(headers, 'content-encoding'),
    };
    if (status >= 200 && status <= 299) {
      return { status, headers, body: await readBody(response.body, bodyHeaders, options.maxBytes) };
    }
    if (CHALLENGE_STATUSES.has(status)) {
      // Small enough to be a bot check's script page: kept so the caller can say so.
      const body = await readBody(response.body, bodyHeaders, CHALLENGE_SNIFF_BYTES).catch((error) => {
        // Too large or undecodable: not a bot check, and the status says enough. Aborts still abort.
        if (controller.signal.aborted) throw error;
        return EMPTY;
      });
      return { status, headers, body };
    }
    await response.body.dump();
    return { status, headers, body: EMPTY };
  } catch (error) {
    if (signal?.aborted) throw abortedFailure(options.url, error);
    throw failureFrom(error, options, controller.signal.aborted);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forwardAbort);
  }
}

/** The first value of a response header. */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function failureFrom(error: unknown, options: Exchange, timedOut: boolean): Failure {
  const { url } = options;
  const code = (error as { code?: unknown } | null)?.code;
  const timeout = (problem: string) =>
    new Failure('timeout', problem, 'the site is slow or down: try again later, or raise timeoutMs', {
      url,
      retryable: true,
      cause: error,
    });
  if (timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return timeout(`timed out after ${formatDuration(options.timeoutMs)}`);
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return timeout(`could not connect within ${formatDuration(options.connectTimeoutMs)}`);
  }
  if (error instanceof BodyTooLargeError) {
    const problem =
      error.declared === undefined
        ? `sent more than ${formatSize(error.limit)}, the limit; stopped reading`
        : `announced ${formatSize(error.declared)} (Content-Length), over the ${formatSize(error.limit)} limit`;
    return new Failure(
      'too-large',
      problem,
      'no news listing is that large: check the URL, or raise maxBytes',
      {
        url,
        cause: error,
      },
    );
  }
  const refusal = findNonPublicAddressError(error);
  if (refusal) {
    return privateNetworkFailure(url, refusal.message, error);
  }
  if (error instanceof UnsupportedEncodingError) {
    return new Failure(
      'network',
      `answered with Content-Encoding "${error.coding}", which cannot be decoded`,
      'the server ignored our Accept-Encoding (gzip, deflate, br): report it to the site',
      { url, cause: error },
    );
  }
  if (code === 'ENOTFOUND') {
    return new Failure('network', `failed: ${url.hostname} has no DNS record`, 'check the host name', {
      url,
      cause: error,
    });
  }
  if (code === 'UND_ERR_CLOSED' || code === 'UND_ERR_DESTROYED') {
    return new Failure('aborted', 'was cancelled: the Fetcher is closed', 'create a new Fetcher', {
      url,
      cause: error,
    });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new Failure(
    'network',
    `failed: ${reason}${typeof code === 'string' && !reason.includes(code) ? ` (${code})` : ''}`,
    'the connection broke or the site is down: try again later',
    { url, retryable: true, cause: error },
  );
}
