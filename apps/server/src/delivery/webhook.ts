import { createHmac } from 'node:crypto';
import { findNonPublicAddressError, nonPublicKind, publicOnlyLookup, retryAfterMs } from '@tidings/fetch';
import { Agent, errors, request } from 'undici';
import type { WebhookNotifyConfig } from '../config/types.js';
import { describeTarget } from './destinations.js';
import type { SendResult } from './send-result.js';

const USER_AGENT = 'Tidings-Webhook/0.1 (+https://github.com/tidings-feeds/tidings)';
/** What is read of an answer's body before it is dropped: the status is all that counts. */
const ANSWER_BYTES = 64 * 1024;

/** `sha256=<hex>`: the HMAC-SHA256 of the exact body bytes with the destination's secret. */
export function signature(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * POSTs pushes to webhooks: one request per attempt, no redirects followed, within `timeoutMs`.
 * A target on loopback or a private network is refused unless its entry allows it, checked on
 * the address actually connected to (@tidings/fetch's check), so DNS cannot point it inside.
 */
export class WebhookSender {
  readonly #timeoutMs: number;
  readonly #publicOnly: Agent;
  readonly #any: Agent;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
    const agent = (lookup?: typeof publicOnlyLookup) =>
      new Agent({
        connect: { timeout: timeoutMs, ...(lookup && { lookup }) },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    this.#publicOnly = agent(publicOnlyLookup);
    this.#any = agent();
  }

  async send(notify: WebhookNotifyConfig, body: string, key: string): Promise<SendResult> {
    const url = new URL(notify.url);
    const where = describeTarget(notify);
    const literal = notify.allowPrivateNetwork ? undefined : nonPublicKind(url.hostname);
    if (literal) return refused(`${url.hostname} is a ${literal} address`);
    try {
      const answer = await request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/feed+json',
          'user-agent': USER_AGENT,
          'x-tidings-signature': signature(notify.secret, body),
          'idempotency-key': key,
          'x-tidings-delivery': key,
        },
        body,
        dispatcher: notify.allowPrivateNetwork ? this.#any : this.#publicOnly,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      await answer.body.dump({ limit: ANSWER_BYTES }).catch(() => {});
      const status = answer.statusCode;
      if (status >= 200 && status <= 299) return { ok: true };
      const header = answer.headers['retry-after'];
      const waitMs = retryAfterMs(Array.isArray(header) ? header[0] : header, Date.now());
      if (status === 410) return { ok: false, error: `HTTP 410 Gone from ${where}: given up`, retry: false };
      return {
        ok: false,
        error: `HTTP ${status} from ${where}${status >= 300 && status <= 399 ? ' (redirects are not followed: use the final URL)' : ''}`,
        retry: true,
        ...(waitMs !== undefined && { retryAfterMs: waitMs }),
      };
    } catch (error) {
      const refusal = findNonPublicAddressError(error);
      if (refusal)
        return refused(`${refusal.hostname} resolves to ${refusal.address}, a ${refusal.kind} address`);
      return { ok: false, error: `${failure(error, this.#timeoutMs)} (${where})`, retry: true };
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.#publicOnly.close(), this.#any.close()]);
  }
}

/** Refused before sending: retried (the config may change), with what to change in the message. */
function refused(why: string): SendResult {
  return {
    ok: false,
    error: `refused: ${why}; set allowPrivateNetwork: true on this notify entry to allow it`,
    retry: true,
  };
}

function failure(error: unknown, timeoutMs: number): string {
  if (
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError ||
    (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
  ) {
    return `timed out after ${timeoutMs} ms`;
  }
  const code =
    (error as { code?: unknown; cause?: { code?: unknown } }).code ??
    (error as { cause?: { code?: unknown } }).cause?.code;
  const message = error instanceof Error ? error.message : String(error);
  return `network error: ${typeof code === 'string' ? code : message}`;
}
