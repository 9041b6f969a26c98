import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RateLimit } from '../config/types.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

// Forget clients idle long enough to have refilled anyway, once the table grows.
const SWEEP_AT = 10_000;

/**
 * Per-client token buckets (by socket address, or X-Forwarded-For behind a trusted proxy): `burst` requests at once, refilled at
 * `perMinute`. Runs before everything, cached feeds included, so no route is free to flood.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #perMs: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.#perMs = limit.perMinute / 60_000;
  }

  /** Takes a token for this client; false (and a 429 already sent) when it has none left. */
  admit(request: IncomingMessage, response: ServerResponse): boolean {
    const bucket = this.#bucketOf(request);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    this.#refuse(bucket, response);
    return false;
  }

  /** True (and a 429 already sent) when this client has no token left; takes none. */
  refuses(request: IncomingMessage, response: ServerResponse): boolean {
    const bucket = this.#bucketOf(request);
    if (bucket.tokens >= 1) return false;
    this.#refuse(bucket, response);
    return true;
  }

  /** Takes one of this client's tokens (none left: it stays empty until refilled). */
  take(request: IncomingMessage): void {
    const bucket = this.#bucketOf(request);
    bucket.tokens = Math.max(0, bucket.tokens - 1);
  }

  #refuse(bucket: Bucket, response: ServerResponse): void {
    const retryAfter = Math.ceil((1 - bucket.tokens) / this.#perMs / 1000);
    response.writeHead(429, {
      'Content-Type': 'application/json; charset=utf-8',
      'Retry-After': String(retryAfter),
      'Cache-Control': 'no-store',
    });
    response.end(
      JSON.stringify({
        error: 'rate-limited',
        message: `Too many requests from your address: at most ${this.limit.perMinute} a minute. Try again in ${retryAfter} s.`,
      }),
    );
  }

  /** This client's bucket, refilled for the time since it was last seen. */
  #bucketOf(request: IncomingMessage): Bucket {
    const key = this.#clientOf(request);
    const now = this.now();
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= SWEEP_AT) this.#sweep(now);
      bucket = { tokens: this.limit.burst, updatedAt: now };
      this.#buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (now - bucket.updatedAt) * this.#perMs);
      bucket.updatedAt = now;
    }
    return bucket;
  }

  #clientOf(request: IncomingMessage): string {
    if (this.limit.trustProxy) {
      // The proxy appends the address it saw: the last entry is the one it vouches for.
      const forwarded = request.headers['x-forwarded-for'];
      const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').pop()?.trim();
      if (last) return last;
    }
    return request.socket.remoteAddress ?? 'unknown';
  }

  #sweep(now: number): void {
    const full = this.limit.burst / this.#perMs;
    for (const [key, bucket] of this.#buckets) if (now - bucket.updatedAt > full) this.#buckets.delete(key);
  }
}
