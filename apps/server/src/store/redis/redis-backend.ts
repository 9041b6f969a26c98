import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Article } from '@tidings/parser';
import type { ChainableCommander, Redis } from 'ioredis';
import pino from 'pino';
import { StoreError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Backend, RefreshLease } from '../backend.js';
import {
  type ClaimedDelivery,
  type DeliveryClaim,
  type DeliveryFailure,
  type DestinationStatus,
  planOutbox,
  type UpsertOptions,
} from '../outbox.js';
import type { ListOptions, RetentionPolicy, SourceStatus, StoredArticle, UpsertResult } from '../types.js';
import {
  checkArticle,
  checkLeaseTimes,
  checkLimit,
  checkPolicy,
  checkRange,
  checkStatusPatch,
  type StatusPatch,
  toInstant,
} from '../validate.js';
import { connect, disconnect } from './connect.js';
import { changesChannel, outboxKeys, type SourceKeys, sourceKeys } from './keys.js';
import { RedisLease } from './lease.js';
import { compareNewestFirst, matchesKeyword } from './newest-first.js';
import { RedisOutbox } from './outbox.js';
import { countPublishedSince, latestPublishedBefore, publishedBetween } from './published-range.js';
import { idsToDrop } from './retention-plan.js';
import { defineScripts, type LeaseClaim, type Scripts } from './scripts.js';
import { STATUS_FIELDS, statusChanges, statusFromHash } from './status.js';
import { planUpsert } from './upsert-plan.js';

const DEFAULT_PREFIX = 'tidings:';
const DEFAULT_LIMIT = 50;
/** Asking again sooner than this after a 'held' refusal only costs round trips. */
const MIN_HELD_RETRY_MS = 50;

export interface RedisBackendOptions {
  /** Prepended to every key and to the changes channel. Default `tidings:`. */
  keyPrefix?: string;
  logger?: Logger;
  /** Names this instance in lease tokens and Redis client names. Default `<hostname>:<pid>`. */
  instanceId?: string;
}

/**
 * Connects to Redis (a command connection and a subscriber) and subscribes to changes.
 *
 * @throws {StoreError} `cannot-connect` when Redis cannot be reached now
 */
export async function openRedisBackend(
  url: string,
  options: RedisBackendOptions = {},
): Promise<RedisBackend> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const instanceId = options.instanceId ?? `${hostname()}:${process.pid}`;
  const clientName = `tidings:${instanceId}`.replace(/[^\w.:-]/g, '_');
  const commands = await connect(url, `${clientName}:commands`, logger);
  let subscriber: Redis;
  try {
    subscriber = await connect(url, `${clientName}:changes`, logger);
  } catch (error) {
    await disconnect(commands);
    throw error;
  }
  const prefix = options.keyPrefix ?? DEFAULT_PREFIX;
  const backend = new RedisBackend(commands, subscriber, { prefix, logger, instanceId });
  try {
    await subscriber.subscribe(changesChannel(prefix));
  } catch (error) {
    await backend.close();
    throw error;
  }
  return backend;
}

/** Several instances sharing one Redis: the key layout is in keys.ts, the atomic parts in scripts.ts. */
export class RedisBackend implements Backend {
  readonly kind = 'redis';
  readonly #commands: Redis;
  readonly #subscriber: Redis;
  readonly #scripts: Scripts;
  readonly #prefix: string;
  readonly #logger: Logger;
  readonly #instanceId: string;
  readonly #listeners: ((sourceId: string) => void)[] = [];
  readonly #leases = new Set<RedisLease>();
  readonly #outbox: RedisOutbox;
  #closed = false;

  constructor(
    commands: Redis,
    subscriber: Redis,
    settings: { prefix: string; logger: Logger; instanceId: string },
  ) {
    this.#commands = commands;
    this.#subscriber = subscriber;
    this.#scripts = defineScripts(commands);
    this.#prefix = settings.prefix;
    this.#logger = settings.logger;
    this.#instanceId = settings.instanceId;
    this.#outbox = new RedisOutbox(commands, outboxKeys(settings.prefix), settings.instanceId);
    subscriber.on('message', (channel: string, sourceId: string) => {
      if (channel === changesChannel(this.#prefix)) this.#notify(sourceId);
    });
  }

  /**
   * Reads the stored copies, merges in TypeScript exactly as the SQLite store does, then writes
   * everything in one script. Without a lease, concurrent writers to one source race (last wins);
   * the refresh layer writes under a lease.
   */
  async upsertArticles(
    sourceId: string,
    articles: readonly Article[],
    now: string,
    lease?: RefreshLease,
    options: UpsertOptions = {},
  ): Promise<UpsertResult> {
    const seenAt = toInstant(now, 'now');
    for (const article of articles) checkArticle(article);
    const claim = claimOf(sourceId, lease);
    if (articles.length === 0 && !claim) return { added: 0, updated: 0, unchanged: 0, changed: false };

    const keys = this.#keys(sourceId);
    const stored = await this.#storedJson(keys, [...new Set(articles.map((article) => article.id))]);
    const plan = planUpsert(articles, stored, seenAt);
    // Written by the same script as the articles: a fenced-out writer queues nothing either.
    const entries = planOutbox(plan.changes, options.outbox, seenAt);
    const outbox =
      entries.length > 0 ? { keys: this.#outbox.keys, entries: RedisOutbox.writes(entries) } : undefined;
    if ((await this.#scripts.writeArticles(keys, claim, plan.writes, outbox)) === 'fenced-out') {
      throw fencedOut(sourceId, claim);
    }
    return plan.result;
  }

  async listArticles(sourceId: string, options: ListOptions = {}): Promise<StoredArticle[]> {
    const limit = options.limit ?? DEFAULT_LIMIT;
    checkLimit(limit);
    if (limit === 0) return [];
    const keys = this.#keys(sourceId);
    const { q } = options;
    const candidates =
      q === undefined || q === ''
        ? parseAll(await this.#scripts.newestArticles(keys, limit))
        : parseAll(await this.#commands.hvals(keys.articles)).filter((stored) => matchesKeyword(stored, q));
    return candidates.sort(compareNewestFirst).slice(0, limit);
  }

  async getArticles(sourceId: string, ids: readonly string[]): Promise<Map<string, StoredArticle>> {
    const stored = await this.#storedJson(this.#keys(sourceId), ids);
    return new Map([...stored].map(([id, json]) => [id, JSON.parse(json) as StoredArticle]));
  }

  async countArticles(sourceId: string): Promise<number> {
    return this.#commands.zcard(this.#keys(sourceId).order);
  }

  async listPublishedBetween(sourceId: string, fromMs: number, toMs: number): Promise<StoredArticle[]> {
    checkRange(fromMs, toMs);
    return publishedBetween(this.#commands, this.#keys(sourceId), fromMs, toMs);
  }

  async countPublishedSince(sourceId: string, fromMs: number): Promise<number> {
    checkRange(fromMs);
    return countPublishedSince(this.#commands, this.#keys(sourceId), fromMs);
  }

  async latestPublishedBefore(sourceId: string, beforeMs: number): Promise<number | undefined> {
    checkRange(beforeMs);
    return latestPublishedBefore(this.#commands, this.#keys(sourceId), beforeMs);
  }

  /** Picks what to drop in TypeScript from the stored set, deletes it in one script. */
  async applyRetention(
    sourceId: string,
    policy: RetentionPolicy,
    now: string,
    lease?: RefreshLease,
  ): Promise<number> {
    const nowMs = Date.parse(toInstant(now, 'now'));
    checkPolicy(policy);
    const claim = claimOf(sourceId, lease);
    const keys = this.#keys(sourceId);
    const ids =
      policy.maxArticles === undefined && policy.maxAgeMs === undefined
        ? []
        : idsToDrop(parseAll(await this.#commands.hvals(keys.articles)), policy, nowMs);
    if (ids.length === 0 && !claim) return 0;
    const dropped = await this.#scripts.dropArticles(keys, claim, ids);
    if (dropped === 'fenced-out') throw fencedOut(sourceId, claim);
    return dropped;
  }

  async getStatus(sourceId: string): Promise<SourceStatus> {
    const keys = this.#keys(sourceId);
    const [hash, count] = await execAll(this.#commands.multi().hgetall(keys.status).zcard(keys.order));
    return statusFromHash(sourceId, hash as Record<string, string>, count as number);
  }

  async updateStatus(sourceId: string, patch: StatusPatch): Promise<void> {
    checkStatusPatch(patch, STATUS_FIELDS);
    const { set, clear } = statusChanges(patch);
    const key = this.#keys(sourceId).status;
    const transaction = this.#commands.multi();
    if (Object.keys(set).length > 0) transaction.hset(key, set);
    if (clear.length > 0) transaction.hdel(key, ...clear);
    await execAll(transaction);
  }

  async acquireRefresh(
    sourceId: string,
    options: { ttlMs: number; freshForMs: number },
  ): Promise<{ lease: RefreshLease } | { refused: 'held' | 'fresh'; retryInMs: number }> {
    checkLeaseTimes(options);
    const keys = this.#keys(sourceId);
    const ttlMs = Math.ceil(options.ttlMs);
    const token = `${this.#instanceId}:${randomBytes(12).toString('hex')}`;
    const decision = await this.#scripts.acquireLease(keys, token, ttlMs, Math.ceil(options.freshForMs));
    if (!decision.granted) {
      const retryInMs =
        decision.refused === 'held' ? Math.max(decision.retryInMs, MIN_HELD_RETRY_MS) : decision.retryInMs;
      return { refused: decision.refused, retryInMs };
    }
    const lease = new RedisLease(
      { sourceId, fence: decision.fence, token, ttlMs },
      {
        scripts: this.#scripts,
        keys,
        logger: this.#logger,
        onReleased: (released) => this.#leases.delete(released),
      },
    );
    this.#leases.add(lease);
    return { lease };
  }

  claimDeliveries(options: { limit: number; leaseMs: number }): Promise<ClaimedDelivery[]> {
    return this.#outbox.claim(options);
  }

  completeDelivery(delivery: DeliveryClaim, at: string): Promise<void> {
    return this.#outbox.complete(delivery, at);
  }

  failDelivery(delivery: DeliveryClaim, failure: DeliveryFailure): Promise<void> {
    return this.#outbox.fail(delivery, failure);
  }

  deliveryStatus(): Promise<DestinationStatus[]> {
    return this.#outbox.status();
  }

  async publishChange(sourceId: string): Promise<void> {
    await this.#commands.publish(changesChannel(this.#prefix), sourceId);
  }

  /** Messages arrive on the subscriber connection, this instance's own publishes included. */
  onChange(listener: (sourceId: string) => void): void {
    this.#listeners.push(listener);
  }

  unreachable(): string | undefined {
    const state = this.#commands.status;
    return state === 'ready' ? undefined : `the connection to Redis is ${state}`;
  }

  /** Releases the leases still held (so others need not wait for them to expire), then disconnects. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#leases].map((lease) => lease.release()));
    await Promise.all([disconnect(this.#commands), disconnect(this.#subscriber)]);
  }

  #keys(sourceId: string): SourceKeys {
    return sourceKeys(this.#prefix, sourceId);
  }

  async #storedJson(keys: SourceKeys, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const values = await this.#commands.hmget(keys.articles, ...ids);
    const stored = new Map<string, string>();
    ids.forEach((id, index) => {
      const json = values[index];
      if (json !== null && json !== undefined) stored.set(id, json);
    });
    return stored;
  }

  #notify(sourceId: string): void {
    for (const listener of this.#listeners) {
      try {
        listener(sourceId);
      } catch (error) {
        this.#logger.error({ err: error, sourceId }, 'A change listener threw');
      }
    }
  }
}

/** The lease as a fenced script checks it; refuses a lease that is not this kind's or not this source's. */
function claimOf(sourceId: string, lease: RefreshLease | undefined): LeaseClaim | undefined {
  if (lease === undefined) return undefined;
  if (!(lease instanceof RedisLease)) {
    throw new StoreError('bad-lease', `The lease for ${lease.sourceId} was not granted by a Redis backend.`);
  }
  if (lease.sourceId !== sourceId) {
    throw new StoreError('bad-lease', `A lease for ${lease.sourceId} cannot fence a write to ${sourceId}.`);
  }
  return lease.claim;
}

function fencedOut(sourceId: string, claim: LeaseClaim | undefined): StoreError {
  return new StoreError(
    'fenced-out',
    `This instance lost the refresh lease for ${sourceId} (fence ${claim?.fence}): it expired or another ` +
      'instance holds a newer one, so nothing was written.',
  );
}

function parseAll(values: readonly (string | null)[]): StoredArticle[] {
  return values
    .filter((json): json is string => json !== null)
    .map((json) => JSON.parse(json) as StoredArticle);
}

/** MULTI … EXEC, throwing the first command's error. */
async function execAll(transaction: ChainableCommander): Promise<unknown[]> {
  const replies = (await transaction.exec()) ?? [];
  return replies.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}
