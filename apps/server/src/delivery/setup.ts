import { DEFAULT_DELIVERY, type DeliverySettings, type SourceConfig } from '../config/types.js';
import type { FeedDefinition } from '../filter/feed-definition.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Backend } from '../store/backend.js';
import type { OutboxTarget } from '../store/outbox.js';
import { destinationsOf, outboxTargets } from './destinations.js';
import { type DeliveryHealth, deliveryHealth } from './status.js';
import { DeliveryWorker } from './worker.js';

export interface DeliveryDeps {
  backend: Backend;
  /** Every feed by id, kept current by `LiveSources` (reloads change destinations). */
  feeds: ReadonlyMap<string, FeedDefinition>;
  settings: DeliverySettings | undefined;
  logger: Logger;
  metrics: Metrics;
  publicBase: string;
  hub: string | undefined;
  /** After each attempt (so /healthz is rendered anew). */
  onAttempt?: () => void;
}

/** Pushes, wired: whom a refresh queues for, the worker that sends, and their status. */
export interface Delivery {
  worker: DeliveryWorker;
  targets(source: SourceConfig): OutboxTarget[];
  wake(): void;
  /** /healthz's `deliveries`. */
  health(): Promise<DeliveryHealth[]>;
  /** `tidings_outbox_pending`, for the configured destinations only. */
  pending(): Promise<{ destination: string; pending: number }[]>;
}

export function createDelivery(deps: DeliveryDeps): Delivery {
  const { backend, feeds } = deps;
  const destinations = () => destinationsOf(feeds.values());
  const worker = new DeliveryWorker({
    backend,
    destinations,
    settings: deps.settings ?? DEFAULT_DELIVERY,
    logger: deps.logger,
    metrics: deps.metrics,
    publicBase: deps.publicBase,
    hub: deps.hub,
    ...(deps.onAttempt && { onAttempt: deps.onAttempt }),
  });
  const health = async () => {
    const configured = destinations();
    return configured.size === 0 ? [] : deliveryHealth(configured, await backend.deliveryStatus());
  };
  return {
    worker,
    targets: (source) => outboxTargets(source, feeds.values()),
    wake: () => worker.wake(),
    health,
    pending: async () => (await health()).map(({ id, pending }) => ({ destination: id, pending })),
  };
}
