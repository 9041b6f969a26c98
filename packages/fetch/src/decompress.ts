import { pipeline, type Readable, Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';

export type ContentCoding = 'gzip' | 'deflate' | 'br';

/** The server used a Content-Encoding we did not offer and cannot undo. */
export class UnsupportedEncodingError extends Error {
  readonly coding: string;

  constructor(coding: string) {
    super(`unsupported Content-Encoding "${coding}"`);
    this.name = 'UnsupportedEncodingError';
    this.coding = coding;
  }
}

/** The codings listed in a Content-Encoding header, in the order they were applied. */
export function contentCodings(header: string | undefined): ContentCoding[] {
  const codings: ContentCoding[] = [];
  for (const token of (header ?? '').split(',')) {
    const coding = token.trim().toLowerCase();
    if (coding === '' || coding === 'identity') continue;
    if (coding === 'gzip' || coding === 'x-gzip') codings.push('gzip');
    else if (coding === 'deflate' || coding === 'br') codings.push(coding);
    else throw new UnsupportedEncodingError(coding);
  }
  return codings;
}

/** The body with its codings undone, last applied first. Errors and early destroys travel the whole chain. */
export function decodeStream(body: Readable, codings: readonly ContentCoding[]): Readable {
  let stream = body;
  for (const coding of [...codings].reverse()) {
    stream = pipeline(stream, decoderFor(coding), () => {});
  }
  return stream;
}

// Like browsers, accept a stream cut short at a flush point instead of failing the whole page.
const zlibOptions = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
const brotliOptions = {
  flush: zlib.constants.BROTLI_OPERATION_FLUSH,
  finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
};

function decoderFor(coding: ContentCoding): Transform {
  switch (coding) {
    case 'gzip':
      return zlib.createGunzip(zlibOptions);
    case 'br':
      return zlib.createBrotliDecompress(brotliOptions);
    case 'deflate':
      return new Inflate();
  }
}

/**
 * "deflate" should be zlib-wrapped, but some servers send raw deflate: the first byte tells which
 * (a zlib header's low nibble is 8, the deflate method).
 */
class Inflate extends Transform {
  #inner: zlib.Inflate | zlib.InflateRaw | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.#inner) {
      if (chunk.length === 0) {
        callback();
        return;
      }
      const first = chunk[0] ?? 0;
      this.#inner =
        (first & 0x0f) === 0x08 ? zlib.createInflate(zlibOptions) : zlib.createInflateRaw(zlibOptions);
      this.#inner.on('data', (data: Buffer) => this.push(data));
      this.#inner.on('error', (error) => this.destroy(error));
    }
    this.#inner.write(chunk, callback);
  }

  override _flush(callback: TransformCallback): void {
    if (!this.#inner) {
      callback();
      return;
    }
    this.#inner.once('end', () => callback());
    this.#inner.end();
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.#inner?.destroy();
    callback(error);
  }
}
