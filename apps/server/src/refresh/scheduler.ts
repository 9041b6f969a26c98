import type { SourceConfig } from '../config/types.js';
import type { Logger } from '../logger.js';
import type { RefreshOutcome } from './refresh-source.js';

export interface SchedulerOptions {
  /** ± this fraction of the interval, so sources (and instances) do not fire in step. */
  jitter?: number;
  random?: () => number;
  onScheduled?: (source: SourceConfig, at: Date) => void;
}

/**
 * Runs each enabled source's refresh at boot and then every interval (with jitter); one run per
 * source at a time. `stop()` cancels what is pending and waits for what is running.
 */
export class Scheduler {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #running = new Map<string, Promise<RefreshOutcome>>();
  #stopped = false;

  constructor(
    private readonly sources: readonly SourceConfig[],
    private readonly refresh: (source: SourceConfig) => Promise<RefreshOutcome>,
    private readonly logger: Logger,
    private readonly options: SchedulerOptions = {},
  ) {}

  start(): void {
    for (const source of this.sources) if (source.enabled) this.#schedule(source, 0);
  }

  /** Runs a source now (or joins the run in progress), then reschedules it. */
  runNow(source: SourceConfig): Promise<RefreshOutcome> {
    const running = this.#running.get(source.id);
    if (running) return running;
    clearTimeout(this.#timers.get(source.id));
    const run = this.refresh(source).finally(() => {
      this.#running.delete(source.id);
      if (!this.#stopped) this.#schedule(source, this.#nextDelay(source));
    });
    this.#running.set(source.id, run);
    return run;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    await Promise.allSettled(this.#running.values());
  }

  #nextDelay(source: SourceConfig): number {
    const jitter = this.options.jitter ?? 0.1;
    const random = this.options.random ?? Math.random;
    return Math.round(source.refreshMs * (1 - jitter + 2 * jitter * random()));
  }

  #schedule(source: SourceConfig, delayMs: number): void {
    const timer = setTimeout(() => {
      this.runNow(source).catch((error: unknown) => {
        this.logger.error({ source: source.id, err: String(error) }, 'refresh crashed');
      });
    }, delayMs);
    timer.unref();
    this.#timers.set(source.id, timer);
    this.options.onScheduled?.(source, new Date(Date.now() + delayMs));
  }
}
