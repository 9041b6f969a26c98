import type { DeliverySettings } from '../config/types.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Backend } from '../store/backend.js';
import type { ClaimedDelivery } from '../store/outbox.js';
import { retryDelayMs } from './backoff.js';
import { type Destination, redactDestination } from './destinations.js';
import { EmailSender } from './email.js';
import { pushContent } from './push-content.js';
import type { SendResult } from './send-result.js';
import { WebhookSender } from './webhook.js';
import { webhookBody } from './webhook-body.js';

export interface DeliveryWorkerOptions {
  backend: Backend;
  /** The destinations configured now, by id (they change with reloads). */
  destinations: () => ReadonlyMap<string, Destination>;
  settings: DeliverySettings;
  logger: Logger;
  metrics: Metrics;
  publicBase: string;
  hub: string | undefined;
  /** After each attempt, so /healthz shows it. */
  onAttempt?: () => void;
  random?: () => number;
}

/** Entries sent at once by one instance. */
const CONCURRENCY = 4;
/** How often the outbox is looked at when nothing woke the worker (another instance's refresh, a retry coming due). */
const POLL_MS = 1000;
/** Store errors (Redis down): wait this long before claiming again. */
const STORE_PAUSE_MS = 5000;

/**
 * Sends what the outbox holds, at least once: claims due entries (leased, so no other instance
 * sends them meanwhile), sends each, then completes it, puts it back for a later try (backoff
 * with jitter, at least the receiver's Retry-After), or keeps it as failed after
 * `settings.attempts` tries or a 410. A crash mid-send leaves the claim to expire (or, with
 * SQLite, to be released on the next start): the entry is sent again under the same key.
 */
export class DeliveryWorker {
  readonly #options: DeliveryWorkerOptions;
  readonly #webhooks: WebhookSender;
  readonly #email: EmailSender;
  readonly #leaseMs: number;
  #running: Promise<void> | undefined;
  #stopped = false;
  #wake: (() => void) | undefined;
  #woken = false;

  constructor(options: DeliveryWorkerOptions) {
    this.#options = options;
    this.#webhooks = new WebhookSender(options.settings.timeoutMs);
    this.#email = new EmailSender(options.settings.timeoutMs);
    // Long enough for one attempt (a digest, or a message per item over one connection), so a
    // live sender keeps its claim; short enough that a dead one's is taken over soon.
    this.#leaseMs = Math.max(60_000, options.settings.timeoutMs * 4);
  }

  start(): void {
    this.#running ??= this.#loop();
  }

  /** Something was queued here: look now rather than at the next poll. */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** Lets the attempts under way finish (each bounded by the timeout), then stops. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#running;
    await this.#webhooks.close();
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      this.#woken = false;
      let claimed: ClaimedDelivery[];
      try {
        claimed = await this.#options.backend.claimDeliveries({ limit: CONCURRENCY, leaseMs: this.#leaseMs });
      } catch (error) {
        this.#options.logger.warn({ err: String(error) }, 'could not read the outbox; trying again');
        await this.#sleep(STORE_PAUSE_MS);
        continue;
      }
      if (claimed.length > 0) {
        await Promise.all(claimed.map((delivery) => this.#deliver(delivery)));
        continue;
      }
      if (!this.#woken) await this.#sleep(POLL_MS);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }

  async #deliver(delivery: ClaimedDelivery): Promise<void> {
    const { backend, logger, metrics, settings } = this.#options;
    const destination = this.#options.destinations().get(delivery.destination);
    const label = destination ? delivery.destination : 'removed';
    const sent: SendResult = destination
      ? await this.#send(delivery, destination).catch((error: unknown) => ({
          ok: false as const,
          error: `could not send: ${error instanceof Error ? error.message : String(error)}`,
          retry: true,
        }))
      : { ok: false, error: 'the destination is no longer in the config', retry: false };
    // What is stored and logged never holds the destination's secrets, whatever an error said.
    const result =
      sent.ok || !destination ? sent : { ...sent, error: redactDestination(destination.notify, sent.error) };
    const at = new Date();
    const line = {
      destination: delivery.destination,
      feed: delivery.feedId,
      key: delivery.key,
      items: delivery.items.length,
      attempt: delivery.attempts,
    };
    try {
      if (result.ok) {
        await backend.completeDelivery(delivery, at.toISOString());
        metrics.deliveries.inc({ destination: label, result: 'delivered' });
        logger.info(line, 'delivered');
      } else if (!result.retry || delivery.attempts >= settings.attempts) {
        await backend.failDelivery(delivery, { error: result.error, at: at.toISOString() });
        metrics.deliveries.inc({ destination: label, result: 'failed' });
        logger.warn({ ...line, error: result.error }, 'delivery failed; given up');
      } else {
        const waitMs = retryDelayMs(delivery.attempts, settings, result.retryAfterMs, this.#options.random);
        const retryAt = new Date(at.getTime() + waitMs).toISOString();
        await backend.failDelivery(delivery, { error: result.error, at: at.toISOString(), retryAt });
        metrics.deliveries.inc({ destination: label, result: 'retry' });
        logger.warn({ ...line, error: result.error, retryAt }, 'delivery failed; will retry');
      }
    } catch (error) {
      // The claim runs out and the entry is sent again: at least once, never lost.
      logger.warn({ ...line, err: String(error) }, 'could not record the delivery attempt');
    }
    this.#options.onAttempt?.();
  }

  async #send(delivery: ClaimedDelivery, { notify, feed }: Destination): Promise<SendResult> {
    const { publicBase, hub } = this.#options;
    const content = await pushContent(delivery, feed, publicBase, hub);
    if (notify.kind === 'webhook') return this.#webhooks.send(notify, webhookBody(content), delivery.key);
    return this.#email.send(notify, content, new URL(publicBase).hostname);
  }
}
