import type { SourceConfig } from '../config/types.js';
import type { FeedRoute } from '../http/router.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { RefreshOutcome } from '../refresh/refresh-source.js';
import type { Scheduler } from '../refresh/scheduler.js';
import type { Backend } from '../store/backend.js';
import { feedPath } from '../views/channel.js';
import { FORMATS } from '../views/feed-cache.js';
import type { Views } from '../views/views.js';
import type { Snapshots } from './snapshots.js';

/** One change to the running server's sources. */
export type SourceChange =
  | { kind: 'add'; source: SourceConfig }
  | { kind: 'replace'; source: SourceConfig }
  | { kind: 'remove'; id: string };

export interface LiveSourcesDeps {
  scheduler: Scheduler;
  views: Views;
  snapshots: Snapshots;
  backend: Backend;
  metrics: Metrics;
  logger: Logger;
  /** Told after every change (the fetch logger learns the secrets it must redact). */
  onChange?: (sources: readonly SourceConfig[]) => void;
}

/**
 * The running server's sources: the one map the router, the views and the refreshes read, and
 * the one place a change is applied — scheduled or unscheduled, its snapshot served or stopped,
 * its feeds rendered or dropped, its feed paths routed or not. Removing a source keeps its history.
 */
export class LiveSources {
  /** By id. Read (never written) by the router, the views and change notices from other instances. */
  readonly byId = new Map<string, SourceConfig>();
  /** Every default feed by its exact path, for the router's hottest lookup. */
  readonly feedRoutes = new Map<string, FeedRoute>();

  #deps: LiveSourcesDeps | undefined;

  constructor(sources: readonly SourceConfig[]) {
    for (const source of sources) this.#route(source);
  }

  /** What changes act on, built once the maps above exist (the views and refreshes read them). */
  connect(deps: LiveSourcesDeps): void {
    this.#deps = deps;
  }

  private get deps(): LiveSourcesDeps {
    if (!this.#deps) throw new Error('LiveSources.connect() was not called');
    return this.#deps;
  }

  list(): SourceConfig[] {
    return [...this.byId.values()];
  }

  get(id: string): SourceConfig | undefined {
    return this.byId.get(id);
  }

  /**
   * Applies one change: a new source's feeds are rendered (from any history it has) and it is
   * refreshed at once; a changed one is rendered again and refreshed with its new settings; a
   * removed one stops being scheduled and served. Resolves once it is served as changed; the
   * refresh a change starts runs on (see `refresh`).
   */
  async apply(change: SourceChange): Promise<void> {
    const { scheduler, views, snapshots, logger } = this.deps;
    if (change.kind === 'remove') {
      scheduler.delete(change.id);
      this.#unroute(change.id);
      views.sourceRemoved(change.id);
      await snapshots.close(change.id);
      logger.info({ source: change.id }, 'source removed; its history is kept');
    } else {
      const { source } = change;
      await snapshots.open(source);
      scheduler.set(source);
      this.#route(source);
      await (change.kind === 'add' ? views.sourceChanged(source) : views.sourceReplaced(source));
      this.deps.metrics.articles.set({ source: source.id }, await this.deps.backend.countArticles(source.id));
      logger.info(
        { source: source.id, enabled: source.enabled },
        change.kind === 'add' ? 'source added' : 'source changed',
      );
      if (source.enabled) this.refresh(source.id).catch(() => {});
    }
    this.deps.onChange?.(this.list());
  }

  /** Runs a source's refresh now (or joins the one running with the same settings). */
  refresh(id: string): Promise<RefreshOutcome> {
    const source = this.byId.get(id);
    if (!source) return Promise.reject(new Error(`No source "${id}"`));
    return this.deps.scheduler.runNow(source, 'manual');
  }

  #route(source: SourceConfig): void {
    this.byId.set(source.id, source);
    for (const format of FORMATS) this.feedRoutes.set(feedPath(source.id, format), { source, format });
  }

  #unroute(id: string): void {
    this.byId.delete(id);
    for (const format of FORMATS) this.feedRoutes.delete(feedPath(id, format));
  }
}
