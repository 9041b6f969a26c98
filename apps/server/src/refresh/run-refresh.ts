import type { Fetcher } from '@tidings/fetch';
import type { Limits, SourceConfig } from '../config/types.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Backend } from '../store/backend.js';
import type { OutboxTarget } from '../store/outbox.js';
import { feedPath } from '../views/channel.js';
import { FORMATS } from '../views/feed-cache.js';
import type { Views } from '../views/views.js';
import { pingHub } from '../websub.js';
import { emptyOutcome, type RefreshOutcome, refreshSource } from './refresh-source.js';
import type { PageRenderer } from './render-page.js';
import type { RefreshTrigger } from './scheduler.js';

export interface RunRefreshDeps {
  backend: Backend;
  views: Views;
  fetcherFor: (source: SourceConfig) => Pick<Fetcher, 'fetch'>;
  /** For `render: browser` sources; their pages' requests go through `fetcherFor(source)`. */
  renderer?: PageRenderer;
  logger: Logger;
  metrics: Metrics;
  limits: Limits;
  lockTtlMs: number;
  /** Base of the feeds' public URLs, for hub pings. */
  publicBase: string;
  hub: string | undefined;
  /** Pushes (`notify:`): whom a source's new articles are queued for, and the worker that sends them. */
  delivery?: { targets(source: SourceConfig): OutboxTarget[]; wake(): void };
}

/**
 * One refresh of one source, in the order it happens: take the source's lease (or learn that
 * another instance has it, or ran it lately) → fetch, parse and store (`refreshSource`) → record
 * the run → render the views that changed → tell the other instances → wake the delivery worker
 * (the pushes were queued with the articles) → ping the WebSub hub → give the lease back.
 */
export async function runRefresh(
  source: SourceConfig,
  trigger: RefreshTrigger,
  deps: RunRefreshDeps,
): Promise<RefreshOutcome> {
  const { backend, views, logger } = deps;
  const grant = await backend.acquireRefresh(source.id, {
    ttlMs: deps.lockTtlMs,
    // Scheduled runs wait an interval after the last one by any instance; asking by hand does not.
    freshForMs: trigger === 'scheduled' ? source.refreshMs : 0,
  });
  if ('refused' in grant) {
    logger.debug({ source: source.id, reason: grant.refused, retryInMs: grant.retryInMs }, 'refresh skipped');
    return { ...emptyOutcome('skipped'), skipped: { reason: grant.refused, retryInMs: grant.retryInMs } };
  }
  const { lease } = grant;
  try {
    const outcome = await refreshSource(source, {
      backend,
      lease,
      fetcher: deps.fetcherFor(source),
      renderer: deps.renderer,
      logger,
      metrics: deps.metrics,
      limits: deps.limits,
      ...(deps.delivery && { outbox: deps.delivery.targets(source) }),
    });
    await lease.complete(new Date());
    if (!outcome.changed) {
      views.statusChanged();
      return outcome;
    }
    const rendered = await views.sourceChanged(source);
    await backend.publishChange(source.id);
    // The outbox entries were stored with the articles; the feeds they link to are rendered now.
    deps.delivery?.wake();
    if (rendered && deps.hub) {
      const feeds = views
        .feedsOf(source.id)
        .flatMap((feed) => FORMATS.map((format) => deps.publicBase + feedPath(feed.id, format)));
      await pingHub(deps.hub, feeds, logger);
    }
    return outcome;
  } finally {
    await lease.release();
  }
}
