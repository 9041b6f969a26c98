import type { FeedFormat } from '@tidings/feeds';
import type { SourceConfig } from '../config/types.js';
import type { Metrics } from '../metrics.js';
import type { Backend } from '../store/backend.js';
import { readArchive, renderArchive } from './archive-document.js';
import { type ArchiveMonth, monthBounds } from './archive-months.js';
import type { Prepared } from './prepared.js';
import { sourceTimeZone } from './times.js';
import { ViewCache, type ViewCacheLimits } from './view-cache.js';

/**
 * The months a source's history spans grow without bound, so archives are held least recently
 * used first out, bounded like the variants; a month pushed out is rendered again when asked.
 */
export const ARCHIVE_LIMITS: ViewCacheLimits = { entries: 600, bytes: 32 * 1024 * 1024 };

export interface ArchiveViewsOptions {
  backend: Backend;
  metrics: Metrics;
  /** Base of self links, e.g. https://feeds.example.org (no trailing slash). */
  publicBase: string;
  limits?: ViewCacheLimits;
  /** The clock that says whether a month is over. */
  now?: () => number;
}

/**
 * Every source's monthly archive documents (`/feeds/<id>/archive/<YYYY-MM>.<format>`), rendered on
 * first request from one month's reads and held until the source changes. A month that ends while
 * its archive is held is rendered once more, as immutable.
 *
 * A request costs a lookup when held; else three indexed reads of one month and one render, once
 * however many requests wait for it.
 */
export class ArchiveViews {
  readonly #cache: ViewCache;
  readonly #now: () => number;

  constructor(private readonly options: ArchiveViewsOptions) {
    this.#cache = new ViewCache(options.limits ?? ARCHIVE_LIMITS);
    this.#now = options.now ?? Date.now;
  }

  /** @throws {NoArchiveError} (from the promise) when the month holds no archived article */
  get(source: SourceConfig, month: ArchiveMonth, format: FeedFormat): Prepared | Promise<Prepared> {
    const over = this.#now() >= monthBounds(month, sourceTimeZone(source)).endMs;
    const key = `${source.id}\n${month}\n${format}\n${over ? 'over' : 'open'}`;
    return (
      this.#cache.peek(key) ??
      this.#cache.get(key, source.id, async () => {
        const contents = await readArchive(this.options.backend, source, month);
        this.options.metrics.renders.inc({ source: source.id, kind: 'archive' });
        return renderArchive(source, month, format, contents, { publicBase: this.options.publicBase, over });
      })
    );
  }

  /** A source's articles or settings changed: its archives are rendered again when next asked. */
  invalidate(sourceId: string): void {
    this.#cache.invalidate(sourceId);
  }

  get count(): number {
    return this.#cache.count;
  }

  get bytes(): number {
    return this.#cache.bytes;
  }
}
