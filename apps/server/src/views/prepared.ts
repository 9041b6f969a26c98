import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

type HeaderMap = Record<string, string | number>;

/** What one answer sends: its headers, built once, and its bytes. */
export interface Answer {
  readonly headers: HeaderMap;
  readonly body: Buffer;
}

/** Which compressed forms a client takes, as bits (see `accepted` in send.ts). */
export const GZIP = 1;
export const BR = 2;

export interface PrepareOptions {
  contentType: string;
  cacheControl: string;
  /** An HTTP date, for views that know when their data last changed. */
  lastModified?: string;
  /** Sent with every answer, 200 and 304 alike: CORS, CSP, Link. */
  headers?: Readonly<Record<string, string>>;
  /**
   * `eager`: compressed at once with the best settings (views rendered once per change and served
   * for its whole life). `lazy`: each form compressed quickly on the first request that takes it
   * (variants that a client may ask for once).
   */
  compress: 'eager' | 'lazy';
}

/** Smaller bodies go out as they are: compressing them saves less than it costs. */
const MIN_COMPRESS_BYTES = 256;

/**
 * A response rendered once and served many times: the body, its strong ETag (a hash of the
 * bytes, so equal data gives equal ETags across restarts and instances), its compressed forms and
 * every header object an answer needs, so that serving it builds nothing.
 */
export class Prepared {
  readonly etag: string;
  readonly lastModified: string | undefined;
  /** `lastModified` as a number, for If-Modified-Since. */
  readonly lastModifiedMs: number;
  readonly notModified: HeaderMap;
  readonly identity: Answer;
  readonly #ok: HeaderMap;
  #gzip: Answer | null | undefined;
  #br: Answer | null | undefined;

  constructor(
    readonly body: Buffer,
    options: PrepareOptions,
  ) {
    this.etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
    this.lastModified = options.lastModified;
    this.lastModifiedMs = options.lastModified ? Date.parse(options.lastModified) : Number.NaN;
    const compressible = body.length >= MIN_COMPRESS_BYTES;
    this.notModified = {
      ETag: this.etag,
      ...(options.lastModified && { 'Last-Modified': options.lastModified }),
      'Cache-Control': options.cacheControl,
      ...(compressible && { Vary: 'Accept-Encoding' }),
      ...options.headers,
    };
    this.#ok = {
      'Content-Type': options.contentType,
      'X-Content-Type-Options': 'nosniff',
      ...this.notModified,
    };
    this.identity = { headers: { ...this.#ok, 'Content-Length': body.length }, body };
    if (!compressible) {
      this.#gzip = null;
      this.#br = null;
    } else if (options.compress === 'eager') {
      this.#gzip = this.#encoded('gzip', gzipSync(body, { level: 9 }));
      this.#br = this.#encoded('br', brotli(body, 11));
    }
    const compressedBound =
      options.compress === 'eager' || !compressible
        ? (this.#gzip?.body.length ?? 0) + (this.#br?.body.length ?? 0)
        : 2 * body.length;
    this.size = body.length + compressedBound + 1024;
  }

  /** The best answer for a client taking the forms in `accepts` (bits of GZIP and BR). */
  answer(accepts: number): Answer {
    if (accepts & BR) {
      this.#br ??= this.#encoded('br', brotli(this.body, 5));
      if (this.#br) return this.#br;
    }
    if (accepts & GZIP) {
      this.#gzip ??= this.#encoded('gzip', gzipSync(this.body, { level: 6 }));
      if (this.#gzip) return this.#gzip;
    }
    return this.identity;
  }

  /**
   * A bound on the bytes this holds, for cache budgets; fixed at construction, so a form compressed
   * later is already counted (a compressed form is only kept when smaller than the body).
   */
  readonly size: number;

  /** The compressed form, or null when it would not be smaller. */
  #encoded(encoding: 'gzip' | 'br', body: Buffer): Answer | null {
    if (body.length >= this.body.length) return null;
    return { headers: { ...this.#ok, 'Content-Encoding': encoding, 'Content-Length': body.length }, body };
  }
}

function brotli(body: Buffer, quality: number): Buffer {
  return brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  });
}
