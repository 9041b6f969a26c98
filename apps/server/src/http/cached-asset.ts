import { createHash } from 'node:crypto';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { RenderedFeed } from '../feeds/feed-cache.js';

/** Bytes prepared once to be served many times (the widget script), in the shape `sendFeed` answers from. */
export function cachedAsset(
  body: Buffer,
  contentType: string,
  cacheControl: string,
  modified: Date,
): RenderedFeed {
  return {
    body,
    gzip: gzipSync(body, { level: 9 }),
    br: brotliCompressSync(body),
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`,
    lastModified: modified.toUTCString(),
    contentType,
    cacheControl,
  };
}
