import { isDeepStrictEqual } from 'node:util';
import type { DerivedFeedConfig, SourceConfig } from '../config/types.js';
import { type FeedDefinition, feedsOfSource } from '../filter/feed-definition.js';
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
  /** Every feed by id: each source's own and the derived ones (`feeds:`) whose source is running. */
  readonly feeds = new Map<string, FeedDefinition>();
  /** Every feed's default view by its exact path, for the router's hottest lookup. */
  readonly feedRoutes = new Map<string, FeedRoute>();

  #deps: LiveSourcesDeps | undefined;
  /** The config's derived feeds; those whose source is not running are not routed. */
  #derived: readonly DerivedFeedConfig[];

  constructor(sources: readonly SourceConfig[], derived: readonly DerivedFeedConfig[] = []) {
    this.#derived = derived;
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

  /**
   * The config's derived feeds changed (a reload): each source whose set of feeds differs is
   * routed and rendered again. Call after the sources' own changes (a derived feed names a source
   * the config has, so its source is running by then).
   */
  async setDerivedFeeds(derived: readonly DerivedFeedConfig[]): Promise<void> {
    const before = this.#derived;
    this.#derived = derived;
    const touched = new Set<string>();
    for (const feed of [...before, ...derived]) {
      const old = before.find((entry) => entry.id === feed.id);
      const now = derived.find((entry) => entry.id === feed.id);
      if (!isDeepStrictEqual(old, now)) {
        if (old) touched.add(old.source);
        if (now) touched.add(now.source);
      }
    }
    for (const id of touched) {
      const source = this.byId.get(id);
      if (!source) continue;
      this.#route(source);
      await this.deps.views.sourceReplaced(source);
    }
  }

  /** Runs a source's refresh now (or joins the one running with the same settings). */
  refresh(id: string): Promise<RefreshOutcome> {
    const source = this.byId.get(id);
    if (!source) return Promise.reject(new Error(`No source "${id}"`));
    return this.deps.scheduler.runNow(source, 'manual');
  }

  /** A source and every feed made from it, routed (its feeds no longer in the config unrouted). */
  #route(source: SourceConfig): void {
    this.#unrouteFeedsOf(source.id);
    this.byId.set(source.id, source);
    for (const feed of feedsOfSource(source, this.#derived)) {
      this.feeds.set(feed.id, feed);
      for (const format of FORMATS) this.feedRoutes.set(feedPath(feed.id, format), { feed, format });
    }
  }

  #unroute(id: string): void {
    this.byId.delete(id);
    this.#unrouteFeedsOf(id);
  }

  #unrouteFeedsOf(sourceId: string): void {
    for (const [id, feed] of this.feeds) {
      if (feed.source.id !== sourceId) continue;
      this.feeds.delete(id);
      for (const format of FORMATS) this.feedRoutes.delete(feedPath(id, format));
    }
  }
}
