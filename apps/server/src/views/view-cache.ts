import type { Prepared } from './prepared.js';

export interface ViewCacheLimits {
  /** Views held at most. */
  entries: number;
  /** Bytes held at most (bodies and their compressed forms). */
  bytes: number;
}

interface Entry {
  value: Prepared;
  sourceId: string;
  size: number;
}

/**
 * Rendered variants of a source's views (a feed with `limit` or `q`, a widget page with its
 * options), least recently used first out, bounded in count and bytes so that no number of distinct
 * query strings can grow it. A miss renders once however many requests wait for it; a render that
 * started before its source changed is handed to its waiters but not kept.
 */
export class ViewCache {
  readonly #entries = new Map<string, Entry>();
  readonly #rendering = new Map<string, { sourceId: string; promise: Promise<Prepared> }>();
  /** Grows on every change of a source: a render from an older generation is not stored. */
  readonly #generations = new Map<string, number>();
  #bytes = 0;

  constructor(readonly limits: ViewCacheLimits) {}

  /** The held view, or undefined: the synchronous path of a hit. */
  peek(key: string): Prepared | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    // Re-inserting keeps the Map in recency order, oldest first.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** The view for `key`, rendered by `render` when not held (once, for all who ask meanwhile). */
  get(key: string, sourceId: string, render: () => Promise<Prepared>): Promise<Prepared> {
    const held = this.peek(key);
    if (held) return Promise.resolve(held);
    const pending = this.#rendering.get(key);
    if (pending) return pending.promise;
    const generation = this.#generations.get(sourceId) ?? 0;
    const promise = render().then(
      (value) => {
        if (this.#rendering.get(key)?.promise === promise) this.#rendering.delete(key);
        if ((this.#generations.get(sourceId) ?? 0) === generation) this.#store(key, sourceId, value);
        return value;
      },
      (error: unknown) => {
        if (this.#rendering.get(key)?.promise === promise) this.#rendering.delete(key);
        throw error;
      },
    );
    this.#rendering.set(key, { sourceId, promise });
    return promise;
  }

  /** Forgets every view of a source (its data changed). */
  invalidate(sourceId: string): void {
    this.#generations.set(sourceId, (this.#generations.get(sourceId) ?? 0) + 1);
    for (const [key, entry] of this.#entries) {
      if (entry.sourceId === sourceId) this.#delete(key, entry);
    }
    for (const [key, pending] of this.#rendering) {
      if (pending.sourceId === sourceId) this.#rendering.delete(key);
    }
  }

  get count(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  #store(key: string, sourceId: string, value: Prepared): void {
    const size = value.size;
    // A view larger than a quarter of the budget would push out everything else: serve it, don't keep it.
    if (size > this.limits.bytes / 4) return;
    const old = this.#entries.get(key);
    if (old) this.#delete(key, old);
    this.#entries.set(key, { value, sourceId, size });
    this.#bytes += size;
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size <= this.limits.entries && this.#bytes <= this.limits.bytes) break;
      this.#delete(oldest, entry);
    }
  }

  #delete(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= entry.size;
  }
}
