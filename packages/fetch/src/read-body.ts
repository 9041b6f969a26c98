import type { Readable } from 'node:stream';
import { contentCodings, decodeStream } from './decompress.js';

/** The body is over the cap: announced by Content-Length (`declared`), or counted while streaming. */
export class BodyTooLargeError extends Error {
  readonly limit: number;
  readonly declared: number | undefined;

  constructor(limit: number, declared?: number) {
    super(`body over ${limit} bytes`);
    this.name = 'BodyTooLargeError';
    this.limit = limit;
    this.declared = declared;
  }
}

export interface BodyHeaders {
  contentLength: string | undefined;
  contentEncoding: string | undefined;
}

/**
 * Reads the whole body with its Content-Encoding removed, never holding more than `maxBytes`: an
 * announced length over the cap is refused before reading, and a stream that grows past it is cut.
 * Destroying the body makes undici drop the connection, so the rest is never downloaded.
 */
export async function readBody(body: Readable, headers: BodyHeaders, maxBytes: number): Promise<Uint8Array> {
  const declared = declaredLength(headers.contentLength);
  if (declared !== undefined && declared > maxBytes) {
    discard(body);
    throw new BodyTooLargeError(maxBytes, declared);
  }
  let decoded: Readable;
  try {
    decoded = decodeStream(body, contentCodings(headers.contentEncoding));
  } catch (error) {
    discard(body);
    throw error;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of decoded as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      discard(body);
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

function declaredLength(header: string | undefined): number | undefined {
  return header !== undefined && /^\s*\d+\s*$/.test(header) ? Number(header) : undefined;
}

/** Drops the connection. undici reports a destroyed body as an abort error, which nobody is waiting for. */
function discard(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}
