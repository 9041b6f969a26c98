import type { Logger } from './logger.js';

/**
 * Tells a WebSub hub that feeds changed (hub.mode=publish), so subscribers hear of new articles
 * without polling. Failures are logged, never fatal: readers still poll.
 */
export async function pingHub(hub: string, feedUrls: readonly string[], logger: Logger): Promise<void> {
  const body = new URLSearchParams({ 'hub.mode': 'publish' });
  for (const url of feedUrls) body.append('hub.url', url);
  try {
    const response = await fetch(hub, { method: 'POST', body, signal: AbortSignal.timeout(10_000) });
    if (!response.ok) logger.warn({ hub, status: response.status }, 'hub did not accept the ping');
    else logger.info({ hub, feeds: feedUrls.length }, 'pinged hub');
  } catch (error) {
    logger.warn({ hub, err: String(error) }, 'hub ping failed');
  }
}
