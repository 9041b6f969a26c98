import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors.js';

/** Every body the admin API takes fits: a source, a written profile, a preview request. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The request's JSON body, at most MAX_BODY_BYTES; `bad-json` or `body-too-large` otherwise. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const declared = Number(request.headers['content-length']);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError(
      400,
      'bad-json',
      `The body is not JSON (${(error as Error).message}); send Content-Type: application/json.`,
    );
  }
}

function tooLarge(): ApiError {
  return new ApiError(413, 'body-too-large', `Bodies may be at most ${MAX_BODY_BYTES} bytes (1 MiB).`);
}
