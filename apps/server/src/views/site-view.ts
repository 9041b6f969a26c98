import type { Prepared } from './prepared.js';

/**
 * A view of the whole site (the index, OPML, health, metrics): rendered on first use, again when
 * `invalidate()` says its data changed here, and at most every `maxAgeMs` for what changes
 * elsewhere (another instance's refresh, the store going down). Past its age it is still served
 * while one render replaces it, so no request waits on it and no load renders it more often.
 */
export class SiteView {
  #value: Prepared | undefined;
  #renderedAt = 0;
  #rendering: Promise<Prepared> | undefined;
  #generation = 0;

  constructor(
    private readonly render: () => Promise<Prepared>,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The held view, starting a render in the background when it is old; undefined when none is held. */
  peek(): Prepared | undefined {
    if (this.#value && this.now() - this.#renderedAt > this.maxAgeMs) void this.#renderOnce().catch(() => {});
    return this.#value;
  }

  get(): Promise<Prepared> {
    const held = this.peek();
    return held ? Promise.resolve(held) : this.#renderOnce();
  }

  /** The data changed: the next request renders anew. */
  invalidate(): void {
    this.#value = undefined;
    this.#rendering = undefined;
    this.#generation++;
  }

  #renderOnce(): Promise<Prepared> {
    if (this.#rendering) return this.#rendering;
    const generation = this.#generation;
    const startedAt = this.now();
    const rendering = this.render().finally(() => {
      if (this.#rendering === rendering) this.#rendering = undefined;
    });
    this.#rendering = rendering;
    return rendering.then((value) => {
      if (generation === this.#generation) {
        this.#value = value;
        this.#renderedAt = startedAt;
      }
      return value;
    });
  }
}
