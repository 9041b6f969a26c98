import { randomUUID } from 'node:crypto';
import type { Article } from '@tidings/parser';
import { StoreError } from '../errors.js';

/**
 * The outbox: pushes of new (and edited) articles to their destinations (webhooks, mailboxes),
 * written by `upsertArticles` in the same transaction as the articles, then claimed, sent and
 * completed by the delivery worker. Both backends (and any later one) keep the same meaning:
 *
 * - one entry per destination per write that found something for it, with an idempotency `key`
 *   fixed when it is written: every attempt at it carries that key;
 * - a claim is leased (`leaseMs`): while it lasts, no other claim gets the entry; once it
 *   expires (the sender died) the next claim takes it over, and the first holder's
 *   `failDelivery` no longer applies;
 * - `completeDelivery` removes the entry; `failDelivery` puts it back for `retryAt`, or keeps it
 *   as `failed` (given up) with its last error;
 * - per destination, the backend keeps what `deliveryStatus` shows.
 */

/** Where one upsert's changes are pushed: a destination of the source or of a feed derived from it. */
export interface OutboxTarget {
  /** The destination's id (config: `notify:`), stable across restarts. */
  destination: string;
  /** The feed the destination belongs to: the source itself or a derived feed. */
  feedId: string;
  /** Also push articles whose content changed, flagged as edited. */
  edited: boolean;
  /** Which articles this feed carries (a derived feed's filter); all when absent. */
  keep?: (article: Article) => boolean;
}

export interface UpsertOptions {
  /** Destinations to queue this write's new (and edited) articles for, in its transaction. */
  outbox?: readonly OutboxTarget[];
}

/** What an upsert did to one article, as the outbox needs it. */
export interface ArticleChange {
  /** The article as stored after the write (merged). */
  article: Article;
  change: 'new' | 'edited';
  firstSeen: string;
  updatedAt: string;
}

/** One article of a delivery. */
export interface DeliveryItem {
  article: Article;
  /** Stored before, and its content changed (title, text, date…). */
  edited: boolean;
  firstSeen: string;
  updatedAt: string;
}

/** An outbox entry as written: what to send to one destination. */
export interface OutboxEntry {
  /** The idempotency key: a UUID, fixed at write, sent with every attempt. */
  key: string;
  destination: string;
  feedId: string;
  /** ISO instant of the write. */
  createdAt: string;
  items: DeliveryItem[];
}

/** An entry claimed for sending, until its lease expires. */
export interface ClaimedDelivery extends OutboxEntry {
  /** Attempts so far, this one included. */
  attempts: number;
  /** Proves the claim: `failDelivery` applies only with the newest claim's token. */
  token: string;
}

/** Which claim a completion or failure is about. */
export type DeliveryClaim = Pick<ClaimedDelivery, 'key' | 'token'>;

export interface DeliveryFailure {
  /** What went wrong, for status (no secrets). */
  error: string;
  /** ISO instant of the failed attempt. */
  at: string;
  /** When to try again (ISO instant); absent: give up, keep the entry as failed. */
  retryAt?: string;
}

/** Per destination: what is waiting, what went wrong lately. */
export interface DestinationStatus {
  destination: string;
  /** Entries not yet delivered nor given up (waiting, or being sent). */
  pending: number;
  /** Entries given up on (kept with their last error, newest ones only). */
  failed: number;
  /** Entries delivered since the store was created. */
  delivered: number;
  lastSuccessAt?: string;
  lastError?: string;
  lastErrorAt?: string;
  /** Failed attempts since the last success. */
  consecutiveFailures: number;
}

/**
 * Destination statuses as a store reads them, in two passes (entry counts, then delivery records):
 * `of` gives a destination's status, empty on first mention; `list` sorts them by destination.
 */
export class DestinationTally {
  readonly #byDestination = new Map<string, DestinationStatus>();

  of(destination: string): DestinationStatus {
    let status = this.#byDestination.get(destination);
    if (!status) {
      status = { destination, pending: 0, failed: 0, delivered: 0, consecutiveFailures: 0 };
      this.#byDestination.set(destination, status);
    }
    return status;
  }

  list(): DestinationStatus[] {
    return [...this.#byDestination.values()].sort((a, b) => (a.destination < b.destination ? -1 : 1));
  }
}

/** A delivery with more articles than this is split into several entries (a first refresh of a big section). */
export const MAX_ITEMS_PER_DELIVERY = 100;

/** Failed entries kept (newest first) in all, so a destination that is gone for good cannot fill the store. */
export const FAILED_ENTRIES_KEPT = 1000;

/**
 * The entries one upsert writes: per target, its new articles (and edited ones where it asks),
 * those its feed keeps, in batches of at most MAX_ITEMS_PER_DELIVERY; none for a target that got
 * nothing. Run inside the write's transaction (or before its one script), so the entries are
 * stored with the articles or not at all.
 */
export function planOutbox(
  changes: readonly ArticleChange[],
  targets: readonly OutboxTarget[] | undefined,
  now: string,
): OutboxEntry[] {
  if (!targets || targets.length === 0 || changes.length === 0) return [];
  const entries: OutboxEntry[] = [];
  for (const target of targets) {
    const items = changes
      .filter((change) => change.change === 'new' || target.edited)
      .filter((change) => target.keep?.(change.article) ?? true)
      .map(
        (change): DeliveryItem => ({
          article: change.article,
          edited: change.change === 'edited',
          firstSeen: change.firstSeen,
          updatedAt: change.updatedAt,
        }),
      );
    for (let start = 0; start < items.length; start += MAX_ITEMS_PER_DELIVERY) {
      entries.push({
        key: randomUUID(),
        destination: target.destination,
        feedId: target.feedId,
        createdAt: now,
        items: items.slice(start, start + MAX_ITEMS_PER_DELIVERY),
      });
    }
  }
  return entries;
}

/** The changes of one batch, by id, last state wins; an id new in this batch stays new. */
export class ChangeCollector {
  readonly #changes = new Map<string, ArticleChange>();

  record(change: ArticleChange): void {
    const earlier = this.#changes.get(change.article.id);
    this.#changes.set(change.article.id, earlier?.change === 'new' ? { ...change, change: 'new' } : change);
  }

  list(): ArticleChange[] {
    return [...this.#changes.values()];
  }
}

export function checkClaimOptions(options: { limit: number; leaseMs: number }): void {
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > 100) {
    throw new StoreError('bad-claim', `claimDeliveries: limit must be 1 to 100, got ${options.limit}.`);
  }
  if (!Number.isFinite(options.leaseMs) || options.leaseMs < 1) {
    throw new StoreError('bad-claim', `claimDeliveries: leaseMs must be positive, got ${options.leaseMs}.`);
  }
}
