import type { SourceConfig } from '../config/types.js';
import type { Logger } from '../logger.js';
import type { RefreshOutcome } from './refresh-source.js';

const DEFAULT_JITTER = 0.1;

/** A scheduled run waits its turn (an interval after the last, by any instance); a manual one runs now. */
export type RefreshTrigger = 'scheduled' | 'manual';

export interface SchedulerOptions {
  /** ± this fraction of the interval, so sources (and instances) do not fire in step. */
  jitter?: number;
  random?: () => number;
  onScheduled?: (source: SourceConfig, at: Date) => void;
}

/**
 * Runs each enabled source's refresh at boot and then every interval (with jitter); one run per
 * source at a time. A run skipped because another instance holds the source (or just refreshed it)
 * is tried again when the backend says, plus jitter. The sources it knows change while it runs
 * (`set`, `delete`): a run always reschedules the source as it is configured when the run ends.
 * `stop()` cancels what is pending and waits for what is running.
 */
export class Scheduler {
  readonly #sources = new Map<string, SourceConfig>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #running = new Map<string, { source: SourceConfig; run: Promise<RefreshOutcome> }>();
  #stopped = false;

  constructor(
    sources: readonly SourceConfig[],
    private readonly refresh: (source: SourceConfig, trigger: RefreshTrigger) => Promise<RefreshOutcome>,
    private readonly logger: Logger,
    private readonly options: SchedulerOptions = {},
  ) {
    for (const source of sources) this.#sources.set(source.id, source);
  }

  start(): void {
    for (const source of this.#sources.values()) if (source.enabled) this.#schedule(source, 0);
  }

  /** A source added or changed: its pending run is cancelled; the caller runs it (`runNow`) when it should. */
  set(source: SourceConfig): void {
    this.#cancel(source.id);
    this.#sources.set(source.id, source);
  }

  /** A source removed: nothing more is scheduled for it (a run in progress finishes its writes). */
  delete(sourceId: string): void {
    this.#cancel(sourceId);
    this.#sources.delete(sourceId);
  }

  /**
   * Runs a source now (or joins the run in progress of the same settings; a run of older
   * settings is waited for, then this one runs), then reschedules it.
   */
  runNow(source: SourceConfig, trigger: RefreshTrigger = 'manual'): Promise<RefreshOutcome> {
    const running = this.#running.get(source.id);
    if (running?.source === source) return running.run;
    if (running) return running.run.then(settled, settled).then(() => this.runNow(source, trigger));
    this.#cancel(source.id);
    let outcome: RefreshOutcome | undefined;
    const run = this.refresh(source, trigger)
      .then((result) => {
        outcome = result;
        return result;
      })
      .finally(() => {
        this.#running.delete(source.id);
        const current = this.#sources.get(source.id);
        if (this.#stopped || !current?.enabled || this.#timers.has(source.id)) return;
        const retryInMs = outcome?.skipped?.retryInMs;
        this.#schedule(
          current,
          retryInMs === undefined ? this.#nextDelay(current) : retryInMs + this.#spread(current),
        );
      });
    this.#running.set(source.id, { source, run });
    return run;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    await Promise.allSettled([...this.#running.values()].map((running) => running.run));
  }

  #cancel(sourceId: string): void {
    clearTimeout(this.#timers.get(sourceId));
    this.#timers.delete(sourceId);
  }

  #nextDelay(source: SourceConfig): number {
    const jitter = this.options.jitter ?? DEFAULT_JITTER;
    return Math.round(source.refreshMs * (1 - jitter)) + this.#spread(source);
  }

  /** Up to two jitters of the interval, so instances waiting on the same source do not ask in step. */
  #spread(source: SourceConfig): number {
    const jitter = this.options.jitter ?? DEFAULT_JITTER;
    const random = this.options.random ?? Math.random;
    return Math.round(source.refreshMs * 2 * jitter * random());
  }

  #schedule(source: SourceConfig, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(source.id);
      this.runNow(source, 'scheduled').catch((error: unknown) => {
        this.logger.error({ source: source.id, err: String(error) }, 'refresh crashed');
      });
    }, delayMs);
    timer.unref();
    this.#timers.set(source.id, timer);
    this.options.onScheduled?.(source, new Date(Date.now() + delayMs));
  }
}

function settled(): void {}
