import type { Article } from '@tidings/parser';
import type { Backend, RefreshLease } from './backend.js';
import type {
  ClaimedDelivery,
  DeliveryClaim,
  DeliveryFailure,
  DestinationStatus,
  UpsertOptions,
} from './outbox.js';
import { openSqliteStore } from './sqlite.js';
import type {
  ListOptions,
  RetentionPolicy,
  SourceStatus,
  Store,
  StoredArticle,
  UpsertResult,
} from './types.js';

/**
 * The embedded default: the SQLite store, one process. Leases only keep this process from running
 * a source twice at once; changes reach this process's listeners. Outbox claims a previous
 * process left (it died mid-send) are released when the file is opened: due again at once.
 */
export class SqliteBackend implements Backend {
  readonly kind = 'sqlite';
  readonly #held = new Set<string>();
  readonly #completedAt = new Map<string, number>();
  readonly #listeners: ((sourceId: string) => void)[] = [];
  #fence = 0;

  constructor(readonly store: Store) {}

  async upsertArticles(
    sourceId: string,
    articles: readonly Article[],
    now: string,
    _lease?: RefreshLease,
    options?: UpsertOptions,
  ): Promise<UpsertResult> {
    return this.store.upsertArticles(sourceId, articles, now, options);
  }

  async listArticles(sourceId: string, options?: ListOptions): Promise<StoredArticle[]> {
    return this.store.listArticles(sourceId, options);
  }

  async getArticles(sourceId: string, ids: readonly string[]): Promise<Map<string, StoredArticle>> {
    const found = new Map<string, StoredArticle>();
    for (const id of ids) {
      const stored = this.store.getArticle(sourceId, id);
      if (stored) found.set(id, stored);
    }
    return found;
  }

  async countArticles(sourceId: string): Promise<number> {
    return this.store.countArticles(sourceId);
  }

  async listPublishedBetween(sourceId: string, fromMs: number, toMs: number): Promise<StoredArticle[]> {
    return this.store.listPublishedBetween(sourceId, fromMs, toMs);
  }

  async countPublishedSince(sourceId: string, fromMs: number): Promise<number> {
    return this.store.countPublishedSince(sourceId, fromMs);
  }

  async latestPublishedBefore(sourceId: string, beforeMs: number): Promise<number | undefined> {
    return this.store.latestPublishedBefore(sourceId, beforeMs);
  }

  async applyRetention(sourceId: string, policy: RetentionPolicy, now: string): Promise<number> {
    return this.store.applyRetention(sourceId, policy, now);
  }

  async getStatus(sourceId: string): Promise<SourceStatus> {
    return this.store.getStatus(sourceId);
  }

  async updateStatus(sourceId: string, patch: Parameters<Store['updateStatus']>[1]): Promise<void> {
    this.store.updateStatus(sourceId, patch);
  }

  async acquireRefresh(
    sourceId: string,
    options: { ttlMs: number; freshForMs: number },
  ): Promise<{ lease: RefreshLease } | { refused: 'held' | 'fresh'; retryInMs: number }> {
    if (this.#held.has(sourceId)) return { refused: 'held', retryInMs: options.ttlMs };
    const sinceMs = Date.now() - (this.#completedAt.get(sourceId) ?? Number.NEGATIVE_INFINITY);
    if (sinceMs < options.freshForMs) return { refused: 'fresh', retryInMs: options.freshForMs - sinceMs };
    this.#held.add(sourceId);
    const lease: RefreshLease = {
      sourceId,
      fence: ++this.#fence,
      complete: async (at) => {
        this.#completedAt.set(sourceId, at.getTime());
      },
      release: async () => {
        this.#held.delete(sourceId);
      },
    };
    return { lease };
  }

  async claimDeliveries(options: { limit: number; leaseMs: number }): Promise<ClaimedDelivery[]> {
    return this.store.claimDeliveries(options);
  }

  async completeDelivery(delivery: DeliveryClaim, at: string): Promise<void> {
    this.store.completeDelivery(delivery, at);
  }

  async failDelivery(delivery: DeliveryClaim, failure: DeliveryFailure): Promise<void> {
    this.store.failDelivery(delivery, failure);
  }

  async deliveryStatus(): Promise<DestinationStatus[]> {
    return this.store.deliveryStatus();
  }

  async publishChange(sourceId: string): Promise<void> {
    for (const listener of this.#listeners) listener(sourceId);
  }

  onChange(listener: (sourceId: string) => void): void {
    this.#listeners.push(listener);
  }

  /** An open file is always there. */
  unreachable(): undefined {
    return undefined;
  }

  async close(): Promise<void> {
    this.store.close();
  }
}

export function openSqliteBackend(path: string): SqliteBackend {
  return new SqliteBackend(openSqliteStore(path));
}
