import { Redis } from 'ioredis';
import { StoreError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { redactedUrl } from '../url.js';

/** Commands fail after this many reconnection attempts instead of waiting for Redis forever. */
const MAX_RETRIES_PER_REQUEST = 2;
const CONNECT_TIMEOUT_MS = 5000;

/**
 * A connected client, or a `cannot-connect` StoreError naming the URL (password hidden) when
 * Redis cannot be reached now. Once connected, ioredis reconnects on its own.
 */
export async function connect(url: string, name: string, logger: Logger): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
    connectTimeout: CONNECT_TIMEOUT_MS,
    connectionName: name,
  });
  let lastError: Error | undefined;
  // Without a listener ioredis prints every connection error to the console.
  client.on('error', (error: Error) => {
    lastError = error;
    logger.warn({ err: error, connection: name }, 'Redis connection error');
  });
  try {
    await client.connect();
    return client;
  } catch (error) {
    client.disconnect();
    const reason = lastError ?? error;
    throw new StoreError(
      'cannot-connect',
      `Cannot connect to Redis at ${redactedUrl(url)}: ${reason instanceof Error ? reason.message : String(reason)}. ` +
        'Check that Redis runs there and that the URL is right.',
      { cause: reason },
    );
  }
}

/** Quits politely, but gives up waiting after `timeoutMs` (e.g. while Redis is unreachable). */
export async function disconnect(client: Redis, timeoutMs = 1000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([client.quit().catch(() => undefined), gaveUp]);
  clearTimeout(timer);
  client.disconnect();
}
