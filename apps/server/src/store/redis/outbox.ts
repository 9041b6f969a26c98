import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  type ClaimedDelivery,
  checkClaimOptions,
  type DeliveryClaim,
  type DeliveryFailure,
  type DestinationStatus,
  DestinationTally,
  FAILED_ENTRIES_KEPT,
  type OutboxEntry,
} from '../outbox.js';
import { toInstant } from '../validate.js';
import type { OutboxKeys } from './keys.js';
import { defineOutboxScripts, type OutboxScripts } from './outbox-scripts.js';
import type { OutboxWrite } from './scripts.js';

interface EntryState {
  destination: string;
  state: 'pending' | 'sending' | 'failed';
  attempts: number;
}

interface DestinationRecord {
  delivered?: number;
  lastSuccessAt?: string;
  lastError?: string;
  lastErrorAt?: string;
  consecutiveFailures?: number;
}

/** The outbox in Redis (keys.ts, outbox-scripts.ts); entries are written by the articles' write script. */
export class RedisOutbox {
  readonly #commands: Redis;
  readonly #scripts: OutboxScripts;
  readonly #instanceId: string;
  readonly keys: OutboxKeys;

  constructor(commands: Redis, keys: OutboxKeys, instanceId: string) {
    this.#commands = commands;
    this.#scripts = defineOutboxScripts(commands);
    this.#instanceId = instanceId;
    this.keys = keys;
  }

  /** What the write script stores for each entry. */
  static writes(entries: readonly OutboxEntry[]): OutboxWrite[] {
    return entries.map((entry) => ({
      key: entry.key,
      entry: JSON.stringify(entry),
      state: JSON.stringify({
        destination: entry.destination,
        state: 'pending',
        attempts: 0,
      } satisfies EntryState),
      dueMs: Date.parse(entry.createdAt),
    }));
  }

  async claim(options: { limit: number; leaseMs: number }): Promise<ClaimedDelivery[]> {
    checkClaimOptions(options);
    const prefix = `${this.#instanceId}:${randomBytes(9).toString('hex')}`;
    const replies = await this.#scripts.claim(this.keys, options.limit, Math.ceil(options.leaseMs), prefix);
    return replies.map((reply) => ({
      ...(JSON.parse(reply.entry) as OutboxEntry),
      attempts: reply.attempts,
      token: reply.token,
    }));
  }

  async complete(delivery: DeliveryClaim, at: string): Promise<void> {
    await this.#scripts.complete(this.keys, delivery.key, toInstant(at, 'at'));
  }

  async fail(delivery: DeliveryClaim, failure: DeliveryFailure): Promise<void> {
    const retryAtMs =
      failure.retryAt === undefined ? undefined : Date.parse(toInstant(failure.retryAt, 'retryAt'));
    await this.#scripts.fail(
      this.keys,
      delivery,
      { error: String(failure.error), at: toInstant(failure.at, 'at'), retryAtMs },
      FAILED_ENTRIES_KEPT,
    );
  }

  /** Counts every entry's state (the outbox holds what is pending plus at most FAILED_ENTRIES_KEPT). */
  async status(): Promise<DestinationStatus[]> {
    const replies =
      (await this.#commands.multi().hvals(this.keys.states).hgetall(this.keys.status).exec()) ?? [];
    const [states, records] = replies.map(([error, reply]) => {
      if (error) throw error;
      return reply;
    }) as [string[], Record<string, string>];
    const tally = new DestinationTally();
    for (const json of states) {
      const state = JSON.parse(json) as EntryState;
      const status = tally.of(state.destination);
      if (state.state === 'failed') status.failed++;
      else status.pending++;
    }
    for (const [destination, json] of Object.entries(records)) {
      const record = JSON.parse(json) as DestinationRecord;
      const status = tally.of(destination);
      status.delivered = record.delivered ?? 0;
      status.consecutiveFailures = record.consecutiveFailures ?? 0;
      if (record.lastSuccessAt !== undefined) status.lastSuccessAt = record.lastSuccessAt;
      if (record.lastError !== undefined) status.lastError = record.lastError;
      if (record.lastErrorAt !== undefined) status.lastErrorAt = record.lastErrorAt;
    }
    return tally.list();
  }
}
