import type { SourceConfig } from '../config/types.js';
import type { DeliveryHealth } from '../delivery/status.js';
import type { SourceSummary } from './index-page.js';

export type { DeliveryHealth };

/**
 * GET /healthz when the store answered: each feed's state, for people and load balancers, and
 * each push destination's (`deliveries`: pending, last success, last error, failures in a row).
 */
export function renderHealth(
  summaries: readonly SourceSummary[],
  deliveries: readonly DeliveryHealth[] = [],
): string {
  const feeds = summaries.map(({ source, status }) => ({
    id: source.id,
    enabled: source.enabled,
    articles: status.articleCount,
    lastSuccessAt: status.lastSuccessAt ?? null,
    lastError: status.lastError ?? null,
    consecutiveFailures: status.consecutiveFailures,
    nextRunAt: status.nextRunAt ?? null,
  }));
  return JSON.stringify({ status: 'ok', feeds, deliveries });
}

/**
 * GET /healthz when the store is unreachable (Redis down): cached feeds are still served from
 * memory, so the instance stays in the load balancer's rotation and says what is wrong.
 */
export function renderDegradedHealth(sources: readonly SourceConfig[], error: unknown): string {
  return JSON.stringify({
    status: 'degraded',
    store: `unreachable: ${error instanceof Error ? error.message : String(error)}`,
    feeds: sources.map((source) => ({ id: source.id, enabled: source.enabled })),
  });
}
