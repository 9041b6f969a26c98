import pg from 'pg';
import type { Logger } from '../../logger.js';
import { reasonOf } from './connect.js';

/** The channel of change notices; their payload is a source id. */
export const CHANGES_CHANNEL = 'tidings_changes';

const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 5000;

export interface NoticeSettings {
  config: pg.ClientConfig;
  logger: Logger;
  /** Called for every notice, this instance's own included. */
  onNotice(sourceId: string): void;
  /**
   * Called after the connection came back: notices sent meanwhile are lost, so the caller
   * treats every source as changed.
   */
  onReconnected(): void;
}

/**
 * Change notices through LISTEN/NOTIFY, on a connection of their own (a pooled one would drop
 * the LISTEN when given back). It reconnects by itself, with a growing pause, until closed; while
 * it is down, `down` says why, which is how the backend knows PostgreSQL cannot be reached without
 * asking it.
 */
export class ChangeListener {
  readonly #settings: NoticeSettings;
  #client: pg.Client | undefined;
  #down: string | undefined = 'not connected yet';
  #closed = false;
  #retryMs = RECONNECT_FIRST_MS;
  #retry: NodeJS.Timeout | undefined;

  constructor(settings: NoticeSettings) {
    this.#settings = settings;
  }

  /** Why notices cannot arrive now, or undefined while they can. */
  get down(): string | undefined {
    return this.#down;
  }

  /** The first connection; rejects when it cannot be made (the caller reports that). */
  async start(): Promise<void> {
    await this.#connect();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const client = new pg.Client(this.#settings.config);
    client.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL && message.payload !== undefined) {
        this.#settings.onNotice(message.payload);
      }
    });
    client.on('error', (error) => this.#lost(client, error.message));
    client.on('end', () => this.#lost(client, 'the connection closed'));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#down = undefined;
    this.#retryMs = RECONNECT_FIRST_MS;
  }

  #lost(client: pg.Client, reason: string): void {
    if (this.#closed || this.#client !== client) return;
    this.#client = undefined;
    this.#down = `the change-notice connection to PostgreSQL was lost (${reason})`;
    this.#settings.logger.warn({ reason }, 'PostgreSQL change-notice connection lost; reconnecting');
    client.end().catch(() => undefined);
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    this.#retry = setTimeout(async () => {
      try {
        await this.#connect();
        if (this.#closed) return;
        this.#settings.logger.info('PostgreSQL change-notice connection back');
        this.#settings.onReconnected();
      } catch (error) {
        if (this.#closed) return;
        this.#down = `PostgreSQL cannot be reached (${reasonOf(error)})`;
        this.#retryMs = Math.min(this.#retryMs * 2, RECONNECT_MAX_MS);
        this.#scheduleReconnect();
      }
    }, this.#retryMs);
    this.#retry.unref();
  }
}
