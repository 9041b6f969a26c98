import type { Logger } from '../../logger.js';
import type { RefreshLease } from '../backend.js';
import type { SourceKeys } from './keys.js';
import type { LeaseClaim, Scripts } from './scripts.js';

export interface LeaseGrant {
  sourceId: string;
  fence: number;
  /** What the lock key holds while this lease is the holder: `${instanceId}:${random}`. */
  token: string;
  ttlMs: number;
}

interface LeaseContext {
  scripts: Scripts;
  keys: SourceKeys;
  logger: Logger;
  /** Called once when the lease is released, so the backend stops tracking it. */
  onReleased(lease: RedisLease): void;
}

/**
 * A granted refresh lease. It renews itself every ttl/3 with a compare-and-PEXPIRE for as long
 * as it is held; when a renewal finds the lock gone or someone else's, the lease is lost and
 * stops renewing (its fenced writes are then refused by Redis).
 */
export class RedisLease implements RefreshLease {
  readonly sourceId: string;
  readonly fence: number;
  readonly #grant: LeaseGrant;
  readonly #context: LeaseContext;
  #state: 'held' | 'lost' | 'released' = 'held';
  #renewal: NodeJS.Timeout | undefined;

  constructor(grant: LeaseGrant, context: LeaseContext) {
    this.sourceId = grant.sourceId;
    this.fence = grant.fence;
    this.#grant = grant;
    this.#context = context;
    this.#scheduleRenewal();
  }

  /** What a fenced script checks against the fence counter and the lock. */
  get claim(): LeaseClaim {
    return { fence: this.fence, token: this.#grant.token };
  }

  /** True once a renewal found that another instance holds the source, or nobody does. */
  get lost(): boolean {
    return this.#state === 'lost';
  }

  /** Records the completion only while this lease still holds the source; else logs why not. */
  async complete(at: Date): Promise<void> {
    const ageMs = Math.round(Date.now() - at.getTime());
    const recorded = await this.#context.scripts.completeLease(this.#context.keys, this.claim, ageMs);
    if (!recorded) {
      this.#context.logger.warn(
        { sourceId: this.sourceId, fence: this.fence },
        'Refresh completion not recorded: this instance no longer holds the lease',
      );
    }
  }

  /** Compare-and-delete: never removes a lock another instance has taken since. */
  async release(): Promise<void> {
    if (this.#state === 'released') return;
    this.#state = 'released';
    this.#stopRenewing();
    this.#context.onReleased(this);
    try {
      await this.#context.scripts.releaseLease(this.#context.keys, this.#grant.token);
    } catch (error) {
      // The lock expires on its own after ttlMs; failing the caller's cleanup would help no one.
      this.#context.logger.warn(
        { err: error, sourceId: this.sourceId },
        'Could not release the refresh lease; it expires on its own',
      );
    }
  }

  #scheduleRenewal(): void {
    this.#renewal = setTimeout(() => void this.#renew(), Math.max(1, Math.floor(this.#grant.ttlMs / 3)));
    this.#renewal.unref();
  }

  #stopRenewing(): void {
    clearTimeout(this.#renewal);
    this.#renewal = undefined;
  }

  async #renew(): Promise<void> {
    const { scripts, keys, logger } = this.#context;
    try {
      const renewed = await scripts.renewLease(keys, this.#grant.token, this.#grant.ttlMs);
      if (this.#state !== 'held') return;
      if (!renewed) {
        this.#state = 'lost';
        logger.warn({ sourceId: this.sourceId, fence: this.fence }, 'Lost the refresh lease: it expired');
        return;
      }
    } catch (error) {
      // Redis unreachable for now: keep trying; if the lock expires meanwhile, the next try says so.
      logger.warn({ err: error, sourceId: this.sourceId }, 'Could not renew the refresh lease');
    }
    if (this.#state === 'held') this.#scheduleRenewal();
  }
}
